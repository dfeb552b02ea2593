const TWO_32 = 0x1_0000_0000;

/**
 * FNV-1a, 64-bit, as hex: a stable, dependency-free hash for finding ids (not a security
 * boundary). Computed on two 32-bit halves: a scan hashes a key per finding, and BigInt
 * arithmetic allocated per character.
 */
export function stableHash(text: string): string {
  // Offset basis 0xcbf29ce484222325; prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // h * prime mod 2^64 = h * 0x1b3 + (h << 40): the low half's product carries into the high half.
    const low = lo * 0x1b3;
    const carry = Math.floor(low / TWO_32);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

/** The same finding gets the same id in every scan: rule id + the normalised key parts. */
export function findingId(ruleId: string, key: readonly string[]): string {
  return `${ruleId}-${stableHash(key.map((k) => k.toLowerCase()).join("|")).slice(0, 12)}`;
}
