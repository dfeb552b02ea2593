import type { IncomingMessage, ServerResponse } from "node:http";

/** One parsed request, as every route family sees it. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** Path segments, percent-decoded, empty segments dropped. */
  segments: string[];
  /** Lower-cased segments, for ARM's case-insensitive matching. */
  lower: string[];
  /** The emulator's base URL (`https://localhost:PORT`), for absolute links. */
  baseUrl: string;
  /**
   * Counts the request under its route family ("arm:roleAssignments", "k8s:pods", ...). Throws an
   * injected fault (429/5xx) when one is pending for the family.
   */
  count(family: string): void;
  /** Claims of the verified bearer token, once auth has passed. */
  claims?: { oid?: string; appid?: string; [k: string]: unknown };
  readBody(): Promise<string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body && "error" in body ? JSON.stringify((body as { error: unknown }).error) : `HTTP ${status}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

/** ARM's error envelope: `{ "error": { "code", "message" } }`. */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { error: { code, message } }, headers);
}

export function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, { error: { code: "RequestEntityTooLarge", message: "The request body is too large." } }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * Offset paging with an opaque token. ARM puts the token in an absolute `nextLink` that keeps
 * every original query parameter (api-version and $filter included), so SDK pagers just follow it.
 */
export function paginate<T>(items: readonly T[], offset: number, size: number): { items: T[]; nextOffset?: number } {
  const start = Math.max(0, offset);
  const end = start + Math.max(1, size);
  return { items: items.slice(start, end), nextOffset: end < items.length ? end : undefined };
}

export function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Case-insensitive query lookup: ARM accepts `$skipToken` and `$skiptoken`, `api-version` in any case. */
export function queryParam(url: URL, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v;
  return undefined;
}
