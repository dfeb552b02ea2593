import { createHttpHeaders, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { AzureClients } from "@/lib/azure/clients";
import type { WireObject } from "@/lib/model/wire";

/** Microsoft Graph accepts at most 1000 ids per directoryObjects/getByIds call. */
export const graphGetByIdsLimit = 1000;

/**
 * Directory objects (service principals, users, groups) for the given object ids, via
 * Graph `POST /v1.0/directoryObjects/getByIds`. Ids Graph does not return do not exist
 * in the directory (deleted principals); callers tell "deleted" from "unknown" by whether
 * this call succeeded.
 */
export async function listPrincipalsByIds(
  clients: AzureClients,
  ids: readonly string[],
  onBatch?: (batch: { batch: number; batches: number }) => void,
): Promise<WireObject[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const out: WireObject[] = [];
  const batches = Math.ceil(unique.length / graphGetByIdsLimit);
  for (let i = 0; i < unique.length; i += graphGetByIdsLimit) {
    const batch = unique.slice(i, i + graphGetByIdsLimit);
    const request = createPipelineRequest({
      url: `${clients.graphEndpoint}/v1.0/directoryObjects/getByIds`,
      method: "POST",
      headers: createHttpHeaders({ "content-type": "application/json", accept: "application/json" }),
      body: JSON.stringify({ ids: batch }),
    });
    const response = await clients.graph().sendRequest(request);
    const text = response.bodyAsText ?? "";
    if (response.status !== 200) {
      throw new RestError(graphErrorMessage(text) ?? `Graph getByIds returned HTTP ${response.status}`, {
        statusCode: response.status,
        code: graphErrorCode(text),
        request,
        response,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error("Graph getByIds returned a body that is not JSON");
    }
    const value = (body as { value?: unknown }).value;
    if (!Array.isArray(value)) throw new Error('Graph getByIds returned no "value" array');
    for (const item of value) if (item && typeof item === "object") out.push(item as WireObject);
    onBatch?.({ batch: i / graphGetByIdsLimit + 1, batches });
  }
  return out;
}

function graphError(text: string): { code?: unknown; message?: unknown } | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
  } catch {
    return undefined;
  }
}

function graphErrorMessage(text: string): string | undefined {
  const message = graphError(text)?.message;
  return typeof message === "string" ? message : undefined;
}

function graphErrorCode(text: string): string | undefined {
  const code = graphError(text)?.code;
  return typeof code === "string" ? code : undefined;
}
