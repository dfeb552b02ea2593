import { AsyncLocalStorage } from "node:async_hooks";
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { WireListError } from "@/lib/model/source-error";

/**
 * Wire capture: Scopewise keeps ARM payloads exactly as ARM sent them (`properties`
 * nested, unknown fields kept), not the SDK's deserialized models, which flatten
 * `properties` and drop fields the SDK version does not know.
 *
 * `onResponse` is not enough: the modular (TypeSpec-generated) SDKs such as
 * @azure/arm-containerservice 25 fetch next pages through `pathUnchecked(nextLink).get()`
 * without the caller's options, so a callback would only see page one. Instead every
 * client carries `wireCapturePolicy`, and the caller opens a capture scope with
 * AsyncLocalStorage; requests made while the scope's promise chain runs (including
 * next-page requests issued by the SDK's pager) report their final responses to it.
 * Concurrent scans on the same client do not mix, because each scope is its own
 * async context.
 */

interface CapturedBody {
  status: number;
  url: string;
  body: unknown;
}

type Capture = (response: CapturedBody) => void;

const captureScope = new AsyncLocalStorage<Capture>();

export const wireCapturePolicyName = "scopewiseWireCapture";

/**
 * Reports each final (post-retry) response body to the active capture scope. Added as a
 * per-call policy, so it sees one response per logical request, after retries.
 */
export const wireCapturePolicy: PipelinePolicy = {
  name: wireCapturePolicyName,
  async sendRequest(request, next) {
    const response: PipelineResponse = await next(request);
    const capture = captureScope.getStore();
    if (capture && response.status >= 200 && response.status < 300) {
      capture({ status: response.status, url: request.url, body: parseBody(response) });
    }
    return response;
  },
};

function parseBody(response: PipelineResponse): unknown {
  const text = response.bodyAsText;
  if (text === undefined || text === null || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A 2xx with a non-JSON body is not an ARM list page; the SDK will raise its own
    // parse error, which the caller reports.
    return undefined;
  }
}

/** Anything with the SDK pager shape (classic core-paging and modular clients alike). */
export interface PagedLike {
  byPage(settings?: { maxPageSize?: number; continuationToken?: string }): AsyncIterableIterator<unknown[]>;
}

/**
 * Drives an SDK list operation page by page and returns the wire items of every page
 * (the `value` array of each 2xx response body), in order.
 * `start` must create the pager inside the callback, so that its requests run in the
 * capture scope.
 */
export async function listWire(start: () => PagedLike): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const capture: Capture = ({ body, url }) => {
    if (body === undefined) return;
    const value = (body as { value?: unknown }).value;
    if (!Array.isArray(value)) {
      throw new Error(`list response from ${redactUrl(url)} has no "value" array`);
    }
    for (const item of value) if (item && typeof item === "object") items.push(item as Record<string, unknown>);
  };
  try {
    await captureScope.run(capture, async () => {
      for await (const page of start().byPage()) void page;
    });
  } catch (error) {
    throw new WireListError(error, items);
  }
  return items;
}

/**
 * Runs one SDK call that makes a single request (a GET by id, a POST action) and returns
 * that response's wire body.
 */
export async function getWire(call: () => Promise<unknown>): Promise<Record<string, unknown>> {
  let body: unknown;
  let seen = false;
  await captureScope.run(
    (response) => {
      body = response.body;
      seen = true;
    },
    call,
  );
  if (!seen || !body || typeof body !== "object") {
    throw new Error("the response had no JSON body");
  }
  return body as Record<string, unknown>;
}

/** Query strings can carry skip tokens; keep error messages to the path. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}
