import { normalizeId } from "@/lib/model/scope";
import type { ConfigMap, EnvReference, PodContainer } from "@/lib/model/types";

/**
 * `AZURE_CLIENT_ID` in a container's environment picks the user-assigned identity the Azure
 * SDKs ask IMDS (or the workload-identity webhook) for. It may be a literal value, one key of a
 * ConfigMap or Secret (`valueFrom`), or come with every key of one (`envFrom`). ConfigMaps are
 * read; Secrets never are, so a client id taken from a Secret is unknown, not absent.
 */
export const CLIENT_ID_VARIABLE = "AZURE_CLIENT_ID";

/** ConfigMaps of one scan, by cluster, namespace and name. */
export type ConfigMapLookup = (namespace: string, name: string) => ConfigMap | undefined;

export function configMapLookup(configMaps: readonly ConfigMap[] | undefined, clusterId: string): ConfigMapLookup {
  const byKey = new Map<string, ConfigMap>();
  const cluster = normalizeId(clusterId);
  for (const c of configMaps ?? []) if (normalizeId(c.clusterId) === cluster) byKey.set(`${c.namespace}/${c.name}`, c);
  return (namespace, name) => byKey.get(`${namespace}/${name}`);
}

export interface ClientIdSource {
  /** The client id, when the scan could read it. */
  clientId?: string;
  /** Why it is not known, naming the object it would come from. */
  unknown?: string;
}

function describe(ref: EnvReference, namespace: string): string {
  const kind = ref.source === "configMap" ? "ConfigMap" : "Secret";
  return `${kind} ${namespace}/${ref.name}${ref.key ? ` (key ${ref.key})` : ""}`;
}

/** One key of a ConfigMap or Secret; a Secret's value is never read. */
function fromReference(ref: EnvReference, key: string, namespace: string, lookup: ConfigMapLookup): ClientIdSource | undefined {
  if (ref.source === "secret") return { unknown: `${CLIENT_ID_VARIABLE} comes from ${describe(ref, namespace)}, which Scopewise does not read` };
  const configMap = lookup(namespace, ref.name);
  if (!configMap) return { unknown: `${CLIENT_ID_VARIABLE} comes from ${describe(ref, namespace)}, which the scan did not read` };
  const value = configMap.data[key]?.trim();
  return value ? { clientId: value } : undefined;
}

/**
 * Where one container's `AZURE_CLIENT_ID` comes from, with Kubernetes' precedence: an `env`
 * entry wins over `envFrom`, and among `envFrom` sources the last one defining the variable wins.
 * Undefined when the container does not set it.
 */
export function containerClientId(container: PodContainer, namespace: string, lookup: ConfigMapLookup): ClientIdSource | undefined {
  const literal = container.env[CLIENT_ID_VARIABLE]?.trim();
  if (literal) return { clientId: literal };
  const ref = container.envRefs?.[CLIENT_ID_VARIABLE];
  if (ref) return fromReference(ref, ref.key!, namespace, lookup) ?? { unknown: `${CLIENT_ID_VARIABLE} names key ${ref.key} of ${describe({ ...ref, key: undefined }, namespace)}, which has no such key` };
  // Whole Secrets passed with envFrom are left out: nearly every app takes some (database
  // passwords, API keys), and saying "unknown" for each would bury the few that matter.
  for (const source of [...(container.envFrom ?? [])].reverse()) {
    const prefix = source.prefix ?? "";
    if (source.source === "secret" || !CLIENT_ID_VARIABLE.startsWith(prefix)) continue;
    const found = fromReference(source, CLIENT_ID_VARIABLE.slice(prefix.length), namespace, lookup);
    if (found?.clientId) return found;
  }
  return undefined;
}
