/**
 * Where a CIDR stops being a restriction, shared by the config validators and the policy pack (which
 * loads this file on its own, so it imports nothing).
 */

/** A prefix this short or shorter covers (nearly) the whole internet: refused on every stack. */
export const WORLD_OPEN_MAX_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/** The widest CIDR a stack other than the trial stack accepts in a `*Cidrs` list. */
export const OFF_TRIAL_MIN_PREFIX = { ipv4: 16, ipv6: 48 } as const;
