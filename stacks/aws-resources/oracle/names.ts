/** Fixed names of the database side of the CDC path (the connector stack reads them from the contract). */
export const ORACLE = {
  port: 1521,
  serviceName: "XE",
  pdbName: "XEPDB1",
  schema: "SAMPLE",
  outboundServer: "XOUT",
  xstreamAdmin: "c##cfltadmin",
  xstreamUser: "c##cfltuser",
  appUser: "sample",
} as const;

/**
 * Keys of the JSON document in the Oracle secret: one password per database user (`sys` is SYS's and
 * SYSTEM's), plus `bootstrap`, the value the container creates the database with. Docker keeps that one
 * in the container's configuration, so the setup replaces it and it opens nothing afterwards.
 */
export const SECRET_KEYS = [
  "bootstrap",
  "sys",
  ORACLE.appUser,
  ORACLE.xstreamAdmin,
  ORACLE.xstreamUser,
] as const;
