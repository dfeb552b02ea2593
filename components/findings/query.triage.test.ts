import { describe, expect, it } from "vitest";
import { defaultFindingQuery, filterFindingRows, findingQueryString, hasFindingFilters, parseFindingQuery } from "./query";
import type { FindingRow } from "./rows";

const row = (id: string, triage?: FindingRow["triage"]): FindingRow =>
  ({ id, ruleId: "r", title: "t", severity: "high", baseSeverity: "high", message: "m", subscriptionIds: [], searchText: "", ...(triage ? { triage } : {}) }) as FindingRow;

describe("the findings list's triage filter", () => {
  it("reads triage from the link and refuses an unknown value by name", () => {
    expect(parseFindingQuery({ triage: "expired" }).data.triage).toBe("expired");
    const bad = parseFindingQuery({ triage: "ignored" });
    expect(bad.data.triage).toBeUndefined();
    expect(bad.errors).toEqual(['Ignored triage="ignored": must be one of open, accepted, false-positive, expired']);
  });

  it("filters open (no decision), accepted, false positive and expired findings, and keeps the filter in the link", () => {
    const rows = [row("a"), row("b", "accepted"), row("c", "false-positive"), row("d", "expired")];
    const ids = (triage: FindingRow["triage"]) => filterFindingRows(rows, { ...defaultFindingQuery, triage }).map((r) => r.id);
    expect(ids("open")).toEqual(["a"]);
    expect(ids("accepted")).toEqual(["b"]);
    expect(ids("false-positive")).toEqual(["c"]);
    expect(ids("expired")).toEqual(["d"]);
    expect(ids(undefined)).toEqual(["a", "b", "c", "d"]);
    expect(findingQueryString({ ...defaultFindingQuery, triage: "accepted" })).toBe("?triage=accepted");
    expect(hasFindingFilters({ ...defaultFindingQuery, triage: "open" })).toBe(true);
  });
});
