/**
 * Heuristics for secret-looking material in plaintext fields (EC2 user data, ConfigMaps,
 * connector `configNonsensitive`). They look for *literal* secrets: a value that is a shell,
 * SQL*Plus or template reference (`$VAR`, `$(cmd)`, `${VAR}`, `&1`, `&&name`, `{{x}}`) or a
 * format placeholder (`%s`) is how a secret fetched at run time is passed, and is not reported.
 * Findings carry the key or the line number, never the value.
 */

/** Key names that hold credentials. */
export const CREDENTIAL_KEY = /password|passwd|pwd|secret|token|api[_-]?key|private[-_.]?key|credential/i;

/**
 * Key names that mention a credential but hold a pointer to it (an ARN, an id, a file path) or a
 * setting about it (a length, a TTL header such as `X-aws-ec2-metadata-token-ttl-seconds`).
 */
const REFERENCE_KEY =
  /(arn|[_.-]id|secretid|name|path|params?|parameters?|file|length|len|ref|seconds|ttl|mode|type|format)$/i;

/** A value that refers to a secret instead of containing it. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return v === "" || /^(\$|&&?\w|:\w|\{\{|`|%)/.test(v);
}

/** True when `key` names a credential and is not a pointer to one. */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key) && !REFERENCE_KEY.test(key);
}

export interface SecretHit {
  /** What was found, e.g. "an AWS access key id". */
  readonly kind: string;
  /** 1-based line of the text where it was found. */
  readonly line: number;
}

const AWS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
const IDENTIFIED_BY = /IDENTIFIED\s+BY\s+(?:VALUES\s+)?(?:"([^"]*)"|'([^']*)'|([^\s;]+))/gi;

const KEY = String.raw`[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key)[\w.-]*`;
const VALUE = String.raw`(?:"([^"]*)"|'([^']*)'|([^\s"';&|,}]+))`;
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

/** The first defined capture from `from` on: the quoted or bare value of a match. */
const captured = (m: RegExpExecArray, from: number) => m[from] ?? m[from + 1] ?? m[from + 2] ?? "";

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
