/**
 * The two halves of a `confluentcloud.Connector` configuration, and the one rule both stacks and the
 * policy pack share about them: a key that names a secret belongs in `configSensitive` (a secret in
 * state), never in `configNonsensitive` (stored and shown in plain text).
 */

/**
 * Connector config keys that hold secrets (the connector docs mark them "Type: password"; OAuth
 * tokens, private keys and wallets too). The stacks' guard below and the pack's connector rule use
 * this one definition, so what the stacks check is what the pack enforces.
 */
export const SECRET_CONFIG_KEY = /password|secret|private\.key|wallet|credential|token/i;

export interface ConnectorConfigMaps {
  readonly nonsensitive: Readonly<Record<string, unknown>>;
  readonly sensitive: Readonly<Record<string, unknown>>;
}

/** Returns `config` unchanged, or throws naming every credential key found in `nonsensitive`. */
export function checkedConnectorConfig<C extends ConnectorConfigMaps>(connector: string, config: C): C {
  const leaked = Object.keys(config.nonsensitive).filter((k) => SECRET_CONFIG_KEY.test(k));
  if (leaked.length > 0) {
    throw new Error(
      `connector ${connector}: credential keys in configNonsensitive (they belong in configSensitive): ${leaked.join(", ")}`,
    );
  }
  return config;
}
