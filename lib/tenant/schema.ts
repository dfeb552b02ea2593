import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import type { TenantFile } from "@/lib/tenant/types";
import { crossCheck } from "./cross-check";
import { fail, TenantFormatError } from "./format-error";
import { checkJsonTextDepth, checkTenantFileSize, checkValueDepth } from "./bounds";
import { jsonErrorOffset, lineColumn } from "./json-offset";

export { TenantFormatError } from "./format-error";

/**
 * Validation of the tenant file (docs/tenant-format.md, v1). Objects are loose: real payloads
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

function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
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

/** Validates a parsed tenant file; throws TenantFormatError naming the JSON path of the first problem. */
export function parseTenant(json: unknown, source?: string): TenantFile {
  checkValueDepth(json, source);
  const result = tenantFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    fail(source, jsonPath(issue.path), issueMessage(issue, json));
  }
  const tenant = result.data as unknown as TenantFile;
  crossCheck(tenant, source);
  return tenant;
}

/**
 * Reads, parses and validates a tenant file. Invalid JSON is reported with the file's line and
 * column; a file over the size limit is refused before it is read, one nesting too deep before
 * it is parsed (lib/tenant/bounds.ts).
 */
export async function loadTenantFile(path: string): Promise<TenantFile> {
  let text: string;
  try {
    checkTenantFileSize(path, (await stat(path)).size);
    text = await readFile(path, "utf8");
  } catch (e) {
    if (e instanceof TenantFormatError) throw e;
    throw new TenantFormatError(`${path}: cannot read tenant file: ${(e as Error).message}`, undefined, path);
  }
  checkJsonTextDepth(path, text);
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
