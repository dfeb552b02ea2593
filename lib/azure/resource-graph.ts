import { RestError } from "@azure/core-rest-pipeline";
import { sendArmRequest } from "@/lib/azure/arm-get";
import type { AzureClients } from "@/lib/azure/clients";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * Azure Resource Graph reads: one KQL query answers for up to 1,000 subscriptions at a
 * time, 1,000 rows a page, where ARM needs one list per subscription and resource kind.
 *
 * The request is the ARG REST call (`POST /providers/Microsoft.ResourceGraph/resources`)
 * sent through the same authenticated core-rest-pipeline as every other ARM read, so it
 * shares the retry settings, the per-host limit, the deadline and the request counters.
 * (@azure/arm-resourcegraph 4.2.1 is built on the older ms-rest-js stack: its own HTTP
 * client, TLS trust and 30 s retry intervals, none of which those policies reach.)
 *
 * Rows are turned back into the ARM GET shapes the inventory builder reads: ARG lower-cases
 * `type` and adds `tenantId`, `subscriptionId`, `resourceGroup` columns ARM does not send.
 */

export const resourceGraphApiVersion = "2022-10-01";
/** ARG's largest page (`$top`). */
export const resourceGraphPageSize = 1000;
/** Subscriptions per request: the REST API refuses more than 1,000 (learn.microsoft.com, ARG troubleshooting: "Too many subscriptions"). */
export const resourceGraphSubscriptionBatch = 1000;

/**
 * `options.authorizationScopeFilter`: which `authorizationresources` rows a query scoped by
 * subscriptions returns. ARG's default, AtScopeAndBelow, leaves out the role assignments a
 * subscription inherits from management groups and the root, and role definitions stored there
 * (built-in roles, custom roles defined at a management group): exactly the widest grants.
 */
export const AuthorizationScopeFilter = {
  AtScopeAndBelow: "AtScopeAndBelow",
  AtScopeAndAbove: "AtScopeAndAbove",
  AtScopeExact: "AtScopeExact",
  AtScopeAboveAndBelow: "AtScopeAboveAndBelow",
} as const;
export type AuthorizationScopeFilter = (typeof AuthorizationScopeFilter)[keyof typeof AuthorizationScopeFilter];

/** Called after each page of a query: `pages` is known from the first page's `totalRecords`. */
export type ResourceGraphPageListener = (page: { query: string; page: number; pages?: number }) => void;

export interface ResourceGraphResult {
  rows: Record<string, unknown>[];
  /** ARG answered `resultTruncated: true` (it caps some query shapes); the rows are incomplete. */
  truncated: boolean;
  /** Requests (pages) it took. */
  pages: number;
}

/**
 * Runs one query over `subscriptionIds` (batched by 1,000), following `$skipToken` until
 * the last page. Rows come back in `objectArray` form.
 */
export async function queryResourceGraph(
  clients: AzureClients,
  query: string,
  subscriptionIds: readonly string[],
  options: {
    pageSize?: number;
    authorizationScopeFilter?: AuthorizationScopeFilter;
    /** Progress: called after each page. */
    onPage?: ResourceGraphPageListener;
    /** Each page's rows as they arrive. */
    onRows?: (rows: Record<string, unknown>[]) => void;
  } = {},
): Promise<ResourceGraphResult> {
  const rows: Record<string, unknown>[] = [];
  let truncated = false;
  let pages = 0;
  const top = options.pageSize ?? resourceGraphPageSize;
  // Pages expected across every batch, summed as each batch's first page says its total.
  let expected = 0;
  const name = queryName(query);
  for (let i = 0; i < subscriptionIds.length; i += resourceGraphSubscriptionBatch) {
    const subscriptions = subscriptionIds.slice(i, i + resourceGraphSubscriptionBatch);
    let skipToken: string | undefined;
    const seen = new Set<string>();
    do {
      const body = await postQuery(clients, {
        query,
        subscriptions,
        options: {
          $top: top,
          resultFormat: "objectArray",
          ...(options.authorizationScopeFilter ? { authorizationScopeFilter: options.authorizationScopeFilter } : {}),
          ...(skipToken ? { $skipToken: skipToken } : {}),
        },
      });
      pages++;
      if (!skipToken) expected += Math.max(1, Math.ceil(Number(body.totalRecords ?? 0) / top) || 1);
      options.onPage?.({ query: name, page: pages, pages: Math.max(expected, pages) });
      const data = body.data;
      if (!Array.isArray(data)) throw new Error(`Resource Graph answered without a "data" array (query: ${firstLine(query)})`);
      const page = data.filter((row): row is Record<string, unknown> => !!row && typeof row === "object");
      rows.push(...page);
      options.onRows?.(page);
      if (String(body.resultTruncated).toLowerCase() === "true") truncated = true;
      skipToken = typeof body.$skipToken === "string" && body.$skipToken !== "" ? body.$skipToken : undefined;
      if (skipToken) {
        if (seen.has(skipToken)) throw new Error(`Resource Graph repeated a $skipToken (query: ${firstLine(query)})`);
        seen.add(skipToken);
      }
    } while (skipToken);
  }
  return { rows, truncated, pages };
}

async function postQuery(clients: AzureClients, payload: unknown): Promise<Record<string, unknown>> {
  const url = `${clients.armEndpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${resourceGraphApiVersion}`;
  const { status, body, request, response } = await sendArmRequest(clients, { url, method: "POST", body: payload });
  if (status !== 200) {
    const error = (body as { error?: { code?: string; message?: string; details?: { code?: string; message?: string }[] } }).error;
    // ARG puts the useful part of a query error (the parser's message) in details.
    const detail = error?.details?.map((d) => d.message).filter(Boolean).join("; ");
    throw new RestError(`Resource Graph: ${[error?.message, detail].filter(Boolean).join(" ") || `HTTP ${status}`}`, { statusCode: status, code: error?.code, request, response });
  }
  return body;
}

/** The ResourceGraphQuery key of a query, for progress ("roleAssignments"); its first words otherwise. */
function queryName(query: string): string {
  return Object.entries(ResourceGraphQuery).find(([, text]) => text === query)?.[0] ?? firstLine(query);
}

function firstLine(query: string): string {
  return query.split("\n")[0]!.slice(0, 80);
}

/** The queries a scan sends; the emulator answers exactly these shapes. */
export const ResourceGraphQuery = {
  resources: "resources | project id, name, type, location, kind, sku, plan, tags, identity, zones, extendedLocation, managedBy, properties",
  resourceGroups:
    "resourcecontainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups' | project id, name, type, location, tags, managedBy, properties",
  roleAssignments: "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | project id, name, type, properties",
  roleDefinitions: "authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' | project id, name, type, properties",
  clusterExtensions: "kubernetesconfigurationresources | where type =~ 'microsoft.kubernetesconfiguration/extensions' | project id, name, type, identity, systemData, properties",
} as const;

/**
 * Every resource of the subscriptions, with full `properties` (ARM's generic list has none).
 * `onResources` sees each page's resources as it arrives, so reads that depend on them can
 * start before the last page; `onPage` reports progress.
 */
export async function listGraphResources(
  clients: AzureClients,
  subscriptionIds: readonly string[],
  options: { onPage?: ResourceGraphPageListener; onResources?: (resources: ArmWireObject[]) => void } = {},
): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const data: ArmWireObject[] = [];
  const result = await queryResourceGraph(clients, ResourceGraphQuery.resources, subscriptionIds, {
    onPage: options.onPage,
    onRows: (rows) => {
      const page = rows.map(adaptGraphResourceRow);
      data.push(...page);
      options.onResources?.(page);
    },
  });
  return { data, truncated: result.truncated };
}

export async function listGraphResourceGroups(clients: AzureClients, subscriptionIds: readonly string[], onPage?: ResourceGraphPageListener): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const result = await queryResourceGraph(clients, ResourceGraphQuery.resourceGroups, subscriptionIds, { onPage });
  return { data: result.rows.map((r) => adaptGraphRow(r, "Microsoft.Resources/resourceGroups")), truncated: result.truncated };
}

/**
 * Role assignments at and below the subscriptions and the ones they inherit from management
 * groups and the root (AtScopeAboveAndBelow). The same inherited row comes back once per batch
 * of subscriptions; the inventory keeps one per id.
 */
export async function listGraphRoleAssignments(clients: AzureClients, subscriptionIds: readonly string[], onPage?: ResourceGraphPageListener): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const result = await queryResourceGraph(clients, ResourceGraphQuery.roleAssignments, subscriptionIds, { authorizationScopeFilter: AuthorizationScopeFilter.AtScopeAboveAndBelow, onPage });
  return { data: result.rows.map((r) => adaptGraphRow(r, "Microsoft.Authorization/roleAssignments")), truncated: result.truncated };
}

/**
 * Built-in role definitions (stored at the root), custom ones defined at the management groups
 * above the subscriptions, and those defined in the subscriptions (AtScopeAboveAndBelow).
 */
export async function listGraphRoleDefinitions(clients: AzureClients, subscriptionIds: readonly string[], onPage?: ResourceGraphPageListener): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const result = await queryResourceGraph(clients, ResourceGraphQuery.roleDefinitions, subscriptionIds, { authorizationScopeFilter: AuthorizationScopeFilter.AtScopeAboveAndBelow, onPage });
  return { data: result.rows.map((r) => adaptGraphRow(r, "Microsoft.Authorization/roleDefinitions")), truncated: result.truncated };
}

/**
 * Cluster extensions of the subscriptions' clusters: ARG keeps extension resources in their own
 * `kubernetesconfigurationresources` table, never in `resources`.
 */
export async function listGraphClusterExtensions(clients: AzureClients, subscriptionIds: readonly string[], onPage?: ResourceGraphPageListener): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const result = await queryResourceGraph(clients, ResourceGraphQuery.clusterExtensions, subscriptionIds, { onPage });
  return { data: result.rows.map((r) => adaptGraphRow(r, "Microsoft.KubernetesConfiguration/extensions")), truncated: result.truncated };
}

/** Columns ARG adds to every row that are not part of the ARM GET body. */
const graphOnlyColumns = new Set(["tenantId", "subscriptionId", "resourceGroup"]);

/**
 * An ARG row as the ARM GET body: ARG-only columns dropped, empty columns (ARG sends
 * `""`/`null` for absent ones) omitted, and `type` given ARM's casing.
 */
export function adaptGraphRow(row: Record<string, unknown>, armType?: string): ArmWireObject {
  if (typeof row.id !== "string" || row.id === "") throw new Error(`Resource Graph row without an id: ${JSON.stringify(row).slice(0, 200)}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (graphOnlyColumns.has(key)) continue;
    if (value === null || value === "" || value === undefined) continue;
    out[key] = value;
  }
  if (armType !== undefined) out.type = armType;
  return out as ArmWireObject;
}

/**
 * A `resources` row. A top-level resource's type keeps the id's casing (ARM's spelling,
 * `Microsoft.ContainerService/managedClusters`), which ARG lower-cases.
 */
export function adaptGraphResourceRow(row: Record<string, unknown>): ArmWireObject {
  const wire = adaptGraphRow(row);
  const fromId = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(wire.id)?.[1];
  if (fromId && typeof wire.type === "string" && fromId.toLowerCase() === wire.type.toLowerCase()) wire.type = fromId;
  return wire;
}
