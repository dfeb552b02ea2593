import { createHash } from "node:crypto";

/**
 * Deterministic names for generated tenants: the same builder calls always give the same
 * bytes, so committed tenant files can be regenerated and diffed, and a seed fixes a
 * generated tenant.
 */

/**
 * A GUID derived from a name (RFC 4122 version-5 layout over SHA-1), so ids are stable across
 * runs and readable in code as names. `namespace` keeps one tenant's ids apart from another's.
 */
export function stableGuid(name: string, namespace = "scopewise-demo"): string {
  const h = createHash("sha1").update(`${namespace}:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A name → GUID function for one tenant: `stableGuid(name, namespace)`. */
export type GuidOf = (name: string) => string;

/** Kubernetes' SafeEncodeString alphabet (no vowels, no look-alikes), used for pod-template-hash and pod suffixes. */
const KUBE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A suffix in the alphabet Kubernetes uses for generated names, derived from `name`. */
export function kubeSuffix(name: string, length: number): string {
  const h = createHash("sha1").update(`kube:${name}`).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += KUBE_ALPHABET[h[i]! % KUBE_ALPHABET.length];
  return out;
}

/** A small seeded PRNG (mulberry32): deterministic choices per seed, numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fixed, increasing timestamp in ARM's seven-digit form: realistic `createdOn` values without reading the clock. */
export function tickingClock(startUtcMs: number): () => string {
  let tick = 0;
  return () => {
    const t = new Date(startUtcMs + tick++ * 7 * 3_600_000 + (tick % 5) * 61_000);
    return t.toISOString().replace(/\.\d{3}Z$/, ".0000000Z");
  };
}
