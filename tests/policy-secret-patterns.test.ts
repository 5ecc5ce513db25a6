import assert from "node:assert/strict";
import { test } from "node:test";
import { findSecretMaterial, isCredentialKey, isReference } from "../policy/rules/secret-patterns";

test("references: only whole-value reference forms count", () => {
  const references = [
    "",
    "${DB_PASSWORD}",
    "${ADMIN_PWD:?}",
    "${var.db_password}",
    "$SYS_PWD",
    "$1",
    '$(aws secretsmanager get-secret-value --secret-id "$ARN" --query SecretString --output text)',
    "$(DB_PASSWORD)",
    "`cat /run/secrets/db`",
    "&1",
    "&&sample_pwd",
    "&&sample_pwd.",
    ":new_password",
    "%s",
    "%{db_password}",
    "%(password)s",
    "{{resolve:secretsmanager:fd-dev-oracle:SecretString:sys}}",
    "{{resolve:ssm-secure:/fd/dev/oracle}}",
    "{{ .Values.password }}",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-oracle-AbCdEf",
    "arn:aws:ssm:us-east-1:123456789012:parameter/fd/dev/oracle",
  ];
  for (const v of references) assert.equal(isReference(v), true, v);
  // Literals that only start like a reference: a test of the prefix alone would let every one through.
  const literals = [
    "$ecretPassw0rd",
    "$3cret!",
    "${A}hunter2",
    "&ecretPassw0rd",
    "&&Hunter2!",
    ":Passw0rd",
    "%hunter2",
    "%{",
    "{{hunter2",
    "`unterminated",
    "arn:aws:iam::123456789012:user/admin",
  ];
  for (const v of literals) assert.equal(isReference(v), false, v);
});

test("secret material: literals with reference-like prefixes are found; real references are not", () => {
  const unsafe = [
    "DB_PASSWORD=$ecretPassw0rd",
    'ORACLE_PWD="%hunter2"',
    "ALTER USER sys IDENTIFIED BY &ecretPassw0rd;",
    'ALTER USER sys IDENTIFIED BY "$ecretPassw0rd";',
    "CONNECT system/:Passw0rd",
    "https://app:$ecretPassw0rd@db.example.com/",
    '"password": "${A}hunter2"',
    "password=&ecretPassw0rd",
    "printf 'ORACLE_PWD=Welcome1\\n' >oracle.env",
  ];
  for (const line of unsafe) assert.equal(findSecretMaterial(line).length, 1, line);
  const safe = [
    'ORACLE_PWD="$(aws secretsmanager get-secret-value --secret-id "$ARN" --query SecretString --output text)"',
    "ADMIN_PWD=${ADMIN_PWD}",
    "ALTER USER sys IDENTIFIED BY $(cat /run/secrets/sys);",
    'ALTER USER sys IDENTIFIED BY "&&sys_pwd";',
    'printf \'DEFINE sys_pwd = "%s"\\n\' "$SYS_PWD"',
    '"password": "{{resolve:secretsmanager:fd-dev-oracle:SecretString:sys}}"',
    "password=&&sample_pwd",
    "run && password=$DB_PWD && next",
    "printf 'ORACLE_PWD=%s\\nORACLE_CHARACTERSET=AL32UTF8\\n' \"$SYS_PWD\" >oracle.env",
  ];
  for (const line of safe) assert.deepEqual(findSecretMaterial(line), [], line);
});

test("credential keys: PASS and passphrase count, words that merely contain 'pass' do not", () => {
  for (const key of ["PASS", "DB_PASS", "pass", "passphrase", "SSH_PASSPHRASE", "dbPass", "app.pass"]) {
    assert.equal(isCredentialKey(key), true, key);
  }
  for (const key of ["BYPASS_CACHE", "compass", "PASSIVE_MODE", "DB_PASS_FILE", "passphraseSecretArn"]) {
    assert.equal(isCredentialKey(key), false, key);
  }
  assert.equal(findSecretMaterial("DB_PASS=hunter2").length, 1);
  assert.equal(findSecretMaterial("ssh_passphrase: hunter2").length, 1);
  assert.deepEqual(findSecretMaterial("BYPASS=1\ncompass=north"), []);
});

test("credential keys: a token counts, a tokenizer (a text analyser's setting) does not", () => {
  for (const key of ["token", "AUTH_TOKEN", "accessToken", "x-auth-token", "tokens"]) {
    assert.equal(isCredentialKey(key), true, key);
  }
  for (const key of ["tokenizer", "TOKENIZER_NAME", "tokenize", "tokenise"]) {
    assert.equal(isCredentialKey(key), false, key);
  }
  assert.equal(findSecretMaterial('{"token": "abc123"}').length, 1);
  assert.equal(findSecretMaterial("AUTH_TOKEN=abc123").length, 1);
  assert.deepEqual(
    findSecretMaterial('{"analysis": {"analyzer": {"csv": {"tokenizer": "reasons_comma"}}}}'),
    [],
  );
  assert.deepEqual(findSecretMaterial("tokenizer: reasons_comma"), []);
});
