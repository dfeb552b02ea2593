/**
 * Terraform addresses and references: `module.aks["a"].azurerm_role_assignment.acr[0]`,
 * `azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id`. A step is a name with an
 * optional index (`[0]`, `["key"]`); keys are JSON-quoted strings, so they may hold dots.
 */
export type PathStep = string | number;

export interface AddressStep {
  name: string;
  /** The bracketed index exactly as written (`[0]`, `["web"]`), or "" when none. */
  key: string;
}

/** Splits an address or reference into steps; a malformed one yields undefined. */
export function parseSteps(text: string): AddressStep[] | undefined {
  const steps: AddressStep[] = [];
  let i = 0;
  while (i < text.length) {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    let key = "";
    while (text[i] === "[") {
      const start = i;
      i++;
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
        i++;
      } else {
        while (i < text.length && text[i] !== "]") i++;
      }
      if (text[i] !== "]") return undefined;
      i++;
      key += text.slice(start, i);
    }
    steps.push({ name: m[0], key });
    if (i < text.length) {
      if (text[i] !== ".") return undefined;
      i++;
    }
  }
  return steps;
}

const join = (steps: AddressStep[]) => steps.map((s) => s.name + s.key).join(".");

export interface ResourceAddress {
  /** The module instance path (`module.aks`, `module.aks["a"].module.b`), "" for the root module. */
  module: string;
  /** `azurerm_role_assignment.acr` or `data.azurerm_resource_group.rg`, without instance key. */
  resource: string;
  /** The instance key as written, or "". */
  key: string;
}

/** Splits an absolute resource instance address; undefined when it is not one. */
export function parseResourceAddress(address: string): ResourceAddress | undefined {
  const steps = parseSteps(address);
  if (!steps) return undefined;
  let i = 0;
  while (steps[i]?.name === "module" && steps[i + 1]) i += 2;
  const mod = join(steps.slice(0, i));
  const rest = steps.slice(i);
  const isData = rest[0]?.name === "data" && rest[0].key === "";
  const parts = isData ? rest.slice(1) : rest;
  if (parts.length !== 2 || parts[0]!.key !== "") return undefined;
  return { module: mod, resource: `${isData ? "data." : ""}${parts[0]!.name}.${parts[1]!.name}`, key: parts[1]!.key };
}

/** A module instance path without its instance keys: `module.aks["a"]` → `module.aks`. */
export function moduleConfigPath(modulePath: string): string {
  const steps = parseSteps(modulePath) ?? [];
  return steps.map((s) => s.name).join(".");
}

/** The configuration address (no instance keys anywhere) of a resource instance address. */
export function configAddress(address: string): string | undefined {
  const a = parseResourceAddress(address);
  if (!a) return undefined;
  const mod = moduleConfigPath(a.module);
  return mod ? `${mod}.${a.resource}` : a.resource;
}

export function withModule(modulePath: string, local: string): string {
  return modulePath ? `${modulePath}.${local}` : local;
}

/** Path steps of a reference's attribute part: `kubelet_identity[0].object_id` → ["kubelet_identity", 0, "object_id"]. */
export function attributePath(steps: AddressStep[]): PathStep[] {
  const out: PathStep[] = [];
  for (const s of steps) {
    out.push(s.name);
    for (const m of s.key.matchAll(/\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]/g)) {
      out.push(m[2] !== undefined ? Number(m[2]) : (JSON.parse(`"${m[1]}"`) as string));
    }
  }
  return out;
}

/** `["kubelet_identity", 0, "object_id"]` → `kubelet_identity[0].object_id`. */
export function formatPath(path: readonly PathStep[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
