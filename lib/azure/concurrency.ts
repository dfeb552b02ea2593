/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping result order.
 * ARM throttles per principal and per subscription (and AKS API servers per client), so
 * every fan-out in a scan goes through this bound.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  async function worker(): Promise<void> {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await fn(items[index] as T, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}

/**
 * A pool that takes tasks while they are still being discovered (rows of a paged read) and
 * runs at most `limit` at once, in the order they were added. `cancelPending` settles the
 * tasks that have not started with `fallback` (the read they came from failed).
 */
export class BoundedPool<R> {
  private running = 0;
  private readonly queue: { run: () => Promise<R>; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly limit: number,
    private readonly fallback: () => R,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  }

  add(run: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      this.next();
    });
  }

  cancelPending(): void {
    for (const task of this.queue.splice(0)) task.resolve(this.fallback());
  }

  private next(): void {
    while (this.running < this.limit && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.running++;
      task
        .run()
        .then(task.resolve, task.reject)
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }
}
