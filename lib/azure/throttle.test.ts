import { describe, expect, it } from "vitest";
import { ThrottleBuckets } from "@/emulator/throttle";
import { createRequestStats, DeadlineExceededError, HostLimiter, parseDuration, withDeadline } from "./throttle";

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] });

describe("HostLimiter", () => {
  it("keeps at most maxInFlight requests per host", async () => {
    const limiter = new HostLimiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        await limiter.acquire("arm");
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        limiter.release("arm");
      }),
    );
    expect(peak).toBe(2);
  });

  it("paces a host whose remaining-reads header runs low, and waits out ARG's quota window", async () => {
    const stats = createRequestStats();
    const limiter = new HostLimiter(4, stats);
    limiter.observe("arm", headers({ "x-ms-ratelimit-remaining-subscription-reads": "1199" }));
    let start = Date.now();
    await limiter.acquire("arm");
    limiter.release("arm");
    expect(Date.now() - start).toBeLessThan(30);
    limiter.observe("arm", headers({ "x-ms-ratelimit-remaining-subscription-reads": "0" }));
    start = Date.now();
    await limiter.acquire("arm");
    limiter.release("arm");
    expect(Date.now() - start).toBeGreaterThanOrEqual(900);
    limiter.observe("arg", headers({ "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:00.3" }));
    start = Date.now();
    await limiter.acquire("arg");
    expect(Date.now() - start).toBeGreaterThanOrEqual(250);
    expect(stats.pacedMs).toBeGreaterThan(1000);
  });
});

describe("parseDuration / withDeadline", () => {
  it("reads Resource Graph's hh:mm:ss", () => {
    expect(parseDuration("00:00:05")).toBe(5000);
    expect(parseDuration("01:02:03")).toBe(3_723_000);
    expect(parseDuration("soon")).toBeUndefined();
  });

  it("rejects with DeadlineExceededError and aborts the work's signal", async () => {
    let signal: AbortSignal | undefined;
    const never = withDeadline("cluster x", 50, (s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    });
    await expect(never).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(signal?.aborted).toBe(true);
    await expect(withDeadline("fast", 1000, async () => 7)).resolves.toBe(7);
  });
});

describe("emulator token bucket", () => {
  it("refuses when empty with a Retry-After from the refill rate, and refills", () => {
    const b = new ThrottleBuckets({ capacity: 2, refillPerSecond: 1 });
    expect(b.take("p", 0)).toEqual({ ok: true, remaining: 1 });
    expect(b.take("p", 0)).toEqual({ ok: true, remaining: 0 });
    expect(b.take("p", 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take("other", 0)).toMatchObject({ ok: true });
    expect(b.take("p", 1000)).toMatchObject({ ok: true });
  });
});
