import { createHmac } from "node:crypto";
import type { AlertTarget } from "@/lib/model/alerts";
import { DeliveryStatus, type AlertDeliveries, type DeliveryAttempt } from "@/lib/store/alert-deliveries";

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = "x-scopewise-signature";

/**
 * Signs a body as the receiver verifies it: HMAC-SHA256 with the shared secret over the
 * timestamp, a dot and the exact body bytes, hex-encoded. The timestamp is signed too, so a
 * receiver that refuses old timestamps cannot be sent a recorded alert again.
 */
export function signAlert(secret: string, body: string, timestamp: number): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

export interface DeliveryPolicy {
  /** Tries in all, the first included (default 5). */
  maxAttempts: number;
  /** The wait before the second try; doubled for each later one (default 1 s). */
  baseDelayMs: number;
  /** No single wait is longer (default 60 s); a Retry-After beyond it ends the delivery as failed. */
  maxDelayMs: number;
  /** One try's time limit (default 10 s). */
  timeoutMs: number;
}

export const DEFAULT_POLICY: DeliveryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 10_000 };

export interface DeliverOptions {
  secret: string;
  log: AlertDeliveries;
  deliveryId: string;
  eventKind: string;
  policy?: Partial<DeliveryPolicy>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Worth another try: the target is busy (429), timed out (408) or failed on its side (5xx). */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Posts a signed alert to one target, retrying with exponential backoff (honouring the
 * target's Retry-After up to the policy's cap) while the failure is the target's or the
 * network's; another 4xx, or a redirect, ends it at once (a retry would get the same answer).
 * Every attempt is written to the delivery log. Never throws for the target's failures.
 */
export async function deliverAlert(target: AlertTarget, body: string, options: DeliverOptions): Promise<DeliveryStatus> {
  const policy = { ...DEFAULT_POLICY, ...options.policy };
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? (() => new Date());
  const attempts: DeliveryAttempt[] = [];
  for (let n = 1; ; n += 1) {
    const at = now();
    const attempt: DeliveryAttempt = { at: at.toISOString() };
    let retry = false;
    let waitMs: number | undefined;
    try {
      const response = await doFetch(target.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(policy.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "Scopewise-Alerts/1",
          [SIGNATURE_HEADER]: signAlert(options.secret, body, Math.floor(at.getTime() / 1000)),
          "x-scopewise-event": options.eventKind,
          "x-scopewise-delivery": options.deliveryId,
        },
        body,
      });
      attempt.httpStatus = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        attempts.push(attempt);
        await options.log.attempt(options.deliveryId, attempt, attempts, DeliveryStatus.Delivered);
        return DeliveryStatus.Delivered;
      }
      attempt.error = response.status >= 300 && response.status < 400 ? `HTTP ${response.status}: redirects are not followed` : `HTTP ${response.status}`;
      retry = retryable(response.status);
      waitMs = retryAfterMs(response.headers.get("retry-after"), at);
    } catch (err) {
      attempt.error = (err as Error).name === "TimeoutError" ? `no answer within ${policy.timeoutMs} ms` : `network: ${(err as Error).message}`;
      retry = true;
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
    const wait = Math.max(backoff, waitMs ?? 0);
    if (retry && n < policy.maxAttempts && wait > policy.maxDelayMs) attempt.error += `; asked to wait ${Math.ceil(wait / 1000)} s, more than the ${Math.ceil(policy.maxDelayMs / 1000)} s limit`;
    const again = retry && n < policy.maxAttempts && wait <= policy.maxDelayMs;
    if (again) attempt.retryAfterMs = wait;
    attempts.push(attempt);
    await options.log.attempt(options.deliveryId, attempt, attempts, again ? undefined : DeliveryStatus.Failed);
    if (!again) return DeliveryStatus.Failed;
    await sleep(wait);
  }
}
