import { describe, expect, it, vi } from "vitest";
import { isScanDue, scheduledTurn } from "./schedule";

const HOUR = 3_600_000;

describe("scheduled scans", () => {
  it("are due with no scan yet, or once most of an interval has passed since the newest started", () => {
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(isScanDue(undefined, HOUR, now)).toBe(true);
    expect(isScanDue("2025-01-01T11:30:00Z", HOUR, now)).toBe(false);
    expect(isScanDue("2025-01-01T11:05:00Z", HOUR, now)).toBe(true);
  });

  it("start a job when due and skip the turn when another replica or a person scanned recently", async () => {
    const start = vi.fn(async () => ({ jobId: "j" }));
    const now = () => Date.parse("2025-01-01T12:00:00Z");
    expect(await scheduledTurn(HOUR, { latestStartedAt: async () => "2025-01-01T11:55:00Z", start, now })).toBe(false);
    expect(start).not.toHaveBeenCalled();
    expect(await scheduledTurn(HOUR, { latestStartedAt: async () => "2025-01-01T10:00:00Z", start, now })).toBe(true);
    expect(start).toHaveBeenCalledTimes(1);
  });
});
