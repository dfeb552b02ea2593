/**
 * A short stable hash of the parts (case-insensitive, as ARM ids are), to keep derived names
 * unique and deterministic. FNV-1a over two seeds: no node:crypto, so the renderers also run
 * in the browser.
 */
export function shortHash(parts: readonly string[], length = 8): string {
  const text = parts.map((p) => p.toLowerCase()).join("\n");
  const fnv = (seed: number) => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
  };
  return (fnv(0x811c9dc5) + fnv(0x050c5d1f)).slice(0, length);
}

/**
 * An identifier valid in HCL and Bicep (letters, digits, underscores; starting with a
 * letter), lower-cased, from free text such as a role name or a resource name.
 */
export function identifier(parts: readonly string[], max = 48): string {
  const s = parts
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, max)
    .replace(/_+$/, "");
  return /^[a-z]/.test(s) ? s : `r_${s}`;
}

/** Hands out identifiers, adding a numeric suffix on the rare clash. */
export class IdentifierPool {
  private readonly used = new Set<string>();
  take(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** `aadpodidentity.k8s.io/v1` + `AzureIdentityBinding` → `azureidentitybinding.aadpodidentity.k8s.io` (what kubectl resolves unambiguously). */
export function kubectlResource(apiVersion: string, kind: string): string {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}
