/** FNV-1a, 64-bit, as hex: a stable, dependency-free hash for finding ids (not a security boundary). */
export function stableHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, "0");
}

/** The same finding gets the same id in every scan: rule id + the normalised key parts. */
export function findingId(ruleId: string, key: readonly string[]): string {
  return `${ruleId}-${stableHash(key.map((k) => k.toLowerCase()).join("|")).slice(0, 12)}`;
}
