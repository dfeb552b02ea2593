import { z } from "zod";
import { HttpError, readBody, sendJson, type RequestContext } from "./http";

/**
 * Fault injection: the next `times` requests of a route family fail. A family is one
 * ("arm:roleAssignments", "k8s:pods"), a prefix ending in ':' ("k8s:", "arm:") or "*" (every
 * family but Entra's). A fault answers a status in the API's own error shape (429 and 503 with
 * Retry-After), or never answers (`hang`), or drops the connection (`reset`).
 */
export interface FaultRule {
  family: string;
  times: number;
  status?: 429 | 500 | 502 | 503 | 504;
  retryAfterSeconds?: number;
  /** The request is read and never answered; the socket closes only with the emulator. */
  hang?: true;
  /** The connection is destroyed before any answer (the client sees ECONNRESET or "socket hang up"). */
  reset?: true;
  /** Only requests to this cluster's Kubernetes API (its name or managedCluster id, any case): one API server down. */
  cluster?: string;
}

/** Thrown by `ctx.count` for a fault that is not an answer; server.ts carries it out. */
export class ConnectionFault extends Error {
  constructor(readonly kind: "hang" | "reset") {
    super(`injected ${kind}`);
    this.name = "ConnectionFault";
  }
}

/** POST /_emulator/faults body: one fault, exactly one of status, hang and reset. */
export const faultRuleSchema = z
  .strictObject({
    family: z.string().regex(/^(\*|(entra|arm|graph|k8s):[A-Za-z0-9.-]*)$/, { error: 'expected "*" or a family such as "k8s:", "arm:roleAssignments", "graph:getByIds", "entra:token"' }),
    times: z.number({ error: "expected a number" }).int({ error: "expected an integer" }).min(1, { error: "expected at least 1" }).max(1_000_000, { error: "expected at most 1000000" }),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)], { error: "expected 429, 500, 502, 503 or 504" }).optional(),
    retryAfterSeconds: z.number({ error: "expected a number" }).int({ error: "expected an integer" }).min(0).max(3600).optional(),
    hang: z.literal(true, { error: "expected true" }).optional(),
    reset: z.literal(true, { error: "expected true" }).optional(),
    cluster: z.string({ error: "expected a cluster name or managedCluster id" }).min(1).max(1000).optional(),
  })
  .refine((r) => [r.status !== undefined, r.hang, r.reset].filter(Boolean).length === 1, { error: "give exactly one of status, hang and reset", path: ["status"] })
  .refine((r) => r.cluster === undefined || r.family === "*" || r.family.startsWith("k8s:"), { error: "cluster applies to Kubernetes families only (k8s:…)", path: ["cluster"] });

export class FaultInjector {
  private readonly rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    const parsed = faultRuleSchema.safeParse(rule);
    if (!parsed.success) throw new Error(`injectFault: ${describeIssue(parsed.error)}`);
    this.rules.push({ ...parsed.data } as FaultRule);
  }

  clear(): void {
    this.rules.length = 0;
  }

  /**
   * The fault due for one request of `family`, if any (one of its `times` is used up).
   * `cluster` names the cluster a Kubernetes request went to (its name and id).
   */
  take(family: string, cluster?: { name: string; id: string }): FaultRule | undefined {
    // Refusals the emulator itself answers are not requests a fault can stand in for.
    if (family.endsWith(":unauthorized") || family.endsWith(":error") || family.endsWith(":forbidden")) return undefined;
    const onCluster = (f: FaultRule) => f.cluster === undefined || (cluster !== undefined && [cluster.name, cluster.id].some((n) => n.toLowerCase() === f.cluster!.toLowerCase()));
    const rule = this.rules.find(
      (f) =>
        f.times > 0 &&
        (f.family === family || (f.family.endsWith(":") && family.startsWith(f.family)) || (f.family === "*" && !family.startsWith("entra:"))) &&
        onCluster(f),
    );
    if (!rule) return undefined;
    rule.times--;
    if (rule.times === 0) this.rules.splice(this.rules.indexOf(rule), 1);
    return rule;
  }
}

/** What one request's fault does: an error in the API's shape, or a connection fault. */
export function faultOutcome(family: string, rule: FaultRule): HttpError | ConnectionFault {
  if (rule.hang) return new ConnectionFault("hang");
  if (rule.reset) return new ConnectionFault("reset");
  const status = rule.status ?? 500;
  const retry = rule.retryAfterSeconds ?? 1;
  const headers: Record<string, string> = status === 429 || status === 503 ? { "retry-after": String(retry) } : {};
  const throttled = status === 429;
  if (family.startsWith("k8s:")) {
    const reason = throttled ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : status === 504 ? "Timeout" : "InternalError";
    return new HttpError(status, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: throttled ? "Too many requests, please try again later." : "Internal error occurred (injected fault)", reason, details: { retryAfterSeconds: retry }, code: status }, headers);
  }
  if (family.startsWith("entra:")) {
    return new HttpError(status, { error: throttled ? "temporarily_unavailable" : "server_error", error_description: `AADSTS50196: The server terminated an operation (injected fault).`, error_codes: [50196] }, headers);
  }
  if (family.startsWith("graph:")) {
    const code = throttled ? "TooManyRequests" : status === 503 ? "serviceNotAvailable" : status === 504 ? "gatewayTimeout" : "generalException";
    return new HttpError(status, { error: { code, message: "The service failed to answer (injected fault).", innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": crypto.randomUUID() } } }, headers);
  }
  const code = throttled ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : status === 502 ? "BadGateway" : status === 504 ? "GatewayTimeout" : "InternalServerError";
  const message = throttled ? `Number of requests exceeded the limit. Please retry after ${retry} seconds.` : "The server encountered an internal error (injected fault).";
  return new HttpError(status, { error: { code, message } }, throttled ? { ...headers, "x-ms-ratelimit-remaining-subscription-reads": "0" } : headers);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`;
}

/**
 * `POST /_emulator/faults` adds a fault (201 with it), `DELETE /_emulator/faults` removes every
 * pending one (204): the HTTP face of `handle.injectFault`, for processes that only have the
 * emulator's URL (tests of a running dashboard, `npm run demo -- --emulator-port P`). A body
 * that is not a fault answers 422 naming the field. No token is needed: the emulator binds
 * 127.0.0.1, and the path exists only on the emulator, never on Azure.
 */
export async function serveFaults(ctx: RequestContext, faults: FaultInjector): Promise<void> {
  if (ctx.method === "DELETE") {
    faults.clear();
    ctx.res.writeHead(204).end();
    return;
  }
  if (ctx.method !== "POST") throw new HttpError(405, { error: { code: "MethodNotAllowed", message: "Use POST to add a fault and DELETE to remove every fault." } });
  let body: unknown;
  try {
    body = JSON.parse(await readBody(ctx.req, 64 * 1024));
  } catch {
    throw new HttpError(400, { error: { code: "InvalidRequestContent", message: "The body is not JSON." } });
  }
  const parsed = faultRuleSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(422, { error: { code: "InvalidFault", message: describeIssue(parsed.error) } });
  faults.add(parsed.data as FaultRule);
  sendJson(ctx.res, 201, { fault: parsed.data });
}
