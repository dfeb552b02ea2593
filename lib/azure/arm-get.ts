import { createHttpHeaders, createPipelineRequest, RestError, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { AzureClients } from "@/lib/azure/clients";
import { WireListError } from "@/lib/model/source-error";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * Plain ARM GETs through the scan's authenticated pipeline, for resource providers no SDK here
 * covers (Microsoft.Management, Microsoft.KubernetesConfiguration). Errors are RestErrors with
 * ARM's error code, as the SDKs raise them.
 */

/** One ARM request through the scan's pipeline: the status and the parsed JSON body (`{}` when empty or not JSON). */
export async function sendArmRequest(
  clients: AzureClients,
  o: { url: string; method: "GET" | "POST"; body?: unknown },
): Promise<{ status: number; body: Record<string, unknown>; request: PipelineRequest; response: PipelineResponse }> {
  const headers = createHttpHeaders(o.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" });
  const request = createPipelineRequest({ url: o.url, method: o.method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
  const response = await clients.arm().sendRequest(request);
  const text = response.bodyAsText ?? "";
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  return { status: response.status, body: (body ?? {}) as Record<string, unknown>, request, response };
}

/** `GET url`: the JSON body of a 200, else a RestError with ARM's `error.code` and message. */
export async function armGet(clients: AzureClients, url: string): Promise<Record<string, unknown>> {
  const { status, body, request, response } = await sendArmRequest(clients, { url, method: "GET" });
  if (status !== 200) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    throw new RestError(error?.message ?? `GET ${new URL(url).pathname} returned HTTP ${status}`, { statusCode: status, code: error?.code, request, response });
  }
  return body;
}

/**
 * Every item of an ARM list, following `nextLink` to the last page. A failure after some pages
 * is a WireListError carrying what was read.
 */
export async function listArmPages(clients: AzureClients, url: string): Promise<ArmWireObject[]> {
  const items: ArmWireObject[] = [];
  let next: string | undefined = url;
  try {
    while (next) {
      const body = await armGet(clients, next);
      const value = body.value;
      if (!Array.isArray(value)) throw new Error(`list ${new URL(next).pathname} returned no "value" array`);
      items.push(...(value as ArmWireObject[]));
      next = typeof body.nextLink === "string" && body.nextLink ? body.nextLink : undefined;
    }
  } catch (error) {
    throw new WireListError(error, items);
  }
  return items;
}
