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

describe("the findings list's benchmark control filter", () => {
  it("keeps the findings of rules that evidence the control, and refuses a control that does not exist", () => {
    const rows = [{ ...row("a"), controls: ["mcsb:PA-7"] }, { ...row("b"), controls: ["mcsb:IM-8", "cis-aks:5.2.1"] }, row("c")];
    const ids = (control: string) => filterFindingRows(rows, { ...defaultFindingQuery, control }).map((r) => r.id);
    expect(ids("mcsb:PA-7")).toEqual(["a"]);
    expect(ids("cis-aks:5.2.1")).toEqual(["b"]);
    expect(parseFindingQuery({ control: "cis-aks:5.1.3" }).data.control).toBe("cis-aks:5.1.3");
    expect(parseFindingQuery({ control: "mcsb:PA-99" }).errors).toEqual(['Ignored control="mcsb:PA-99": must be a benchmark control such as mcsb:PA-7']);
    expect(findingQueryString({ ...defaultFindingQuery, control: "mcsb:PA-7" })).toBe("?control=mcsb%3APA-7");
  });
});
