import { describe, expect, it } from "vitest";
import { BoundedPool, mapBounded } from "./concurrency";

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

describe("BoundedPool", () => {
  it("runs tasks added over time at most `limit` at once, each answering its own caller", async () => {
    const pool = new BoundedPool<number>(3, () => -1);
    let running = 0;
    let peak = 0;
    const task = (ms: number, value: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return value;
    };
    const first = [pool.add(task(30, 1)), pool.add(task(5, 2))];
    await new Promise((r) => setTimeout(r, 1));
    const later = [10, 20, 30, 40].map((v) => pool.add(task(5, v)));
    expect(await Promise.all([...first, ...later])).toEqual([1, 2, 10, 20, 30, 40]);
    expect(peak).toBe(3);
  });

  it("settles the tasks that have not started with the fallback when cancelled", async () => {
    const pool = new BoundedPool<string[]>(1, () => []);
    let started = 0;
    const slow = () => {
      started++;
      return new Promise<string[]>((r) => setTimeout(() => r(["done"]), 20));
    };
    const results = [pool.add(slow), pool.add(slow), pool.add(slow)];
    pool.cancelPending();
    expect(await Promise.all(results)).toEqual([["done"], [], []]);
    expect(started).toBe(1);
  });
});
