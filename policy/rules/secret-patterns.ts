/**
 * Heuristics for secret-looking material in plaintext fields (EC2 user data, ConfigMaps, container
 * env, connector `configNonsensitive`). They look for *literal* secrets. A value that is, as a
 * whole, a run-time reference (see `isReference`) is how a secret fetched later is passed, and is
 * not reported; anything else, including a literal that merely starts with `$`, `&` or `%`, is.
 * Findings carry the key or the line number, never the value.
 */

/**
 * Key names that hold credentials. `pass` counts only as a word of its own (`DB_PASS`, `pass`),
 * so `bypass` or `passive` do not; `isCredentialKey` splits camelCase (`dbPass`) first. A `token`
 * that goes on into `tokenizer` or `tokenize` names a text analyser's setting, not a credential.
 */
const TOKEN = String.raw`token(?!i[sz])`;
const CREDENTIAL_KEY = new RegExp(
  String.raw`password|passwd|passphrase|pwd|secret|${TOKEN}|api[_-]?key|private[-_.]?key|credential|(?:^|[^a-z])pass(?:[^a-z]|$)`,
  "i",
);

/**
 * Key names that mention a credential but hold a pointer to it (an ARN, an id, a file path) or a
 * setting about it (a length, a TTL header such as `X-aws-ec2-metadata-token-ttl-seconds`).
 */
const REFERENCE_KEY =
  /(arn|[_.-]id|secretid|name|path|params?|parameters?|file|length|len|ref|seconds|ttl|mode|type|format)$/i;

/**
 * A variable name as scripts write one: all upper case (`$DB_PWD`), all lower case (`&&sys_pwd`)
 * or a position (`$1`, `&1`). Passwords mix cases, so `$ecretPassw0rd` is not taken for a variable.
 */
const VARIABLE = String.raw`(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*|\d{1,2})`;

/**
 * The whole-value forms of a reference. Each is matched against the entire value: a prefix alone
 * (`$…`, `&…`, `%…`) proves nothing.
 */
const REFERENCE_FORMS: readonly RegExp[] = [
  // Shell, Terraform or Kubernetes interpolation: ${NAME}, ${NAME:?message}, ${var.db.password}.
  /^\$\{[A-Za-z_][\w.[\]"'-]*(?::?\?[^}]*)?\}$/,
  // Shell variable, command substitution (also Kubernetes' $(VAR) env expansion), backticks.
  new RegExp(String.raw`^\$${VARIABLE}$`),
  /^\$\([\s\S]+\)$/,
  /^`[^`]+`$/,
  // SQL*Plus substitution variables (&1, &name, &&name, with an optional terminating period)
  // and SQL bind variables (:name).
  new RegExp(String.raw`^&&?${VARIABLE}\.?$`),
  new RegExp(String.raw`^:${VARIABLE}$`),
  // Template placeholders: %{name}, printf conversions (%s, %q), Python's %(name)s.
  /^%\{[\w.:[\]'"-]+\}$/,
  /^%[-+ #0]*\d*(?:\.\d+)?[sqbd]$/,
  /^%\(\w+\)s$/,
  // CloudFormation-style dynamic references and Mustache/Helm variables: {{resolve:…}}, {{ .Values.x }}.
  /^\{\{\s*resolve:(?:secretsmanager|ssm|ssm-secure):[^}]+\}\}$/,
  /^\{\{\s*\.?[A-Za-z_][\w.]*\s*\}\}$/,
  // Explicit Secrets Manager secret and SSM parameter ARNs.
  /^arn:aws[\w-]*:secretsmanager:[\w-]*:\d{12}:secret:[\w/+=.@-]+$/,
  /^arn:aws[\w-]*:ssm:[\w-]*:\d{12}:parameter\/[\w/.-]+$/,
];

/** A value that refers to a secret instead of containing it (or an empty one). */
export function isReference(value: string): boolean {
  const v = value.trim();
  return v === "" || REFERENCE_FORMS.some((form) => form.test(v));
}

/** True when `key` names a credential and is not a pointer to one. */
export function isCredentialKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return (CREDENTIAL_KEY.test(key) || CREDENTIAL_KEY.test(words)) && !REFERENCE_KEY.test(key);
}

export interface SecretHit {
  /** What was found, e.g. "an AWS access key id". */
  readonly kind: string;
  /** 1-based line of the text where it was found. */
  readonly line: number;
}

const AWS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
/**
 * A reference token that may contain spaces, quotes or braces (`$(aws secretsmanager … "$ARN")`,
 * `${NAME}`, `{{resolve:…}}`), optionally double-quoted and ending where the value ends; matched
 * before the plain forms, which would cut it at the first space or brace.
 */
const REF_TOKEN = String.raw`"?(\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}\s]*\}|%\{[^}\s]*\}|\{\{[^}]*\}\})(?=["'\s;,|)]|$)"?`;
const IDENTIFIED_BY = new RegExp(
  String.raw`IDENTIFIED\s+BY\s+(?:VALUES\s+)?(?:${REF_TOKEN}|"([^"]*)"|'([^']*)'|([^\s;]+))`,
  "gi",
);

/** Credential-named keys; `pass` only as a word of its own (`DB_PASS`, not `bypass`). */
const KEY = String.raw`(?<![\w.-])(?:[\w.-]*(?:password|passwd|passphrase|pwd|secret|${TOKEN}|api[_-]?key)[\w.-]*|(?:[\w.-]*[_.-])?pass(?:[_.-][\w.-]*)?)`;
/**
 * A value: a reference token, quoted, or bare up to a shell/list separator or a printf escape
 * (`ORACLE_PWD=%s\n…` in a format string is the placeholder `%s`); `&&name` is kept whole.
 */
const VALUE = String.raw`(?:${REF_TOKEN}|"([^"]*)"|'([^']*)'|(&{0,2}(?:(?!\\[nrt])[^\s"';&|,}])+))`;
/**
 * A credential key given a value: `key=value` anywhere, `"key": value` (JSON) and `key: value`
 * at the start of a line (YAML). A bare colon elsewhere is prose or an ARN/IAM action
 * (`holds no secret: the…`, `secretsmanager:GetSecretValue`), not an assignment.
 */
const ASSIGNMENTS = [
  new RegExp(String.raw`(${KEY})[ \t]*=[ \t]*${VALUE}`, "gi"),
  new RegExp(String.raw`["'](${KEY})["'][ \t]*:[ \t]*${VALUE}`, "gi"),
  new RegExp(String.raw`^[ \t]*(?:- )?(${KEY}):[ \t]+${VALUE}`, "gim"),
];
/** `sqlplus user/password@db` and a SQL*Plus `CONNECT user/password` line. */
const CONNECT_STRING =
  /(?:\bsqlplus\s+(?:-\w+\s+)*|^[ \t]*conn(?:ect)?\s+)["']?[\w#$]+\/("[^"]*"|[^\s@"'/]+)/gim;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/gi;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function scan(
  text: string,
  pattern: RegExp,
  kind: string,
  isLiteral: (m: RegExpExecArray) => boolean,
  hits: SecretHit[],
): void {
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (isLiteral(m)) hits.push({ kind, line: lineOf(text, m.index) });
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

/** The first defined capture from `from` on: the reference, quoted or bare value of a match. */
const captured = (m: RegExpExecArray, from: number) =>
  m[from] ?? m[from + 1] ?? m[from + 2] ?? m[from + 3] ?? "";

/** Every secret-looking literal in `text`, in order of appearance. */
export function findSecretMaterial(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  scan(text, AWS_KEY_ID, "an AWS access key id", () => true, hits);
  scan(text, PRIVATE_KEY, "a private key", () => true, hits);
  scan(
    text,
    IDENTIFIED_BY,
    "an IDENTIFIED BY with a literal password",
    (m) => !isReference(captured(m, 1)),
    hits,
  );
  for (const pattern of ASSIGNMENTS) {
    const literal = (m: RegExpExecArray) => !REFERENCE_KEY.test(m[1] ?? "") && !isReference(captured(m, 2));
    scan(text, pattern, "a credential assigned a literal value", literal, hits);
  }
  const unquote = (v: string) => v.replace(/^"|"$/g, "");
  scan(
    text,
    CONNECT_STRING,
    "a connect string with a literal password",
    (m) => !isReference(unquote(m[1] ?? "")),
    hits,
  );
  scan(text, URL_CREDENTIALS, "a URL with a literal password", (m) => !isReference(m[1] ?? ""), hits);
  return hits.sort((a, b) => a.line - b.line);
}

/** `"a private key (line 3), an AWS access key id (line 9)"`. */
export function describeHits(hits: readonly SecretHit[]): string {
  return hits.map((h) => `${h.kind} (line ${h.line})`).join(", ");
}
