import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "./rescan-limit";

describe("SlidingWindowLimiter", () => {
  it("allows `limit` starts per window per key and says when the next one may start", () => {
    let t = 0;
    const limiter = new SlidingWindowLimiter(3, 60_000, 100, () => t);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")].every((v) => v.ok)).toBe(true);
    t = 10_000;
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 50 });
    // Another person is not held back.
    expect(limiter.take("b").ok).toBe(true);
    // A minute after the first three, three more may start.
    t = 60_000;
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")].every((v) => v.ok)).toBe(true);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 60 });
  });

  it("remembers at most maxKeys people, forgetting the longest idle first", () => {
    let t = 0;
    const limiter = new SlidingWindowLimiter(1, 60_000, 2, () => t);
    limiter.take("a");
    t = 1;
    limiter.take("b");
    t = 2;
    limiter.take("c");
    // "a" was forgotten (its start no longer counts); "c" and "b" are still limited.
    expect(limiter.take("a").ok).toBe(true);
    expect(limiter.take("c").ok).toBe(false);
  });
});
