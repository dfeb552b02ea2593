import { stringify } from "yaml";
import { AKS_AAD_SERVER_APP_ID } from "./tokens";
import type { ClusterEntry } from "./store";

/** The public client id of the Azure CLI, which AKS kubeconfigs name for kubelogin's device-code login. */
const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

export type KubeUser = { token: string } | { exec: { tenantId: string } };

export interface KubeconfigCluster {
  /** Context and cluster name. */
  name: string;
  server: string;
  caPem: string;
  userName: string;
  user: KubeUser;
}

function userBody(user: KubeUser): Record<string, unknown> {
  if ("token" in user) return { token: user.token };
  // What `az aks get-credentials` returns for AKS-managed Entra clusters: kubelogin as an exec plugin.
  return {
    exec: {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "kubelogin",
      args: ["get-token", "--login", "devicecode", "--server-id", AKS_AAD_SERVER_APP_ID, "--client-id", AZURE_CLI_CLIENT_ID, "--tenant-id", user.exec.tenantId, "--environment", "AzurePublicCloud"],
      env: null,
      installHint: "\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n",
      interactiveMode: "IfAvailable",
      provideClusterInfo: false,
    },
  };
}

/** A kubeconfig (YAML) with one context per cluster; the first is the current context. */
export function renderKubeconfig(clusters: KubeconfigCluster[]): string {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    "current-context": clusters[0]?.name ?? "",
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: { "certificate-authority-data": Buffer.from(c.caPem, "utf8").toString("base64"), server: c.server },
    })),
    contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.userName } })),
    users: clusters.map((c) => ({ name: c.userName, user: userBody(c.user) })),
  };
  return stringify(doc);
}

/** Context names are the cluster names; a name used twice gets its resource group appended. */
export function contextNames(clusters: ClusterEntry[]): Map<ClusterEntry, string> {
  const counts = new Map<string, number>();
  for (const c of clusters) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const out = new Map<ClusterEntry, string>();
  for (const c of clusters) {
    const rg = /\/resourceGroups\/([^/]+)/i.exec(c.id)?.[1] ?? c.key;
    out.set(c, (counts.get(c.name) ?? 0) > 1 ? `${c.name}-${rg}` : c.name);
  }
  return out;
}
