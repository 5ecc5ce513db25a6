/**
 * Pulumi's wire encoding of a secret value inside mocked inputs/outputs: an object carrying the
 * special signature key. Mocks see secrets in this form; returning it keeps an output secret.
 */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const MASK = "[secret]";

export function wrapSecret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

function isWrappedSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Removes secret wrappers, returning the plain value tree and the paths that were secret. */
export function unwrapSecrets(
  v: unknown,
  path = "",
  found: string[] = [],
): { value: unknown; secretPaths: string[] } {
  const walk = (x: unknown, p: string): unknown => {
    if (isWrappedSecret(x)) {
      found.push(p);
      return walk(x.value, p);
    }
    if (Array.isArray(x)) return x.map((item, i) => walk(item, `${p}[${i}]`));
    if (typeof x === "object" && x !== null) {
      return Object.fromEntries(Object.entries(x).map(([k, val]) => [k, walk(val, p ? `${p}.${k}` : k)]));
    }
    return x;
  };
  return { value: walk(v, path), secretPaths: found };
}

/** Replaces secret values with a mask, for anything printed or written to a report. */
export function maskSecrets(v: unknown): unknown {
  if (isWrappedSecret(v)) return MASK;
  if (Array.isArray(v)) return v.map(maskSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, maskSecrets(val)]));
  }
  return v;
}
