import { normalizeId } from "@/lib/model/scope";
import type { AzureIdentity, FederatedCredential, Inventory, ServiceAccount } from "@/lib/model/types";

/** Kubernetes objects and federated credentials the graph's node factories describe, by key. */
export interface GraphLookups {
  /** `<normalised cluster id>|<namespace>|<name>`. */
  serviceAccounts: Map<string, ServiceAccount>;
  azureIdentities: Map<string, AzureIdentity>;
  /** By normalised id. */
  federatedCredentials: Map<string, FederatedCredential>;
}

/** Each key maps to the first object with it, as a search of the inventory's lists would find. */
export function buildGraphLookups(inventory: Inventory): GraphLookups {
  const first = <T>(items: readonly T[], key: (x: T) => string) => {
    const m = new Map<string, T>();
    for (const x of items) {
      const k = key(x);
      if (!m.has(k)) m.set(k, x);
    }
    return m;
  };
  const k8s = inventory.kubernetes;
  return {
    serviceAccounts: first(k8s.serviceAccounts, (s) => `${normalizeId(s.clusterId)}|${s.namespace}|${s.name}`),
    azureIdentities: first(k8s.azureIdentities, (a) => `${normalizeId(a.clusterId)}|${a.namespace}|${a.name}`),
    federatedCredentials: first(inventory.federatedCredentials, (f) => normalizeId(f.id)),
  };
}
