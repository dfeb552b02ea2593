import type { KubeWireObject } from "@/lib/model/wire";
import { sendJson, type RequestContext } from "./http";
import { status } from "./kubernetes-api";
import { authorizeKube } from "./kubernetes-rbac";
import type { ServiceAccountIssuer } from "./service-account-issuer";
import type { ClusterEntry, TenantStore } from "./store";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

/** The API server's defaults and bounds for TokenRequest.spec.expirationSeconds. */
const DEFAULT_EXPIRATION = 3600;
const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 2 ** 32;

const rfc3339 = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

function invalid(name: string, field: string, value: unknown, why: string) {
  return status(422, "Invalid", `TokenRequest.authentication.k8s.io "${name}" is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${why}`, {
    name,
    group: "authentication.k8s.io",
    kind: "TokenRequest",
    causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field }],
  });
}

function find(cluster: ClusterEntry, kind: string, ns: string, name: string): KubeWireObject | undefined {
  return cluster.objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? "default") === ns);
}

/**
 * `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token` (authentication.k8s.io/v1
 * TokenRequest): authorized as `create serviceaccounts/token`, answered 201 with
 * `status.token` (an RS256 JWT from the cluster's ServiceAccount issuer) and
 * `status.expirationTimestamp`. The token's `sub` is `system:serviceaccount:<ns>:<name>` and
 * its `kubernetes.io` claim names the namespace, the ServiceAccount and the bound pod.
 */
export async function handleTokenRequest(ctx: RequestContext, deps: { store: TenantStore; issuer: ServiceAccountIssuer }, cluster: ClusterEntry, ns: string, name: string): Promise<void> {
  authorizeKube(ctx, deps.store, cluster, { verb: "create", group: "", resource: "serviceaccounts/token", namespace: ns, name });
  ctx.count("k8s:serviceaccounts/token");
  let body: unknown;
  try {
    body = JSON.parse((await ctx.readBody()) || "null");
  } catch (e) {
    throw status(400, "BadRequest", `the body of the request was in an unknown format: ${(e as Error).message}`);
  }
  if (!isMap(body)) throw status(400, "BadRequest", "the body of the request must be a TokenRequest object");
  if (body.kind !== undefined && body.kind !== "TokenRequest") throw status(400, "BadRequest", `the body is a ${String(body.kind)}, not an authentication.k8s.io/v1 TokenRequest`);
  const spec = isMap(body.spec) ? body.spec : {};
  const sa = find(cluster, "ServiceAccount", ns, name);
  if (!sa) throw status(404, "NotFound", `serviceaccounts "${name}" not found`, { name, kind: "serviceaccounts" });

  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION;
  if (typeof expirationSeconds !== "number" || !Number.isInteger(expirationSeconds)) throw invalid(name, "spec.expirationSeconds", expirationSeconds, "must be an integer");
  if (expirationSeconds < MIN_EXPIRATION) throw invalid(name, "spec.expirationSeconds", expirationSeconds, "may not specify a duration less than 10 minutes");
  if (expirationSeconds > MAX_EXPIRATION) throw invalid(name, "spec.expirationSeconds", expirationSeconds, "may not specify a duration larger than 2^32 seconds");
  const audiences = spec.audiences ?? [];
  if (!Array.isArray(audiences) || audiences.some((a) => typeof a !== "string" || !a)) throw invalid(name, "spec.audiences", audiences, "must be a list of non-empty strings");
  // No audience asked for: the API server's own (its issuer), which Entra does not accept.
  const aud = audiences.length > 0 ? (audiences as string[]) : [deps.issuer.issuerOf(cluster)];

  const claims: Json = { namespace: ns, serviceaccount: { name, uid: String(sa.metadata.uid ?? "") } };
  let boundObjectRef: Json | null = null;
  if (spec.boundObjectRef != null) {
    const ref = spec.boundObjectRef;
    if (!isMap(ref)) throw status(400, "BadRequest", "spec.boundObjectRef must be an object");
    if (ref.kind !== "Pod") throw status(400, "BadRequest", `cannot bind token to object of type ${String(ref.apiVersion ?? "v1")}, Kind=${String(ref.kind)}`);
    const podName = String(ref.name ?? "");
    const pod = find(cluster, "Pod", ns, podName);
    if (!pod) throw status(404, "NotFound", `pods "${podName}" not found`, { name: podName, kind: "pods" });
    if (ref.uid !== undefined && ref.uid !== pod.metadata.uid) {
      throw status(409, "Conflict", `Operation cannot be fulfilled on Pod "${podName}": the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    const podSa = (pod.spec as Json | undefined)?.serviceAccountName ?? "default";
    if (podSa !== name) throw status(400, "BadRequest", `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
    claims.pod = { name: podName, uid: String(pod.metadata.uid ?? "") };
    boundObjectRef = { kind: "Pod", apiVersion: "v1", name: podName, uid: String(pod.metadata.uid ?? "") };
  }

  const now = Math.floor(Date.now() / 1000);
  const token = await deps.issuer.sign(cluster, { sub: `system:serviceaccount:${ns}:${name}`, "kubernetes.io": claims }, aud, expirationSeconds, now);
  return sendJson(ctx.res, 201, {
    kind: "TokenRequest",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: { audiences: aud, expirationSeconds, boundObjectRef },
    status: { token, expirationTimestamp: rfc3339(now + expirationSeconds) },
  });
}
