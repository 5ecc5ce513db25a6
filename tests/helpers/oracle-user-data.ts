import type { OracleUserDataParams } from "../../stacks/aws-resources/oracle/user-data";

/** Oracle user-data parameters as the stack would pass them, for the user-data tests. */
export const ORACLE_PARAMS: OracleUserDataParams = {
  region: "us-east-1",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-a1b2-oracle-AbCdEf",
  readyParameterName: "/fd-dev-a1b2/oracle/ready",
  dataVolumeId: "vol-0123456789abcdef0",
  image: "container-registry.oracle.com/database/express:21.3.0-xe",
  publicIp: "203.0.113.10",
  recoveryAreaGiB: 30,
};
