import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";

export interface ServiceAccountTokenInput {
  namespace: string;
  serviceAccount: string;
  /** The audience the token is for; Entra's workload-identity exchange expects `api://AzureADTokenExchange`. */
  audience: string;
  /** Lifetime asked for; the API server refuses less than 600 s and may shorten it. */
  expirationSeconds?: number;
  /** Binds the token to a pod: it stops being valid once that pod is gone. */
  pod?: { name: string; uid: string };
}

/**
 * A projected ServiceAccount token through the TokenRequest API (authentication.k8s.io/v1,
 * `create serviceaccounts/token`), the token the workload-identity webhook mounts into pods.
 * The token is for the caller to hand on, never to log.
 */
export async function requestServiceAccountToken(kubeConfig: KubeConfig, input: ServiceAccountTokenInput): Promise<{ token: string; expiresAt: string }> {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const answer = await api.createNamespacedServiceAccountToken({
    name: input.serviceAccount,
    namespace: input.namespace,
    body: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: {
        audiences: [input.audience],
        ...(input.expirationSeconds !== undefined ? { expirationSeconds: input.expirationSeconds } : {}),
        ...(input.pod ? { boundObjectRef: { apiVersion: "v1", kind: "Pod", name: input.pod.name, uid: input.pod.uid } } : {}),
      },
    },
  });
  const token = answer.status?.token;
  const expires = answer.status?.expirationTimestamp as unknown;
  if (!token || !expires) throw new Error(`the TokenRequest for ServiceAccount ${input.namespace}/${input.serviceAccount} came back without status.token or status.expirationTimestamp`);
  const expiresAt = expires instanceof Date ? expires.toISOString().replace(/\.\d{3}Z$/, "Z") : String(expires);
  return { token, expiresAt };
}
