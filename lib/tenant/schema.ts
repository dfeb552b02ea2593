import { readFile } from "node:fs/promises";
import { z } from "zod";
import { normalizeId } from "@/lib/model/scope";
import type { TenantFile } from "@/lib/tenant/types";
import { jsonErrorOffset, lineColumn } from "./json-offset";

/**
 * Validation of the tenant file (shared/TENANT-FORMAT.md, v1). Objects are loose: real payloads
 * carry many fields this format does not name, and the emulator serves them as they are.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const nonEmpty = z.string({ error: "expected a string" }).min(1, { error: "expected a non-empty string" });
const guid = z.string({ error: "expected a string" }).regex(GUID, { error: "expected a GUID" });
const armId = z
  .string({ error: "expected a string" })
  .refine((s) => s.startsWith("/"), { error: "expected an ARM id starting with '/'" });
const stringMap = z.record(z.string(), z.string({ error: "expected a string" }));

const armObject = z.looseObject({
  id: armId,
  name: nonEmpty.optional(),
  type: nonEmpty.optional(),
  properties: z.looseObject({}).optional(),
});

const managementGroup = armObject.extend({ name: nonEmpty });

const subscription = z.looseObject({
  id: armId,
  subscriptionId: guid,
  displayName: nonEmpty,
  tenantId: guid.optional(),
  state: nonEmpty.optional(),
  managementGroupId: armId.optional(),
});

const resourceGroup = armObject.extend({ name: nonEmpty });
const resource = armObject.extend({ name: nonEmpty, type: nonEmpty });

/**
 * A federated identity credential trusts either one `subject` or, for a flexible credential
 * (Microsoft.ManagedIdentity 2025-01-31-preview and later), a `claimsMatchingExpression` such
 * as `claims['sub'] matches system:serviceaccount:ns:*`; never both, never neither.
 */
const federatedCredential = armObject.extend({
  name: nonEmpty,
  properties: z
    .looseObject({
      issuer: nonEmpty,
      subject: nonEmpty.optional(),
      claimsMatchingExpression: z.looseObject({ value: nonEmpty, languageVersion: z.number({ error: "expected a number" }).int({ error: "expected an integer" }) }).optional(),
      audiences: z.array(nonEmpty),
    })
    .superRefine((p, ctx) => {
      if ((p.subject === undefined) === (p.claimsMatchingExpression === undefined)) {
        ctx.addIssue({ code: "custom", path: ["subject"], message: "expected exactly one of subject and claimsMatchingExpression" });
      }
    }),
});

const roleDefinition = armObject.extend({
  name: guid,
  properties: z.looseObject({
    roleName: nonEmpty,
    assignableScopes: z.array(armId),
    permissions: z.array(
      z.looseObject({
        actions: z.array(z.string()).optional(),
        notActions: z.array(z.string()).optional(),
        dataActions: z.array(z.string()).optional(),
        notDataActions: z.array(z.string()).optional(),
      }),
    ),
  }),
});

/** Microsoft.Authorization 2022-04-01 `principalType`: a ForeignGroup lives in another tenant. */
const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"] as const;

const roleAssignment = armObject.extend({
  name: nonEmpty,
  properties: z.looseObject({
    roleDefinitionId: armId,
    principalId: guid,
    scope: armId,
    principalType: z.enum(PRINCIPAL_TYPES, { error: `expected one of ${PRINCIPAL_TYPES.join(", ")}` }).optional(),
    condition: z.string({ error: "expected a string" }).nullable().optional(),
    conditionVersion: z.string({ error: "expected a string" }).nullable().optional(),
  }),
});

/** Any directory object type (user, group, servicePrincipal, device, orgContact, …), as Graph names it. */
const principal = z.looseObject({
  id: guid,
  "@odata.type": z
    .string({ error: "expected a string" })
    .regex(/^#microsoft\.graph\.[A-Za-z]+$/, { error: "expected a Microsoft Graph type such as #microsoft.graph.servicePrincipal, #microsoft.graph.group, #microsoft.graph.user or #microsoft.graph.device" })
    .optional(),
});

const kubeObject = z.looseObject({
  apiVersion: nonEmpty,
  kind: nonEmpty,
  metadata: z.looseObject({
    name: nonEmpty,
    namespace: nonEmpty.optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
});

/** A resource as a token request names it: an app id (the AKS server app) or an https URI. */
const resourceId = nonEmpty.refine((s) => GUID.test(s) || /^https:\/\//i.test(s), { error: "expected an application id (GUID) or an https resource URI" });

const user = z.looseObject({
  id: guid,
  userPrincipalName: nonEmpty,
  displayName: nonEmpty,
  password: nonEmpty,
  memberOf: z.array(guid).optional(),
  consentedResources: z.array(resourceId).optional(),
});

/** Emulator-only: which resources need a user's consent, and which need interaction (MFA, Conditional Access). */
const consent = z.looseObject({
  required: z.array(resourceId).optional(),
  adminConsented: z.array(resourceId).optional(),
  interactionRequired: z.array(resourceId).optional(),
});

export const tenantFileSchema = z.looseObject({
  version: z.literal(1, { error: "expected 1 (the only tenant file version)" }),
  tenantId: guid,
  managementGroups: z.array(managementGroup).optional(),
  subscriptions: z.array(subscription),
  resourceGroups: z.array(resourceGroup),
  resources: z.array(resource),
  federatedIdentityCredentials: z.array(federatedCredential).optional(),
  roleDefinitions: z.array(roleDefinition).optional(),
  roleAssignments: z.array(roleAssignment),
  principals: z.array(principal),
  kubernetes: z.record(z.string(), z.array(kubeObject)).optional(),
  users: z.array(user).optional(),
  consent: consent.optional(),
});

export class TenantFormatError extends Error {
  constructor(
    message: string,
    /** JSON path of the first problem (`$.roleAssignments[3].properties.principalId`), when there is one. */
    readonly path?: string,
    readonly source?: string,
  ) {
    super(message);
    this.name = "TenantFormatError";
  }
}

function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function fail(source: string | undefined, path: string, message: string): never {
  throw new TenantFormatError(`${source ? `${source}: ` : ""}${path}: ${message}`, path, source);
}

/** Zod's messages for a missing key say "received undefined"; people read "required" better. */
function issueMessage(issue: z.core.$ZodIssue, json: unknown): string {
  if (issue.code === "invalid_type" && !hasPath(json, issue.path)) {
    return `required ${issue.expected === "object" ? "object" : issue.expected === "array" ? "array" : "field"} is missing (${issue.message})`;
  }
  return issue.message;
}

function hasPath(json: unknown, path: readonly PropertyKey[]): boolean {
  let cur: unknown = json;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, key)) return false;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur !== undefined;
}

/**
 * Checks the tenant-wide facts no per-object schema can see: ids unique, every ARM id under a
 * declared subscription and resource group, `kubernetes` keyed by managedCluster resource ids.
 */
function crossCheck(t: TenantFile, source: string | undefined): void {
  const subs = new Set<string>();
  const rgs = new Set<string>();
  const seen = new Map<string, string>();
  const unique = (id: string, path: string) => {
    const key = normalizeId(id);
    const prior = seen.get(key);
    if (prior) fail(source, path, `duplicate id "${id}" (also at ${prior})`);
    seen.set(key, path);
  };
  const underSub = (id: string, path: string) => {
    const m = /^\/subscriptions\/([^/]+)/i.exec(id);
    if (!m) fail(source, path, `"${id}" is not under a subscription (expected /subscriptions/<id>/...)`);
    if (!subs.has(normalizeId(`/subscriptions/${m[1]}`))) {
      fail(source, path, `"${id}" is under subscription ${m[1]}, which is not declared in $.subscriptions`);
    }
  };
  const underRg = (id: string, path: string) => {
    underSub(id, path);
    const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)(\/|$)/i.exec(id);
    if (!m) fail(source, path, `"${id}" is not under a resource group (expected /subscriptions/<s>/resourceGroups/<rg>/...)`);
    if (!rgs.has(normalizeId(m[1]!))) fail(source, path, `"${id}" is under resource group ${m[1]}, which is not declared in $.resourceGroups`);
  };
  const mgs = new Set<string>();

  t.managementGroups?.forEach((mg, i) => {
    const p = `$.managementGroups[${i}].id`;
    if (!/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(mg.id)) {
      fail(source, p, `"${mg.id}" is not a management group id (/providers/Microsoft.Management/managementGroups/<name>)`);
    }
    unique(mg.id, p);
    mgs.add(normalizeId(mg.id));
  });
  t.managementGroups?.forEach((mg, i) => {
    const parent = ((mg.properties?.details as { parent?: { id?: unknown } } | undefined)?.parent?.id ?? null) as unknown;
    if (typeof parent === "string" && parent !== "/" && !mgs.has(normalizeId(parent)) && !sameTenantRoot(parent, t.tenantId)) {
      fail(source, `$.managementGroups[${i}].properties.details.parent.id`, `parent "${parent}" is not a declared management group`);
    }
  });
  t.subscriptions.forEach((s, i) => {
    const p = `$.subscriptions[${i}].id`;
    if (normalizeId(s.id) !== normalizeId(`/subscriptions/${s.subscriptionId}`)) {
      fail(source, p, `"${s.id}" does not match subscriptionId ${s.subscriptionId} (expected /subscriptions/${s.subscriptionId})`);
    }
    unique(s.id, p);
    subs.add(normalizeId(s.id));
    if (s.managementGroupId && !mgs.has(normalizeId(s.managementGroupId)) && !sameTenantRoot(s.managementGroupId, t.tenantId)) {
      fail(source, `$.subscriptions[${i}].managementGroupId`, `"${s.managementGroupId}" is not a declared management group`);
    }
  });
  t.resourceGroups.forEach((rg, i) => {
    const p = `$.resourceGroups[${i}].id`;
    if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(rg.id)) {
      fail(source, p, `"${rg.id}" is not a resource group id (/subscriptions/<s>/resourceGroups/<name>)`);
    }
    underSub(rg.id, p);
    unique(rg.id, p);
    rgs.add(normalizeId(rg.id));
  });
  const clusters = new Set<string>();
  t.resources.forEach((r, i) => {
    const p = `$.resources[${i}].id`;
    if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i.test(r.id)) {
      fail(source, p, `"${r.id}" is not a resource id (/subscriptions/<s>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>)`);
    }
    underRg(r.id, p);
    unique(r.id, p);
    if (String(r.type).toLowerCase() === "microsoft.containerservice/managedclusters") clusters.add(normalizeId(r.id));
  });
  const identities = new Set(
    t.resources.filter((r) => String(r.type).toLowerCase() === "microsoft.managedidentity/userassignedidentities").map((r) => normalizeId(r.id)),
  );
  t.federatedIdentityCredentials?.forEach((f, i) => {
    const p = `$.federatedIdentityCredentials[${i}].id`;
    const m = /^(.*)\/federatedIdentityCredentials\/[^/]+$/i.exec(f.id);
    if (!m) fail(source, p, `"${f.id}" is not a federated identity credential id (<identity id>/federatedIdentityCredentials/<name>)`);
    if (!identities.has(normalizeId(m[1]!))) fail(source, p, `parent identity "${m[1]}" is not a userAssignedIdentities resource in $.resources`);
    unique(f.id, p);
  });
  t.roleDefinitions?.forEach((d, i) => unique(d.id, `$.roleDefinitions[${i}].id`));
  t.roleAssignments.forEach((a, i) => {
    const p = `$.roleAssignments[${i}].id`;
    if (!/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.test(a.id)) {
      fail(source, p, `"${a.id}" is not a role assignment id (<scope>/providers/Microsoft.Authorization/roleAssignments/<guid>)`);
    }
    unique(a.id, p);
  });
  const principals = new Set<string>();
  t.principals.forEach((pr, i) => {
    const key = pr.id.toLowerCase();
    if (principals.has(key)) fail(source, `$.principals[${i}].id`, `duplicate principal id "${pr.id}"`);
    principals.add(key);
  });
  for (const key of Object.keys(t.kubernetes ?? {})) {
    if (!clusters.has(normalizeId(key))) {
      fail(source, `$.kubernetes[${JSON.stringify(key)}]`, "key is not the id of a Microsoft.ContainerService/managedClusters resource in $.resources");
    }
  }
}

/** The tenant root group is named after the tenant id; it may be referenced without being listed. */
function sameTenantRoot(id: string, tenantId: string): boolean {
  return normalizeId(id) === normalizeId(`/providers/Microsoft.Management/managementGroups/${tenantId}`);
}

/** Validates a parsed tenant file; throws TenantFormatError naming the JSON path of the first problem. */
export function parseTenant(json: unknown, source?: string): TenantFile {
  const result = tenantFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    fail(source, jsonPath(issue.path), issueMessage(issue, json));
  }
  const tenant = result.data as unknown as TenantFile;
  crossCheck(tenant, source);
  return tenant;
}

/** Reads, parses and validates a tenant file. Invalid JSON is reported with the file's line and column. */
export async function loadTenantFile(path: string): Promise<TenantFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new TenantFormatError(`${path}: cannot read tenant file: ${(e as Error).message}`, undefined, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const offset = jsonErrorOffset(text);
    const where = lineColumn(text, offset < 0 ? 0 : offset);
    const reason = (e as Error).message.split("\n")[0];
    throw new TenantFormatError(`${path}: invalid JSON: line ${where.line}, column ${where.column}: ${reason}`, undefined, path);
  }
  return parseTenant(json, path);
}
