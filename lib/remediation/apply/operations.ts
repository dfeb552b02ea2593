import { randomUUID } from "node:crypto";
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import type { AzureClients } from "@/lib/azure/clients";
import { errorStatus, toSourceError } from "@/lib/model/source-error";
import { normalizeId, parseScope, roleDefinitionGuid, subscriptionOf } from "@/lib/model/scope";
import { createAppFederatedCredential, deleteAppFederatedCredential, getAppFederatedCredential, listAppFederatedCredentials, sameTrust } from "./app-credentials";
import { FIELD_MANAGER, type KubeAccess, type Operation, type OperationOutcome } from "./types";

/** A write failed; `status`/`code` come from ARM or the Kubernetes API when it answered. */
export class OperationError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OperationError";
  }
}

/** The old assignment is not what the scan saw: deleting it now could remove a grant nobody reviewed. */
export class ChangedSinceScanError extends OperationError {
  constructor(message: string) {
    super(message, undefined, "ChangedSinceScan");
    this.name = "ChangedSinceScanError";
  }
}

export interface OperationContext {
  azure: AzureClients;
  kube?: KubeAccess;
  /** Any subscription the caller can address; ARM clients need one even for scope-based calls. */
  fallbackSubscriptionId: string;
}

/**
 * Status, code and message of an ARM RestError or Kubernetes ApiException, through the scan's
 * own error reading (lib/azure/errors.ts), minus the wording it adds for failed reads.
 */
function errorFacts(error: unknown): { status?: number; code?: string; message: string } {
  const f = toSourceError(error, { source: "apply" });
  const message = f.message.replace(/^(?:no read access to|you lack rights on) the requested scope(?: \([^)]*\))?: /, "").replace(/^authentication failed: /, "");
  return { status: f.status, code: f.code, message };
}

function wrap(error: unknown, doing: string): OperationError {
  if (error instanceof OperationError) return error;
  const facts = errorFacts(error);
  return new OperationError(`could not ${doing}: ${facts.status ? `HTTP ${facts.status} ` : ""}${facts.code ? `${facts.code}: ` : ""}${facts.message}`, facts.status, facts.code, { cause: error });
}

const isNotFound = (error: unknown) => errorStatus(error) === 404;
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function authorization(ctx: OperationContext, scope: string) {
  return ctx.azure.authorization(subscriptionOf(scope) ?? ctx.fallbackSubscriptionId);
}

function identityParts(identityId: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const p = parseScope(identityId);
  if (!p.subscriptionId || !p.resourceGroup || !p.resourceName) throw new OperationError(`not a user-assigned identity id: ${identityId}`);
  return { subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, name: p.resourceName };
}

function ficParts(id: string): { identityId: string; name: string } {
  const m = /^(.*\/userAssignedIdentities\/[^/]+)\/federatedIdentityCredentials\/([^/]+)$/i.exec(id);
  if (!m) throw new OperationError(`not a federated identity credential id: ${id}`);
  return { identityId: m[1]!, name: m[2]! };
}

function assignmentNameOf(id: string): { scope: string; name: string } {
  const m = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([^/]+)$/i.exec(id);
  if (!m) throw new OperationError(`not a role assignment id: ${id}`);
  return { scope: m[1] || "/", name: m[2]! };
}

interface AssignmentFacts {
  roleDefinitionId?: string;
  principalId?: string;
  scope?: string;
}

function sameAssignment(a: AssignmentFacts, b: { roleDefinitionId: string; principalId: string; scope: string }): string | undefined {
  if (roleDefinitionGuid(a.roleDefinitionId ?? "") !== roleDefinitionGuid(b.roleDefinitionId)) return `its role is now ${a.roleDefinitionId}, the scan saw ${b.roleDefinitionId}`;
  if ((a.principalId ?? "").toLowerCase() !== b.principalId.toLowerCase()) return `its principal is now ${a.principalId}, the scan saw ${b.principalId}`;
  if (normalizeId(a.scope ?? "") !== normalizeId(b.scope)) return `its scope is now ${a.scope}, the scan saw ${b.scope}`;
  return undefined;
}

async function kubeApi(ctx: OperationContext, clusterId: string): Promise<KubernetesObjectApi> {
  if (!ctx.kube) throw new OperationError(`no Kubernetes access to ${clusterId}`);
  return KubernetesObjectApi.makeApiClient(await ctx.kube(clusterId));
}

function kubeRef(apiVersion: string, kind: string, name: string, namespace?: string): KubernetesObject & { metadata: { name: string } } {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
}

async function kubeRead(api: KubernetesObjectApi, ref: KubernetesObject): Promise<KubernetesObject | undefined> {
  try {
    return plain(await api.read(ref as KubernetesObject & { metadata: { name: string } }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function manifestRef(manifest: Record<string, unknown>): KubernetesObject & { metadata: { name: string } } {
  const meta = (manifest.metadata ?? {}) as { name?: string; namespace?: string };
  if (typeof manifest.apiVersion !== "string" || typeof manifest.kind !== "string" || !meta.name) {
    throw new OperationError("a Kubernetes manifest needs apiVersion, kind and metadata.name");
  }
  return kubeRef(manifest.apiVersion, manifest.kind, meta.name, meta.namespace);
}

/**
 * Performs one operation: reads the target first (the audit's `before`), writes, and reads the
 * result back to confirm it. `resume` re-runs an operation a crash interrupted: targets
 * already in the wanted state count as done. `recordedBefore` is the `before` the audit log
 * holds from the interrupted run, which wins over a fresh read.
 */
export async function executeOperation(ctx: OperationContext, operation: Operation, opts: { onBefore?: (before: unknown) => void } = {}): Promise<OperationOutcome> {
  const notifyBefore = opts.onBefore ?? (() => {});
  switch (operation.op) {
    case "create-role-assignment": {
      const client = authorization(ctx, operation.scope);
      const doing = `create ${operation.roleName ?? operation.roleDefinitionId} for ${operation.principalId} at ${operation.scope}`;
      notifyBefore(undefined);
      try {
        await client.roleAssignments.create(operation.scope, operation.name, {
          roleDefinitionId: operation.roleDefinitionId,
          principalId: operation.principalId,
          principalType: operation.principalType as "ServicePrincipal",
        });
      } catch (error) {
        const code = errorFacts(error).code;
        if (errorStatus(error) === 409 && code === "RoleAssignmentExists") {
          // Someone (or an earlier retry) granted exactly this already: the goal is met, and undo must leave it.
          const existing = await findAssignment(ctx, operation).catch(() => undefined);
          return { after: existing, noop: true, note: "already existed (409 RoleAssignmentExists): counted as done" };
        }
        throw wrap(error, doing);
      }
      let readBack;
      try {
        readBack = plain(await client.roleAssignments.get(operation.scope, operation.name));
      } catch (error) {
        throw wrap(error, `read back the new assignment ${operation.name} at ${operation.scope}`);
      }
      const mismatch = sameAssignment(readBack, { roleDefinitionId: operation.roleDefinitionId, principalId: operation.principalId, scope: operation.scope });
      if (mismatch) throw new OperationError(`the new assignment ${readBack.id} does not read back as created: ${mismatch}`);
      return { after: readBack };
    }
    case "delete-role-assignment": {
      const { scope, name } = assignmentNameOf(operation.id);
      const client = authorization(ctx, scope);
      let current;
      try {
        current = plain(await client.roleAssignments.get(scope, name));
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `re-read ${operation.id} before deleting it`);
      }
      notifyBefore(current);
      if (!current) {
        if (operation.missingIsDone) return { noop: true, note: "already gone" };
        throw new ChangedSinceScanError(`the assignment ${operation.id} no longer exists; it was removed after the scan. Nothing was deleted; rescan to see the current grants.`);
      }
      const mismatch = sameAssignment(current, operation.expected);
      if (mismatch) throw new ChangedSinceScanError(`the assignment ${operation.id} changed since the scan (${mismatch}); it was not deleted. Rescan and review the fix again.`);
      try {
        await client.roleAssignments.delete(scope, name);
      } catch (error) {
        throw wrap(error, `delete ${operation.id}`);
      }
      try {
        await client.roleAssignments.get(scope, name);
        throw new OperationError(`${operation.id} still exists after it was deleted`);
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `confirm ${operation.id} is deleted`);
      }
      return { before: current };
    }
    case "create-federated-credential": {
      const p = identityParts(operation.identityId);
      const client = ctx.azure.msi(p.subscriptionId);
      const id = `${operation.identityId}/federatedIdentityCredentials/${operation.name}`;
      let before;
      try {
        before = plain(await client.federatedIdentityCredentials.get(p.resourceGroup, p.name, operation.name));
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `read ${id}`);
      }
      notifyBefore(before);
      const wanted = { issuer: operation.issuer, subject: operation.subject, audiences: operation.audiences };
      if (before && before.issuer === wanted.issuer && before.subject === wanted.subject && JSON.stringify(before.audiences) === JSON.stringify(wanted.audiences)) {
        return { before, after: before, noop: true, note: "already existed with the same issuer, subject and audience" };
      }
      try {
        await client.federatedIdentityCredentials.createOrUpdate(p.resourceGroup, p.name, operation.name, wanted);
      } catch (error) {
        throw wrap(error, `create federated credential ${id}`);
      }
      let after;
      try {
        after = plain(await client.federatedIdentityCredentials.get(p.resourceGroup, p.name, operation.name));
      } catch (error) {
        throw wrap(error, `read back ${id}`);
      }
      if (after.issuer !== wanted.issuer || after.subject !== wanted.subject) throw new OperationError(`${id} does not read back as written`);
      return { before, after };
    }
    case "delete-federated-credential": {
      const { identityId, name } = ficParts(operation.id);
      const p = identityParts(identityId);
      const client = ctx.azure.msi(p.subscriptionId);
      let before;
      try {
        before = plain(await client.federatedIdentityCredentials.get(p.resourceGroup, p.name, name));
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `read ${operation.id}`);
      }
      notifyBefore(before);
      if (!before) return { noop: true, note: "already gone" };
      try {
        await client.federatedIdentityCredentials.delete(p.resourceGroup, p.name, name);
      } catch (error) {
        throw wrap(error, `delete ${operation.id}`);
      }
      return { before };
    }
    case "create-app-federated-credential": {
      const target = appCredentialTarget(operation.appId, operation.name);
      const wanted = { issuer: operation.issuer, subject: operation.subject, audiences: operation.audiences };
      let existing;
      try {
        existing = await listAppFederatedCredentials(ctx.azure, operation.appId);
      } catch (error) {
        throw wrap(error, `read the federated credentials of app registration ${operation.appId}`);
      }
      const before = existing.find((c) => c.name.toLowerCase() === operation.name.toLowerCase());
      notifyBefore(before);
      if (before) {
        if (sameTrust(before, wanted)) return { before, after: before, noop: true, note: "already existed with the same issuer, subject and audience" };
        // Graph cannot rename, and overwriting a trust someone else set up could lock their workload out.
        throw new ChangedSinceScanError(`${target} already exists trusting ${before.issuer} / ${before.subject}; it was not changed. Remove or rename it, then apply again.`);
      }
      // Graph refuses a second credential with the same issuer and subject on one app: that one already grants the trust.
      const twin = existing.find((c) => sameTrust(c, wanted));
      if (twin) return { after: twin, noop: true, note: `federated credential ${twin.name} already trusts the same issuer and subject: counted as done` };
      try {
        await createAppFederatedCredential(ctx.azure, operation.appId, { name: operation.name, ...wanted });
      } catch (error) {
        if (errorStatus(error) === 409 || /already exists/i.test(errorFacts(error).message)) {
          // A concurrent or earlier attempt won the race: done when it trusts the same issuer and subject.
          const now = await listAppFederatedCredentials(ctx.azure, operation.appId).catch(() => []);
          const same = now.find((c) => sameTrust(c, wanted));
          if (same) return { after: same, noop: true, note: `already existed (${errorStatus(error) ?? "conflict"}): counted as done` };
        }
        throw wrap(error, `create ${target}`);
      }
      let after;
      try {
        after = await getAppFederatedCredential(ctx.azure, operation.appId, operation.name);
      } catch (error) {
        throw wrap(error, `read back ${target}`);
      }
      if (!after || !sameTrust(after, wanted)) throw new OperationError(`${target} does not read back as written`);
      return { after };
    }
    case "delete-app-federated-credential": {
      const target = appCredentialTarget(operation.appId, operation.name);
      let before;
      try {
        before = await getAppFederatedCredential(ctx.azure, operation.appId, operation.name);
      } catch (error) {
        throw wrap(error, `read ${target}`);
      }
      notifyBefore(before);
      if (!before) {
        if (operation.missingIsDone) return { noop: true, note: "already gone" };
        throw new ChangedSinceScanError(`${target} no longer exists; rescan before applying`);
      }
      try {
        await deleteAppFederatedCredential(ctx.azure, operation.appId, before.id);
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `delete ${target}`);
      }
      return { before };
    }
    case "create-managed-identity": {
      const rg = parseScope(operation.resourceGroupId);
      if (!rg.subscriptionId || !rg.resourceGroup) throw new OperationError(`not a resource group id: ${operation.resourceGroupId}`);
      const client = ctx.azure.msi(rg.subscriptionId);
      const id = `${operation.resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${operation.name}`;
      let before;
      try {
        before = plain(await client.userAssignedIdentities.get(rg.resourceGroup, operation.name));
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `read ${id}`);
      }
      notifyBefore(before);
      if (before) return { before, after: before, noop: true, note: "the identity already existed: it is used as is and left in place on undo" };
      try {
        await client.userAssignedIdentities.createOrUpdate(rg.resourceGroup, operation.name, { location: operation.location, ...(operation.tags ? { tags: operation.tags } : {}) });
      } catch (error) {
        throw wrap(error, `create managed identity ${id}`);
      }
      try {
        return { after: plain(await client.userAssignedIdentities.get(rg.resourceGroup, operation.name)) };
      } catch (error) {
        throw wrap(error, `read back ${id}`);
      }
    }
    case "delete-managed-identity": {
      const p = identityParts(operation.id);
      const client = ctx.azure.msi(p.subscriptionId);
      let before;
      try {
        before = plain(await client.userAssignedIdentities.get(p.resourceGroup, p.name));
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, `read ${operation.id}`);
      }
      notifyBefore(before);
      if (!before) {
        if (operation.missingIsDone) return { noop: true, note: "already gone" };
        throw new ChangedSinceScanError(`the identity ${operation.id} no longer exists; rescan before applying`);
      }
      try {
        await client.userAssignedIdentities.delete(p.resourceGroup, p.name);
      } catch (error) {
        throw wrap(error, `delete ${operation.id}`);
      }
      return { before };
    }
    case "kubernetes-apply": {
      const ref = manifestRef(operation.manifest);
      const what = `${ref.kind} ${ref.metadata.namespace ? `${ref.metadata.namespace}/` : ""}${ref.metadata.name} on ${operation.clusterId.split("/").pop()}`;
      try {
        const api = await kubeApi(ctx, operation.clusterId);
        const before = await kubeRead(api, ref);
        notifyBefore(before);
        // force: the person reviewed this exact change; fields another manager set are taken over, and undo restores them.
        const after = plain(await api.patch(operation.manifest as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
        return { before, after };
      } catch (error) {
        throw wrap(error, `server-side apply of ${what}`);
      }
    }
    case "kubernetes-delete": {
      const ref = kubeRef(operation.apiVersion, operation.kind, operation.name, operation.namespace);
      const what = `${operation.kind} ${operation.namespace ? `${operation.namespace}/` : ""}${operation.name} on ${operation.clusterId.split("/").pop()}`;
      try {
        const api = await kubeApi(ctx, operation.clusterId);
        const before = await kubeRead(api, ref);
        notifyBefore(before);
        if (!before) {
          if (operation.missingIsDone) return { noop: true, note: "already gone" };
          throw new ChangedSinceScanError(`${what} no longer exists; rescan before applying`);
        }
        try {
          await api.delete(ref);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        return { before };
      } catch (error) {
        throw wrap(error, `delete ${what}`);
      }
    }
  }
}

async function findAssignment(ctx: OperationContext, op: Extract<Operation, { op: "create-role-assignment" }>): Promise<unknown> {
  const client = authorization(ctx, op.scope);
  for await (const a of client.roleAssignments.listForScope(op.scope, { filter: `atScope() and principalId eq '${op.principalId}'` })) {
    if (normalizeId(a.scope ?? "") === normalizeId(op.scope) && roleDefinitionGuid(a.roleDefinitionId ?? "") === roleDefinitionGuid(op.roleDefinitionId)) return plain(a);
  }
  return undefined;
}

const SERVER_FIELDS = ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

/** An object read from the API server, as a manifest that recreates it. */
function recreatable(object: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = structuredClone(object);
  const meta = { ...((rest.metadata ?? {}) as Record<string, unknown>) };
  for (const f of SERVER_FIELDS) delete meta[f];
  return { ...rest, metadata: meta };
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * The apply that puts back what an earlier apply changed: every field the earlier manifest set
 * gets its value from before, and fields that did not exist before are left out, which makes
 * server-side apply remove them (Scopewise's field manager owns them).
 */
export function restoreManifest(applied: Json, before: Json): Json {
  const walk = (a: Json, b: unknown, depth: number, parentKey?: string): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries(a)) {
      const identity = depth === 0 ? k === "apiVersion" || k === "kind" : depth === 1 && parentKey === "metadata" && (k === "name" || k === "namespace");
      if (identity) {
        out[k] = v;
        continue;
      }
      const prev = isMap(b) ? b[k] : undefined;
      if (isMap(v) && Object.keys(v).length > 0) {
        const child = walk(v, prev, depth + 1, k);
        if (Object.keys(child).length > 0) out[k] = child;
      } else if (prev !== undefined) {
        out[k] = structuredClone(prev);
      }
    }
    return out;
  };
  return walk(applied, before, 0);
}

/**
 * The operation that reverses a done one, from what the audit recorded. Undefined when there
 * is nothing to reverse (it changed nothing). Deleted role assignments come back under a new
 * name with the same role, scope and principal; a deleted identity comes back with a new
 * principal (Azure never reuses one), which the result notes.
 */
export function inverseOperation(operation: Operation, outcome: OperationOutcome): Operation | undefined {
  if (outcome.noop) return undefined;
  switch (operation.op) {
    case "create-role-assignment":
      return {
        op: "delete-role-assignment",
        id: `${operation.scope === "/" ? "" : operation.scope}/providers/Microsoft.Authorization/roleAssignments/${operation.name}`,
        expected: { roleDefinitionId: operation.roleDefinitionId, principalId: operation.principalId, scope: operation.scope },
        missingIsDone: true,
        roleName: operation.roleName,
      };
    case "delete-role-assignment": {
      const before = (outcome.before ?? {}) as { roleDefinitionId?: string; principalId?: string; principalType?: string; scope?: string };
      const scope = before.scope ?? operation.expected.scope;
      // Recreate under the original name: ARM frees a role assignment's name when it is
      // deleted, and the same id keeps audit trails and finding ids (keyed by assignment id) stable.
      const originalName = operation.id.split("/").filter(Boolean).pop();
      return {
        op: "create-role-assignment",
        scope,
        name: originalName && /^[0-9a-f-]{36}$/i.test(originalName) ? originalName : randomUUID(),
        roleDefinitionId: before.roleDefinitionId ?? operation.expected.roleDefinitionId,
        principalId: before.principalId ?? operation.expected.principalId,
        principalType: before.principalType ?? "ServicePrincipal",
        roleName: operation.roleName,
      };
    }
    case "create-federated-credential": {
      const before = outcome.before as { issuer?: string; subject?: string; audiences?: string[] } | undefined;
      if (before?.issuer && before.subject) {
        return { ...operation, issuer: before.issuer, subject: before.subject, audiences: before.audiences ?? operation.audiences };
      }
      return { op: "delete-federated-credential", id: `${operation.identityId}/federatedIdentityCredentials/${operation.name}`, missingIsDone: true };
    }
    case "delete-federated-credential": {
      const before = outcome.before as { issuer: string; subject: string; audiences: string[] };
      const { identityId, name } = ficParts(operation.id);
      return { op: "create-federated-credential", identityId, name, issuer: before.issuer, subject: before.subject, audiences: before.audiences };
    }
    case "create-app-federated-credential":
      return { op: "delete-app-federated-credential", appId: operation.appId, name: operation.name, missingIsDone: true };
    case "delete-app-federated-credential": {
      const before = outcome.before as { issuer: string; subject: string; audiences: string[] };
      return { op: "create-app-federated-credential", appId: operation.appId, name: operation.name, issuer: before.issuer, subject: before.subject, audiences: before.audiences };
    }
    case "create-managed-identity":
      return { op: "delete-managed-identity", id: `${operation.resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${operation.name}`, missingIsDone: true };
    case "delete-managed-identity": {
      const before = outcome.before as { location: string; tags?: Record<string, string> };
      const p = parseScope(operation.id);
      return { op: "create-managed-identity", resourceGroupId: `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}`, name: p.resourceName!, location: before.location, ...(before.tags ? { tags: before.tags } : {}) };
    }
    case "kubernetes-apply": {
      const ref = manifestRef(operation.manifest);
      if (!outcome.before) {
        return { op: "kubernetes-delete", clusterId: operation.clusterId, apiVersion: ref.apiVersion!, kind: ref.kind!, namespace: ref.metadata.namespace, name: ref.metadata.name, missingIsDone: true };
      }
      return { op: "kubernetes-apply", clusterId: operation.clusterId, manifest: restoreManifest(operation.manifest, outcome.before as Json) };
    }
    case "kubernetes-delete":
      return { op: "kubernetes-apply", clusterId: operation.clusterId, manifest: recreatable(outcome.before as Json) };
  }
}

/** Graph path of an app registration's federated credential, by appId and credential name. */
function appCredentialTarget(appId: string, name: string): string {
  return `/applications(appId='${appId}')/federatedIdentityCredentials/${name}`;
}

/** The object an operation writes, for the audit's target column. */
export function operationTarget(operation: Operation): string {
  switch (operation.op) {
    case "create-role-assignment":
      return `${operation.scope === "/" ? "" : operation.scope}/providers/Microsoft.Authorization/roleAssignments/${operation.name}`;
    case "delete-role-assignment":
    case "delete-federated-credential":
    case "delete-managed-identity":
      return operation.id;
    case "create-federated-credential":
      return `${operation.identityId}/federatedIdentityCredentials/${operation.name}`;
    case "create-managed-identity":
      return `${operation.resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${operation.name}`;
    case "create-app-federated-credential":
    case "delete-app-federated-credential":
      return appCredentialTarget(operation.appId, operation.name);
    case "kubernetes-apply": {
      const ref = manifestRef(operation.manifest);
      return `${operation.clusterId}/namespaces/${ref.metadata.namespace ?? "-"}/${ref.kind}/${ref.metadata.name}`;
    }
    case "kubernetes-delete":
      return `${operation.clusterId}/namespaces/${operation.namespace ?? "-"}/${operation.kind}/${operation.name}`;
  }
}
