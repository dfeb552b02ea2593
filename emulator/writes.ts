import { normalizeId } from "@/lib/model/scope";
import { adaptCatalogRole } from "@/lib/roles/catalog";
import { builtinCatalog } from "@/lib/roles/builtin-catalog";
import { grants } from "@/lib/roles/permissions";
import type { RoleDefinition } from "@/lib/model/types";
import { principalIdsFor } from "./access";
import { armError, HttpError, type RequestContext } from "./http";
import type { TenantStore } from "./store";

/** Which API a write goes to: it decides the error shape of refusals and injected failures. */
export type WriteApi = "arm" | "k8s" | "graph";

/** The Azure / Kubernetes operation a write performs, as RBAC names it. */
export interface WriteOperation {
  api: WriteApi;
  /**
   * ARM: the control-plane action (`Microsoft.Authorization/roleAssignments/write`); Kubernetes:
   * the AKS data action (`Microsoft.ContainerService/managedClusters/apps/deployments/write`).
   */
  action: string;
  /** The ARM scope the write is authorized at (for Kubernetes: the managed cluster id). */
  scope: string;
}

/**
 * Makes the `nth` write from now (1 = the next one) fail with `status`, for rollback tests;
 * `times` > 1 fails that many consecutive writes. The Azure SDKs retry 429/500/503 (and
 * client-node does not), so a one-off 5xx on ARM is absorbed; use 403 or `times` for a failure
 * the caller sees.
 */
export interface WriteFault {
  nth: number;
  status?: 400 | 403 | 409 | 429 | 500 | 503;
  times?: number;
  /** Only count writes of this API (default: every write, ARM and Kubernetes alike). */
  api?: WriteApi;
}

/**
 * Who may write. The emulator's client-credentials apps and cluster local accounts may write
 * anything (they stand in for an operator's automation account); a signed-in user needs a
 * built-in role at or above the scope that grants the action, as Azure RBAC decides it. This
 * is the one place per-user write rights are decided; extend it rather than checking elsewhere.
 */
export function authorizeWrite(ctx: RequestContext, store: TenantStore, op: WriteOperation): void {
  const claims = ctx.claims;
  if (!claims) throw refusal(op, "the request carries no verified token");
  const idtyp = typeof claims.idtyp === "string" ? claims.idtyp : undefined;
  const delegated = typeof claims.scp === "string" || idtyp === "user";
  if (!delegated) return;
  const oid = String(claims.oid ?? "").toLowerCase();
  // The user's own assignments and those of their groups (tenant file `users[].memberOf`).
  const principals = [...principalIdsFor(store, claims)];
  if (op.api === "graph") {
    // Graph rights are Entra directory roles, which tenant files do not model. The emulator's
    // stand-in: a user who (directly or through a group) holds Owner at the tenant root, a
    // management group or a subscription is an owner-level admin and may write app
    // registrations; anyone else is refused as Graph refuses a user without the right.
    if (principals.some((p) => isOwnerLevelAdmin(store, p))) return;
    throw refusal(op, `Insufficient privileges to complete the operation: user ${claims.upn ?? oid} holds no owner-level role (Owner at the tenant root, a management group or a subscription).`);
  }
  // Kubernetes writes were authorized by the cluster's API server (kubernetes-rbac.ts: Kubernetes
  // RBAC, and Azure RBAC data actions on clusters with Azure RBAC) before they reached the gate.
  if (op.api === "k8s") return;
  if (principals.some((p) => holdsAction(store, p, op.scope, op.action))) return;
  throw refusal(op, `The client '${claims.upn ?? oid}' with object id '${oid}' does not have authorization to perform action '${op.action}' over scope '${op.scope}' or the scope is invalid.`);
}

const catalogRoles = new Map<string, RoleDefinition>();
function builtinRole(guid: string): RoleDefinition | undefined {
  const key = guid.toLowerCase();
  let role = catalogRoles.get(key);
  if (!role) {
    const c = builtinCatalog.find((r) => r.name.toLowerCase() === key);
    if (!c) return undefined;
    role = adaptCatalogRole(c);
    catalogRoles.set(key, role);
  }
  return role;
}

/** Role assignments of `principalId` that apply at `scope` (at it or above it). */
function applicableRoles(store: TenantStore, principalId: string, scope: string): RoleDefinition[] {
  const target = normalizeId(scope);
  const above = store.ancestors(target);
  const out: RoleDefinition[] = [];
  for (const a of store.roleAssignments) {
    const p = a.properties as { principalId?: string; scope?: string; roleDefinitionId?: string };
    if (String(p.principalId ?? "").toLowerCase() !== principalId) continue;
    const s = normalizeId(p.scope ?? "");
    if (s !== target && !above.has(s)) continue;
    const role = builtinRole(String(p.roleDefinitionId ?? "").split("/").pop() ?? "");
    if (role) out.push(role);
  }
  return out;
}

/** Built-in Owner. */
const OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

function isOwnerLevelAdmin(store: TenantStore, principalId: string): boolean {
  return store.roleAssignments.some((a) => {
    const p = a.properties as { principalId?: string; scope?: string; roleDefinitionId?: string };
    if (String(p.principalId ?? "").toLowerCase() !== principalId) return false;
    if (String(p.roleDefinitionId ?? "").split("/").pop()?.toLowerCase() !== OWNER_ROLE) return false;
    return /^(\/|\/providers\/microsoft\.management\/managementgroups\/[^/]+|\/subscriptions\/[^/]+)$/.test(normalizeId(p.scope ?? ""));
  });
}

function holdsAction(store: TenantStore, principalId: string, scope: string, action: string): boolean {
  return applicableRoles(store, principalId, scope).some((r) => grants(r, action));
}

function kubeStatus(code: number, reason: string, message: string): HttpError {
  return new HttpError(code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });
}

export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): HttpError {
  return new HttpError(status, { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": crypto.randomUUID() } } }, headers);
}

function refusal(op: WriteOperation, message: string): HttpError {
  if (op.api === "graph") return graphError(403, "Authorization_RequestDenied", message);
  if (op.api === "k8s") return kubeStatus(403, "Forbidden", `${message} (forbidden)`);
  return armError(403, "AuthorizationFailed", message);
}

/** An injected write failure in the API's own error shape. */
function injected(op: WriteOperation, status: number): HttpError {
  const retry = status === 429 || status === 503 ? { "retry-after": "1" } : undefined;
  if (op.api === "graph") {
    const code = status === 409 ? "Request_MultipleObjectsWithSameKeyValue" : status === 403 ? "Authorization_RequestDenied" : status === 400 ? "Request_BadRequest" : status === 429 ? "TooManyRequests" : "Service_InternalServerError";
    return graphError(status, code, `The write '${op.action}' on '${op.scope}' failed (write failure injected by the emulator).`, retry);
  }
  if (op.api === "k8s") {
    const reason = status === 409 ? "Conflict" : status === 403 ? "Forbidden" : status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : "InternalError";
    const err = kubeStatus(status, reason, `Internal error occurred: ${op.action} failed (write failure injected by the emulator)`);
    return retry ? new HttpError(err.status, err.body, retry) : err;
  }
  const code = status === 409 ? "Conflict" : status === 403 ? "AuthorizationFailed" : status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : "InternalServerError";
  return armError(status, code, `The write '${op.action}' at '${op.scope}' failed (write failure injected by the emulator).`, retry);
}

/**
 * Every mutating request goes through `begin`: it is authorized, counted, and fails when an
 * injected write fault is due. Writes are counted in arrival order across ARM and Kubernetes,
 * so "fail the 2nd write" means the second change a client makes, whatever API it calls.
 */
export class WriteGate {
  private faults: { remaining: number; times: number; status: number; api?: WriteApi }[] = [];
  private served = 0;

  constructor(private readonly store: TenantStore) {}

  failWrite(fault: WriteFault): void {
    if (!Number.isInteger(fault.nth) || fault.nth < 1) throw new Error(`failWrite: nth must be a positive integer, got ${fault.nth}`);
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`failWrite: times must be a positive integer, got ${fault.times}`);
    this.faults.push({ remaining: fault.nth, times, status: fault.status ?? 500, api: fault.api });
  }

  /** Writes that reached the gate since the emulator started (refused and failed ones included). */
  get count(): number {
    return this.served;
  }

  begin(ctx: RequestContext, op: WriteOperation): void {
    authorizeWrite(ctx, this.store, op);
    this.served++;
    let fail: number | undefined;
    for (const f of this.faults) {
      if (f.api && f.api !== op.api) continue;
      if (f.remaining > 1) {
        f.remaining--;
        continue;
      }
      f.times--;
      fail ??= f.status;
    }
    this.faults = this.faults.filter((f) => f.times > 0);
    if (fail !== undefined) throw injected(op, fail);
  }
}
