import { createHttpHeaders, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { AzureClients } from "@/lib/azure/clients";
import { mapBounded } from "@/lib/azure/concurrency";
import type { ArmWireObject } from "@/lib/model/wire";

const managementGroupsApiVersion = "2021-04-01";

/**
 * Management groups the credential can read, each in its GET shape (the list omits
 * `details.parent`, so every group is fetched). No SDK for Microsoft.Management is a
 * dependency; the requests go through the same authenticated ARM pipeline.
 */
export async function listManagementGroups(clients: AzureClients, concurrency = 4): Promise<ArmWireObject[]> {
  const listed: ArmWireObject[] = [];
  let url: string | undefined = `${clients.armEndpoint}/providers/Microsoft.Management/managementGroups?api-version=${managementGroupsApiVersion}`;
  while (url) {
    const body = await armGet(clients, url);
    const value = body.value;
    if (!Array.isArray(value)) throw new Error('management group list returned no "value" array');
    listed.push(...(value as ArmWireObject[]));
    url = typeof body.nextLink === "string" && body.nextLink ? body.nextLink : undefined;
  }
  return mapBounded(listed, concurrency, async (group) => {
    const full = await armGet(
      clients,
      `${clients.armEndpoint}${group.id}?api-version=${managementGroupsApiVersion}&$expand=children`,
    );
    return (typeof full.id === "string" ? full : group) as ArmWireObject;
  });
}

async function armGet(clients: AzureClients, url: string): Promise<Record<string, unknown>> {
  const request = createPipelineRequest({ url, method: "GET", headers: createHttpHeaders({ accept: "application/json" }) });
  const response = await clients.arm().sendRequest(request);
  const text = response.bodyAsText ?? "";
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  if (response.status !== 200) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    throw new RestError(error?.message ?? `GET ${new URL(url).pathname} returned HTTP ${response.status}`, {
      statusCode: response.status,
      code: error?.code,
      request,
      response,
    });
  }
  return body as Record<string, unknown>;
}
