import {
  CAPACITY_PUBLISH_SECONDS,
  ORACLE_CAPACITY_METRICS,
  ORACLE_METRICS_NAMESPACE,
} from "../../../lib/oracle-capacity";

/**
 * The constant text of the Oracle host's bootstrap script (see user-data.ts, which validates the
 * parameters, assigns them at the top and adds the SQL). Bash only reads the shell-quoted variables
 * REGION, SECRET_ARN, READY_PARAMETER, DATA_DEVICE, ORACLE_IMAGE, PUBLIC_IP and FRA_GIB.
 */

export const HEADER = `#!/bin/bash
# Oracle XE + XStream host bootstrap, rendered by stacks/aws-resources/oracle/user-data.ts.
# It holds no secret: the passwords are read from Secrets Manager at boot with the instance role.
# Progress: /var/log/cloud-init-output.log. Result: the SSM parameter READY_PARAMETER ("ready:<instance-id>" or "failed:<instance-id>: <step>").
set -euo pipefail
set -o errtrace
umask 077`;

export const CONSTANTS = `CONTAINER=oracle-xe
DATA_DIR=/opt/oracle/oradata
ENV_DIR=/etc/oracle-xe
IMDS=http://169.254.169.254/latest
STEP=boot`;

export const HELPERS = `signal() {
  aws ssm put-parameter --region "$REGION" --name "$READY_PARAMETER" --type String --overwrite --value "$1" >/dev/null
}

on_error() {
  local rc=$?
  trap - ERR
  echo "oracle setup failed at step $STEP (exit $rc)" >&2
  # Scoped to this host, like the ready signal: a replacement host's gate must not read it as its own.
  signal "failed:\${INSTANCE_ID:-unknown}: $STEP" || true
  exit "$rc"
}
trap on_error ERR

# attempt <tries> <seconds between tries> <command...>: every wait in this script is bounded.
attempt() {
  local tries=$1 pause=$2 i
  shift 2
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    if ((i < tries)); then sleep "$pause"; fi
  done
  echo "gave up after $tries tries: $1" >&2
  return 1
}

imds() {
  curl -sSf -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "$IMDS/meta-data/$1"
}

has_public_ip() {
  [ -z "$PUBLIC_IP" ] || [ "$(imds public-ipv4 2>/dev/null || true)" = "$PUBLIC_IP" ]
}

# An image mirrored into ECR needs a login to its registry first (the host role may pull that repository).
pull_image() {
  local registry="\${ORACLE_IMAGE%%/*}" region
  case $registry in *.dkr.ecr.*.amazonaws.com)
    region=\${registry#*.dkr.ecr.}
    aws ecr get-login-password --region "\${region%%.*}" | docker login -u AWS --password-stdin "$registry" >/dev/null ;;
  esac
  docker pull --quiet "$ORACLE_IMAGE"
}

container_healthy() {
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER" 2>/dev/null || true)" = healthy ]
}

# A password from the secret. They are generated alphanumeric, which keeps them inert inside the
# double-quoted Oracle identifiers and the env file below; anything else is refused.
password() {
  local value
  value=$(jq -er --arg user "$1" '.[$user]' <<<"$SECRET_JSON")
  if ! [[ $value =~ ^[A-Za-z0-9]{16,30}$ ]]; then
    echo "the password of $1 in the secret is not 16-30 letters and digits" >&2
    return 1
  fi
  printf '%s' "$value"
}

# SQL*Plus as SYSDBA inside the container, as the oracle OS user: OS authentication (no password on
# any command line) needs the dba group, and a docker exec otherwise runs as the image's user, which
# is root in the published XE image (https://github.com/oracle/docker-images/issues/1213).
# Every statement failure fails the step; substitution variables carry the passwords, never echoed.
run_sql() {
  local out
  out=$({
    printf '%s\\n' 'WHENEVER SQLERROR EXIT FAILURE' 'WHENEVER OSERROR EXIT FAILURE' \\
      'SET VERIFY OFF FEEDBACK OFF HEADING OFF PAGESIZE 0 LINESIZE 200'
    local fn
    for fn in "$@"; do "$fn"; done
    printf 'EXIT\\n'
  } | docker exec -u oracle -i "$CONTAINER" sqlplus -S -L / as sysdba)
  printf '%s\\n' "$out"
  # WHENEVER SQLERROR does not cover SQL*Plus command errors: a failed CONNECT leaves the session
  # "not connected", later blocks are skipped with SP2-0640 and SQL*Plus still exits 0.
  if grep -Eq '^(SP2-[0-9]+|ORA-[0-9]+|ERROR:)' <<<"$out"; then
    echo "SQL*Plus reported an error in step $STEP" >&2
    return 1
  fi
}

password_defines() {
  printf 'DEFINE sys_pwd = "%s"\\n' "$SYS_PWD"
  printf 'DEFINE sample_pwd = "%s"\\n' "$SAMPLE_PWD"
  printf 'DEFINE cfltadmin_pwd = "%s"\\n' "$CFLTADMIN_PWD"
  printf 'DEFINE cfltuser_pwd = "%s"\\n' "$CFLTUSER_PWD"
}

recovery_defines() {
  printf 'DEFINE fra_gib = %s\\n' "$FRA_GIB"
}`;

/**
 * The housekeeping timer (every CAPACITY_PUBLISH_SECONDS): its script is written from these functions,
 * run_sql and the SQL and RMAN functions, so it runs exactly the text the budget and the checks see.
 * RMAN deletes only archived logs the XStream capture no longer needs: with a local capture it keeps
 * every log at or after the capture's required checkpoint SCN and reports each one as RMAN-08137
 * (docs/operations.md cites Oracle's rule). One journal line per run says what it deleted and kept.
 */
export const HOUSEKEEPING = `housekeeping() {
  local out rc=0 fra disk m
  out=$(rman_archivelog_cleanup | docker exec -u oracle -i "$CONTAINER" rman target / 2>&1) || rc=$?
  fra=$(run_sql sql_recovery_area_usage | tr -dc 0-9)
  disk=$(df --output=pcent "$DATA_DIR" | tr -dc 0-9)
  echo "archived logs: $(grep -c '^deleted archived log' <<<"$out") deleted, $(grep -c RMAN-08137 <<<"$out")" \\
    "kept for XStream (rman exit $rc); recovery area $fra%, data volume $disk% used"
  for m in ${ORACLE_CAPACITY_METRICS.recoveryArea.name}=$fra ${ORACLE_CAPACITY_METRICS.dataVolume.name}=$disk; do
    aws cloudwatch put-metric-data --region "$REGION" --namespace ${ORACLE_METRICS_NAMESPACE} --unit Percent \\
      --dimensions "InstanceId=$INSTANCE_ID" --metric-name "\${m%=*}" --value "\${m#*=}"
  done
  return "$rc"
}

# install_housekeeping <bin dir> <unit dir>
install_housekeeping() {
  local bin=$1/oracle-housekeeping
  {
    printf '%s\\n' '#!/bin/bash' 'set -euo pipefail' STEP=housekeeping
    declare -p REGION CONTAINER DATA_DIR INSTANCE_ID
    declare -f run_sql sql_recovery_area_usage rman_archivelog_cleanup housekeeping
    echo housekeeping
  } >"$bin"
  chmod 700 "$bin"
  printf '[Service]\\nType=oneshot\\nExecStart=%s\\n' "$bin" >"$2/oracle-housekeeping.service"
  printf '[Timer]\\nOnCalendar=*:0/${CAPACITY_PUBLISH_SECONDS / 60}\\n[Install]\\nWantedBy=timers.target\\n' >"$2/oracle-housekeeping.timer"
  systemctl daemon-reload
  systemctl enable --now oracle-housekeeping.timer
}`;

export const BODY = `STEP=imds-token
IMDS_TOKEN=$(curl -sSf -X PUT "$IMDS/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600')
INSTANCE_ID=$(imds instance-id)

# The host's only public address is its Elastic IP, associated just after launch: wait for it before
# touching the network, so no download is cut off by an address change.
STEP=wait-for-elastic-ip
attempt 60 5 has_public_ip

STEP=signal-configuring
attempt 10 6 signal configuring

STEP=install-packages
attempt 5 10 dnf install -y docker jq
systemctl enable --now docker

STEP=wait-for-data-volume
attempt 60 5 test -b "$DATA_DEVICE"

# Format only a blank volume: a replaced host reattaches the existing database.
STEP=format-data-volume
if [ -z "$(blkid -o value -s TYPE "$DATA_DEVICE" || true)" ]; then
  mkfs.xfs -L oradata "$DATA_DEVICE"
fi

STEP=mount-data-volume
DATA_UUID=$(blkid -o value -s UUID "$DATA_DEVICE")
mkdir -p "$DATA_DIR"
if ! grep -q "^UUID=$DATA_UUID " /etc/fstab; then
  echo "UUID=$DATA_UUID $DATA_DIR xfs defaults,nofail 0 2" >>/etc/fstab
fi
mountpoint -q "$DATA_DIR" || mount "$DATA_DIR"
# uid/gid 54321 is the oracle user inside the image.
chown 54321:54321 "$DATA_DIR"
chmod 750 "$DATA_DIR"

STEP=read-secret
SECRET_JSON=$(attempt 10 6 aws secretsmanager get-secret-value --region "$REGION" --secret-id "$SECRET_ARN" \\
  --query SecretString --output text)
BOOTSTRAP_PWD=$(password bootstrap)
SYS_PWD=$(password sys)
SAMPLE_PWD=$(password sample)
CFLTADMIN_PWD=$(password 'c##cfltadmin')
CFLTUSER_PWD=$(password 'c##cfltuser')
unset SECRET_JSON

STEP=pull-image
attempt 5 15 pull_image

# ORACLE_PWD reaches the container through a root-only env file, never a command line; the file is
# removed once the container exists (the image reads it only when it creates the database). Docker
# keeps the value in the container's configuration, so it is only a bootstrap password: the
# admin-accounts step below replaces it.
STEP=start-container
if docker container inspect "$CONTAINER" >/dev/null 2>&1; then
  docker start "$CONTAINER" >/dev/null
else
  install -d -m 700 "$ENV_DIR"
  install -m 600 /dev/null "$ENV_DIR/oracle.env"
  printf 'ORACLE_PWD=%s\\nORACLE_CHARACTERSET=AL32UTF8\\n' "$BOOTSTRAP_PWD" >"$ENV_DIR/oracle.env"
  # Only the listener is published (no EM Express); the security group decides who reaches it.
  docker run -d --name "$CONTAINER" --restart unless-stopped --env-file "$ENV_DIR/oracle.env" \\
    -p 1521:1521 -v "$DATA_DIR:/opt/oracle/oradata" "$ORACLE_IMAGE" >/dev/null
  rm -f "$ENV_DIR/oracle.env"
fi
unset BOOTSTRAP_PWD

# The first start creates the database (10-20 minutes on a t3.large).
STEP=wait-for-database
attempt 120 15 container_healthy

STEP=enable-replication
run_sql sql_enable_replication

STEP=recovery-area
install -d -o 54321 -g 54321 -m 750 "$DATA_DIR/fast_recovery_area"
run_sql recovery_defines sql_recovery_area

STEP=archivelog
if [ "$(run_sql sql_log_mode | tr -d '[:space:]')" != ARCHIVELOG ]; then
  run_sql sql_archivelog
fi

STEP=open-pdb
run_sql sql_open_pdb

STEP=supplemental-logging
run_sql sql_supplemental_logging

STEP=tablespaces
run_sql sql_tablespaces

STEP=xstream-users
run_sql password_defines sql_xstream_users sql_cdc_encryption_trigger sql_xstream_users_pdb sql_cdc_encryption_trigger

STEP=password-rollover
run_sql sql_password_rollover

STEP=app-user
run_sql password_defines sql_app_user

STEP=outbound-server
run_sql password_defines sql_outbound_server

STEP=admin-accounts
run_sql password_defines sql_admin_accounts

# Native network encryption: Oracle clients accept it by default, so the CDC connection over the internet
# is AES-encrypted without client settings; REQUESTED, as the web app's driver cannot (07 requires it of CDC).
# As the oracle user, so the files stay owned by (and readable for) the database's own user.
STEP=network-encryption
docker exec -u oracle -i "$CONTAINER" bash -s <<'END_OF_SQLNET'
set -euo pipefail
for dir in "$ORACLE_HOME/network/admin" "$(orabasehome)/network/admin"; do
  mkdir -p "$dir"
  touch "$dir/sqlnet.ora"
  if ! grep -q '^SQLNET.ENCRYPTION_SERVER' "$dir/sqlnet.ora"; then
    printf '%s\\n' 'SQLNET.ENCRYPTION_SERVER = REQUESTED' 'SQLNET.ENCRYPTION_TYPES_SERVER = (AES256, AES192)' \\
      'SQLNET.CRYPTO_CHECKSUM_SERVER = REQUESTED' 'SQLNET.CRYPTO_CHECKSUM_TYPES_SERVER = (SHA256, SHA512)' \\
      >>"$dir/sqlnet.ora"
  fi
done
END_OF_SQLNET

STEP=housekeeping-timer
install_housekeeping /usr/local/sbin /etc/systemd/system

STEP=ready
attempt 10 6 signal "ready:$INSTANCE_ID"
echo "Oracle XE with XStream is ready"`;
