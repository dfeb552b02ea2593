import { describe, expect, it } from "vitest";
import { formatDateTime, formatDuration, plural } from "./format";

describe("format", () => {
  it("formats times in UTC whatever the host zone", () => {
    expect(formatDateTime("2025-01-02T03:04:05.000+02:00")).toBe("2025-01-02 01:04 UTC");
    expect(formatDateTime("not a date")).toBe("not a date");
  });
  it("formats durations at a readable precision", () => {
    expect(formatDuration(412.4)).toBe("412 ms");
    expect(formatDuration(1520)).toBe("1.5 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(-1)).toBe("—");
  });
  it("pluralises with grouped thousands", () => {
    expect(plural(1, "identity", "identities")).toBe("1 identity");
    expect(plural(10_000, "identity", "identities")).toBe("10,000 identities");
  });
});
