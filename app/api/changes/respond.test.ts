import { describe, expect, it } from "vitest";
import { ScanPendingError } from "@/lib/scan/load";
import type { JobView } from "@/lib/scan/job-view";
import { errorResponse } from "./respond";

describe("errorResponse", () => {
  it("answers 503 with Retry-After while the first scan runs, not a bare 500", async () => {
    const job = { id: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11", state: "running", progress: { summary: "cluster 3 of 5" } } as unknown as JobView;
    const res = errorResponse(new ScanPendingError(job), "applying the plan");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect((await res.json()).error).toMatch(/first scan is running \(cluster 3 of 5\); try again/);
  });
});
