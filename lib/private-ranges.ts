/**
 * Whether a CIDR lies wholly inside a private range: RFC 1918 for IPv4 (10/8, 172.16/12, 192.168/16),
 * unique local addresses (fc00::/7) for IPv6. Such a source can only be inside the VPC or a network
 * routed to it, never an internet client. No imports: the policy pack reads it too.
 */
const IPV4_PRIVATE: readonly (readonly [number, number])[] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
];

function ipv4Number(address: string): number | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function isPrivateCidr(cidr: string): boolean {
  const [address = "", bits = ""] = cidr.trim().split("/");
  if (!/^\d{1,3}$/.test(bits)) return false;
  const prefix = Number(bits);
  if (address.includes(":")) return prefix >= 7 && prefix <= 128 && /^f[cd]/i.test(address);
  const n = ipv4Number(address);
  if (n === undefined || prefix > 32) return false;
  return IPV4_PRIVATE.some(
    ([base, size]) => prefix >= size && Math.floor(n / 2 ** (32 - size)) === base / 2 ** (32 - size),
  );
}
