import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";

/**
 * Request accounting, a per-host concurrency limit, pacing on ARM's and Resource Graph's
 * remaining-quota headers, and a deadline, as core-rest-pipeline policies. Retries
 * themselves stay with the SDK's retry policy (configured through `retryOptions`): it
 * already honours Retry-After on 429/503 and backs off exponentially, with jitter, on
 * other 5xx answers and connection resets.
 */

/** Counters for one scan's Azure requests. `retries` = attempts beyond the first of each request. */
export interface RequestStats {
  /** Logical requests (one per SDK call or page, whatever the retries). */
  requests: number;
  /** Attempts on the wire, retries included. */
  attempts: number;
  retries: number;
  /** Attempts answered 429. */
  throttled: number;
  /** Attempts answered 5xx or failed with a network error. */
  failedAttempts: number;
  /** Milliseconds spent waiting because a remaining-quota header ran low. */
  pacedMs: number;
}

export function createRequestStats(): RequestStats {
  return { requests: 0, attempts: 0, retries: 0, throttled: 0, failedAttempts: 0, pacedMs: 0 };
}

/** Retry settings passed to the SDK clients (`retryOptions`). */
export interface RetrySettings {
  /** Retries after the first attempt (default 6: a 429 storm with short Retry-After still completes). */
  maxRetries?: number;
  /** Base delay of the exponential backoff on 5xx and resets (default 800 ms; jitter is added by the SDK). */
  retryDelayInMs?: number;
  /** Cap of one backoff wait (default 30 s). */
  maxRetryDelayInMs?: number;
}

export const defaultRetrySettings: Required<RetrySettings> = { maxRetries: 6, retryDelayInMs: 800, maxRetryDelayInMs: 30_000 };

/**
 * ARM's read quota: the 2024 token-bucket limits give a principal 250 reads per
 * subscription with a refill of 25 per second (tenant-level reads: the same bucket per
 * tenant). Below `lowWater` remaining, requests to that host are spaced at the refill rate
 * instead of being sent until a 429 arrives.
 */
const armRefillIntervalMs = 40;
const lowWater = 25;

/** Limits requests in flight per host and paces them when the server reports a quota running out. */
export class HostLimiter {
  private readonly hosts = new Map<string, { active: number; waiting: (() => void)[]; notBefore: number }>();
  constructor(
    readonly maxInFlight: number,
    private readonly stats?: RequestStats,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`per-host concurrency must be a positive integer, got ${maxInFlight}`);
  }

  private host(name: string) {
    let h = this.hosts.get(name);
    if (!h) {
      h = { active: 0, waiting: [], notBefore: 0 };
      this.hosts.set(name, h);
    }
    return h;
  }

  async acquire(name: string): Promise<void> {
    const h = this.host(name);
    if (h.active >= this.maxInFlight) await new Promise<void>((resolve) => h.waiting.push(resolve));
    else h.active++;
    const wait = h.notBefore - Date.now();
    if (wait > 0) {
      if (this.stats) this.stats.pacedMs += wait;
      await sleep(wait);
    }
  }

  release(name: string): void {
    const h = this.host(name);
    const next = h.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else h.active--;
  }

  /** Reads the quota headers of a response and delays the host's next requests when they run low. */
  observe(name: string, headers: { get(name: string): string | undefined }): void {
    const h = this.host(name);
    const now = Date.now();
    // Resource Graph: a per-user quota of queries per window; at zero, wait out the window.
    const argRemaining = toInt(headers.get("x-ms-user-quota-remaining"));
    if (argRemaining !== undefined && argRemaining <= 0) {
      const reset = parseDuration(headers.get("x-ms-user-quota-resets-after"));
      if (reset !== undefined) h.notBefore = Math.max(h.notBefore, now + reset);
    }
    const armRemaining = minDefined(
      toInt(headers.get("x-ms-ratelimit-remaining-subscription-reads")),
      toInt(headers.get("x-ms-ratelimit-remaining-tenant-reads")),
    );
    if (armRemaining !== undefined && armRemaining < lowWater) {
      // The fewer tokens are left, the closer to the refill rate requests are spaced.
      const spacing = armRemaining <= 0 ? 1000 : armRefillIntervalMs * Math.ceil((lowWater - armRemaining) / 5);
      h.notBefore = Math.max(h.notBefore, now + spacing);
    }
  }
}

/** Counts logical requests; added per call (outside the retry loop). */
export function requestCountingPolicy(stats: RequestStats): PipelinePolicy {
  return {
    name: "scopewiseRequestCounting",
    async sendRequest(request, next) {
      stats.requests++;
      return next(request);
    },
  };
}

/**
 * Runs once per attempt (inside the retry loop): takes a per-host slot, counts the attempt
 * and its outcome, and feeds the quota headers back to the limiter.
 */
export function attemptPolicy(stats: RequestStats, limiter: HostLimiter): PipelinePolicy {
  const seen = new WeakSet<PipelineRequest>();
  return {
    name: "scopewiseAttempt",
    async sendRequest(request, next) {
      const host = hostOf(request.url);
      if (seen.has(request)) stats.retries++;
      else seen.add(request);
      await limiter.acquire(host);
      if (request.abortSignal?.aborted) {
        // Cancelled or past its deadline while waiting for a slot: not sent.
        limiter.release(host);
        throw (request.abortSignal as AbortSignal).reason ?? new Error("the request was aborted");
      }
      stats.attempts++;
      try {
        const response = await next(request);
        if (response.status === 429) stats.throttled++;
        else if (response.status >= 500) stats.failedAttempts++;
        // A 429's wait is the retry policy's (Retry-After); pacing reads the quota of answers that went through.
        if (response.status < 400) limiter.observe(host, response.headers);
        return response;
      } catch (error) {
        stats.failedAttempts++;
        throw error;
      } finally {
        limiter.release(host);
      }
    },
  };
}

/** Error raised when a source's deadline passes; `code` lets callers tell it from other aborts. */
export class DeadlineExceededError extends Error {
  readonly code = "DeadlineExceeded";
  constructor(
    readonly source: string,
    readonly deadlineMs: number,
  ) {
    super(`${source} did not finish within its deadline of ${Math.round(deadlineMs / 1000)} s`);
    this.name = "DeadlineExceededError";
  }
}

/**
 * Aborts every request still in flight, and refuses new ones, once `deadlineAt` (epoch ms)
 * has passed, so a source that never answers ends as an error instead of hanging the scan.
 */
export function deadlinePolicy(deadlineAt: number, source: string, deadlineMs: number): PipelinePolicy {
  return {
    name: "scopewiseDeadline",
    async sendRequest(request, next) {
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) throw new DeadlineExceededError(source, deadlineMs);
      const timer = AbortSignal.timeout(remaining);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, timer]) : timer;
      try {
        return await next(request);
      } catch (error) {
        if (timer.aborted) throw new DeadlineExceededError(source, deadlineMs);
        throw error;
      }
    },
  };
}

/**
 * Cancellation of every request of a set of clients: once `signal` is aborted no request is
 * sent (a retry or a request waiting for a per-host slot included), and those in flight are
 * aborted. The abort reason (the caller's cancellation error) is what the request fails with.
 */
export function cancelPolicy(signal: AbortSignal): PipelinePolicy {
  return {
    name: "scopewiseCancel",
    async sendRequest(request, next) {
      signal.throwIfAborted();
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, signal]) : signal;
      try {
        return await next(request);
      } catch (error) {
        signal.throwIfAborted();
        throw error;
      }
    },
  };
}

/**
 * Runs `work` with a deadline. On expiry the returned promise rejects with
 * DeadlineExceededError and `signal` is aborted so the work can stop its requests.
 */
export async function withDeadline<T>(source: string, deadlineMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineExceededError(source, deadlineMs));
      reject(new DeadlineExceededError(source, deadlineMs));
    }, deadlineMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function toInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : undefined;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Resource Graph's `hh:mm:ss` reset duration, in ms. */
export function parseDuration(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return undefined;
  const fraction = m[4] ? Number(`0.${m[4]}`) : 0;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]) + fraction) * 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
