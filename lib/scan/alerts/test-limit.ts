import { SlidingWindowLimiter } from "../rescan-limit";

/** Two test alerts a minute per person: each posts to every configured team channel. */
export const TEST_ALERTS_PER_MINUTE = 2;

const holder = globalThis as { __scopewiseTestAlertLimiter?: SlidingWindowLimiter };

/** The server's test-alert limiter (one per process, shared by the route bundles). */
export function testAlertLimiter(): SlidingWindowLimiter {
  holder.__scopewiseTestAlertLimiter ??= new SlidingWindowLimiter(TEST_ALERTS_PER_MINUTE, 60_000);
  return holder.__scopewiseTestAlertLimiter;
}
