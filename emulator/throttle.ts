import type { IncomingMessage } from "node:http";
import { HttpError } from "./http";

/**
 * ARM's read throttling as the emulator simulates it: a token bucket per principal (ARM's
 * 2024 limits: 250 reads per bucket, refilled at 25 a second), a 429 with Retry-After when
 * the bucket is empty, and `x-ms-ratelimit-remaining-subscription-reads` on every answer so
 * clients can slow down before they are refused. Resource Graph answers carry its own
 * headers (`x-ms-user-quota-remaining`, `x-ms-user-quota-resets-after`) from the same bucket.
 */
export interface ThrottleSettings {
  /** Bucket size (default 250). */
  capacity?: number;
  /** Tokens added per second (default 25). */
  refillPerSecond?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class ThrottleBuckets {
  readonly capacity: number;
  readonly refillPerSecond: number;
  private readonly buckets = new Map<string, Bucket>();
  /** 429s answered, per principal. */
  readonly refused = new Map<string, number>();

  constructor(settings: ThrottleSettings = {}) {
    this.capacity = settings.capacity ?? 250;
    this.refillPerSecond = settings.refillPerSecond ?? 25;
    if (!(this.capacity >= 1) || !(this.refillPerSecond > 0)) {
      throw new Error(`throttle: capacity must be ≥ 1 and refillPerSecond > 0, got ${this.capacity} and ${this.refillPerSecond}`);
    }
  }

  /** Takes one token for `principal`; returns what is left, or how long to wait when none is. */
  take(principal: string, now = Date.now()): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } {
    let b = this.buckets.get(principal);
    if (!b) {
      b = { tokens: this.capacity, at: now };
      this.buckets.set(principal, b);
    }
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.refillPerSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    this.refused.set(principal, (this.refused.get(principal) ?? 0) + 1);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.refillPerSecond)) };
  }
}

/** ARM and Resource Graph paths: the first segment names an ARM collection. */
export function isArmPath(lowerSegments: readonly string[]): boolean {
  const first = lowerSegments[0];
  return first === "subscriptions" || first === "providers" || first === "tenants";
}

/**
 * The principal a request is throttled as: the token's `oid` (ARM keys its buckets on the
 * caller's object id). The signature is checked later by the route; an unreadable token
 * shares one bucket, and is refused by the route anyway.
 */
export function principalOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return "anonymous";
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { oid?: unknown; appid?: unknown; sub?: unknown };
    return String(claims.oid ?? claims.appid ?? claims.sub ?? "anonymous");
  } catch {
    return "anonymous";
  }
}

/**
 * Applies the bucket to one ARM request: sets the remaining-reads headers on the response,
 * or throws ARM's 429 (`error.code` TooManyRequests, with Retry-After).
 */
export function applyThrottle(buckets: ThrottleBuckets, req: IncomingMessage, res: { setHeader(name: string, value: string): unknown }, isResourceGraph: boolean): void {
  const result = buckets.take(principalOf(req));
  if (!result.ok) {
    throw new HttpError(
      429,
      { error: { code: "TooManyRequests", message: `Number of read requests for this principal exceeded the limit. Please retry after ${result.retryAfterSeconds} seconds.` } },
      {
        "retry-after": String(result.retryAfterSeconds),
        "x-ms-ratelimit-remaining-subscription-reads": "0",
        ...(isResourceGraph ? { "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": formatDuration(result.retryAfterSeconds) } : {}),
      },
    );
  }
  res.setHeader("x-ms-ratelimit-remaining-subscription-reads", String(result.remaining));
  if (isResourceGraph) {
    res.setHeader("x-ms-user-quota-remaining", String(result.remaining));
    res.setHeader("x-ms-user-quota-resets-after", formatDuration(Math.ceil((buckets.capacity - result.remaining) / buckets.refillPerSecond)));
  }
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h, m, s].map((n) => String(n).padStart(2, "0")).join(":");
}
