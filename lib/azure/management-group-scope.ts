import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { createAzureClients, type AzureConnection } from "@/lib/azure/clients";
import { ConfigurationError } from "@/lib/env";

interface Child {
  type?: string;
  name?: string;
  children?: Child[] | null;
}

/**
 * Subscription ids anywhere under a management group (SCOPEWISE_MANAGEMENT_GROUP), read with
 * `$expand=children&$recurse=true`. Where an ARM answers children one level deep only (the
 * emulator), child groups are expanded one by one. A group the credential cannot read stops the
 * scan with a message naming it: scanning "everything" instead would be wrong.
 */
export async function subscriptionsUnderManagementGroup(connection: AzureConnection, group: string): Promise<string[]> {
  const clients = createAzureClients(connection);
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = async (name: string): Promise<void> => {
    if (seen.has(name.toLowerCase())) return;
    seen.add(name.toLowerCase());
    const url = `${clients.armEndpoint}/providers/Microsoft.Management/managementGroups/${encodeURIComponent(name)}?api-version=2021-04-01&$expand=children&$recurse=true`;
    const request = createPipelineRequest({ url, method: "GET", headers: createHttpHeaders({ accept: "application/json" }) });
    const response = await clients.arm().sendRequest(request);
    let body: { properties?: { children?: Child[] | null }; error?: { code?: string; message?: string } } = {};
    try {
      body = JSON.parse(response.bodyAsText ?? "{}");
    } catch {
      // Reported below with the status.
    }
    if (response.status !== 200) {
      throw new ConfigurationError(
        `SCOPEWISE_MANAGEMENT_GROUP: cannot read management group "${name}" (HTTP ${response.status}${body.error?.code ? ` ${body.error.code}` : ""}${body.error?.message ? `: ${body.error.message}` : ""})`,
      );
    }
    const pending: string[] = [];
    const walk = (children: Child[] | null | undefined) => {
      for (const c of children ?? []) {
        const type = (c.type ?? "").toLowerCase();
        if (type === "/subscriptions" || type === "microsoft.resources/subscriptions") {
          if (c.name) out.add(c.name);
        } else if (type.endsWith("managementgroups") && c.name) {
          if (c.children === undefined) pending.push(c.name);
          else walk(c.children);
        }
      }
    };
    walk(body.properties?.children);
    for (const child of pending) await visit(child);
  };
  await visit(group);
  return [...out];
}
