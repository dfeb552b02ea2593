import type { TokenCredential } from "@azure/core-auth";
import { KubeConfig, type User } from "@kubernetes/client-node";

/**
 * The AKS Microsoft Entra server application id: the audience of tokens the API server of
 * an Entra-enabled AKS cluster accepts (kubelogin's `--server-id`).
 */
export const aksEntraServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** A KubeConfig for a cluster, by managedCluster id, carrying the caller's credential and rights. */
export type KubeAccess = (clusterId: string) => Promise<KubeConfig>;

/** Why the current kubeconfig user needs a token from the scan's credential, and for which audience. */
export interface TokenRequirement {
  userName: string;
  serverId: string;
}

/**
 * For Entra-enabled AKS clusters, listClusterUserCredential returns a kubeconfig whose
 * user runs an exec plugin (kubelogin, or the legacy `azure` auth-provider). A server
 * cannot run kubelogin, so such users are answered with a token from the scan's own
 * credential. Returns undefined when the user already carries what it needs
 * (client certificate or token, as on local-accounts clusters).
 */
export function tokenRequirement(kubeConfig: KubeConfig): TokenRequirement | undefined {
  const user = kubeConfig.getCurrentUser();
  if (!user) return undefined;
  if (user.exec) {
    const args: unknown = user.exec.args;
    return { userName: user.name, serverId: argValue(Array.isArray(args) ? args : [], "--server-id") ?? aksEntraServerAppId };
  }
  if (user.authProvider) {
    const config = (user.authProvider as { config?: Record<string, unknown> }).config;
    const apiserverId = config?.["apiserver-id"];
    return { userName: user.name, serverId: typeof apiserverId === "string" && apiserverId ? apiserverId : aksEntraServerAppId };
  }
  return undefined;
}

/** Replaces the named user's exec / auth-provider with a bearer token, keeping everything else. */
export function withUserToken(kubeConfig: KubeConfig, userName: string, token: string): KubeConfig {
  const next = new KubeConfig();
  const users: User[] = kubeConfig.users.map((user) => (user.name === userName ? { name: user.name, token } : user));
  next.loadFromOptions({
    clusters: kubeConfig.clusters,
    contexts: kubeConfig.contexts,
    users,
    currentContext: kubeConfig.getCurrentContext(),
  });
  return next;
}

/**
 * Builds the KubeConfig used to read one cluster from the kubeconfig YAML ARM returned.
 * The cluster's CA and server URL are kept as ARM gave them; TLS verification stays on.
 */
export async function buildKubeConfig(kubeconfigYaml: string, credential: TokenCredential): Promise<KubeConfig> {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(kubeconfigYaml);
  } catch (error) {
    throw new Error(`the kubeconfig ARM returned is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig ARM returned has no cluster for its current context "${kubeConfig.getCurrentContext()}"`);
  if (cluster.skipTLSVerify) throw new Error(`the kubeconfig for ${cluster.server} disables TLS verification; refusing to send a token to it`);
  const requirement = tokenRequirement(kubeConfig);
  if (!requirement) return kubeConfig;
  const accessToken = await credential.getToken(`${requirement.serverId}/.default`);
  if (!accessToken) throw new Error(`the credential returned no token for the AKS server application ${requirement.serverId}`);
  return withUserToken(kubeConfig, requirement.userName, accessToken.token);
}

function argValue(args: unknown[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== "string") continue;
    if (arg === flag) {
      const value = args[i + 1];
      return typeof value === "string" ? value : undefined;
    }
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}
