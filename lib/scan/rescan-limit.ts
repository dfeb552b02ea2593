/**
 * A per-person limit on rescans that start a scan (a rescan that joins a running one costs
 * nothing): each full scan is hundreds to thousands of ARM, Graph and Kubernetes calls, so
 * one person must not be able to keep the server, and the tenant's ARM quota, busy.
 */
export interface RateLimitVerdict {
  ok: boolean;
  /** Seconds until the next scan may start (when refused). */
  retryAfterSeconds?: number;
}

export class SlidingWindowLimiter {
  private readonly starts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** People remembered at most; the longest idle are forgotten first. */
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a scan start for `key` if the limit allows one now. */
  take(key: string): RateLimitVerdict {
    const t = this.now();
    const recent = (this.starts.get(key) ?? []).filter((s) => t - s < this.windowMs);
    if (recent.length >= this.limit) {
      this.starts.set(key, recent);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.windowMs - t) / 1000)) };
    }
    recent.push(t);
    // Re-inserted last: a Map iterates in insertion order, so the first key is the longest idle.
    this.starts.delete(key);
    this.starts.set(key, recent);
    while (this.starts.size > this.maxKeys) this.starts.delete(this.starts.keys().next().value!);
    return { ok: true };
  }
}

/** Three scans a minute per person. */
export const RESCANS_PER_WINDOW = 3;
export const RESCAN_WINDOW_MS = 60_000;

const holder = globalThis as { __scopewiseRescanLimiter?: SlidingWindowLimiter };

/** The server's rescan limiter (one per process, shared by the route bundles). */
export function rescanLimiter(): SlidingWindowLimiter {
  holder.__scopewiseRescanLimiter ??= new SlidingWindowLimiter(RESCANS_PER_WINDOW, RESCAN_WINDOW_MS);
  return holder.__scopewiseRescanLimiter;
}
