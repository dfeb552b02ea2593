import { describe, expect, it } from "vitest";
import { mapBounded } from "./concurrency";

describe("mapBounded", () => {
  it("never runs more than the limit at once and keeps result order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([50, 10, 30, 5, 20, 1], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i * 10;
    });
    expect(peak).toBe(2);
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it("rejects a limit that is not a positive integer", async () => {
    await expect(mapBounded([1], 0, async (x) => x)).rejects.toThrow(/positive integer, got 0/);
  });
});
