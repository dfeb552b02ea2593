import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ExceptionsFileError, parseExceptions, readExceptionsFile } from "./exceptions-file";

const ruleIds = ["acr-scope-too-broad", "pod-identity-deprecated"];
const now = new Date("2026-03-01T12:00:00Z");
const parse = (text: string) => parseExceptions(text, "scopewise.exceptions.yaml", { ruleIds, now });

function problemsOf(text: string) {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof ExceptionsFileError) return err;
    throw err;
  }
  throw new Error("expected the file to be refused");
}

const good = `# kept in the team's repository
exceptions:
  - rule: acr-scope-too-broad
    scope: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/shared
    reason: The build agents push to every registry of the group
    owner: platform-team@example.com
    expires: 2026-06-30
  - finding: f-1234
    state: false-positive
    reason: The binding is in a namespace nothing uses
    owner: alice@example.com
    expires: "2026-03-01"
`;

describe("exceptions file", () => {
  it("reads entries with their line, state defaulting to accepted", () => {
    const entries = parse(good);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ rule: "acr-scope-too-broad", state: "accepted", owner: "platform-team@example.com", expires: "2026-06-30", line: 3 });
    expect(entries[1]).toMatchObject({ finding: "f-1234", state: "false-positive", expires: "2026-03-01", line: 8 });
  });

  it("refuses an unknown rule id with its file, line and field", () => {
    const err = problemsOf(good.replace("rule: acr-scope-too-broad", "rule: acr-too-broad"));
    expect(err.problems).toEqual([{ line: 3, field: "exceptions[0].rule", message: 'unknown rule id "acr-too-broad"' }]);
    expect(err.message).toBe('scopewise.exceptions.yaml:3: exceptions[0].rule: unknown rule id "acr-too-broad"');
  });

  it("refuses an expiry in the past and keeps one that ends today", () => {
    const err = problemsOf(good.replace("expires: 2026-06-30", "expires: 2026-02-28"));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ line: 7, field: "exceptions[0].expires" });
    expect(err.problems[0]!.message).toMatch(/2026-02-28 is in the past/);
  });

  it("refuses a missing reason at the entry's line", () => {
    const err = problemsOf(good.replace("    reason: The binding is in a namespace nothing uses\n", ""));
    expect(err.problems).toEqual([{ line: 8, field: "exceptions[1].reason", message: "required" }]);
  });

  it("refuses an unknown field where it is written, at the top level too", () => {
    const err = problemsOf(good.replace("    owner: alice@example.com\n", "    owner: alice@example.com\n    ticket: SEC-12\n"));
    expect(err.problems).toEqual([{ line: 12, field: "exceptions[1].ticket", message: "unknown field" }]);
    const top = problemsOf(`${good}version: 2\n`);
    expect(top.problems).toEqual([{ line: 13, field: "version", message: "unknown field" }]);
  });

  it("refuses a bad date, an empty reason, a bad scope and an entry that matches nothing", () => {
    const err = problemsOf(`exceptions:
  - scope: not-an-arm-id
    reason: "  "
    owner: bob
    expires: 30/06/2026
`);
    const fields = err.problems.map((p) => `${p.line} ${p.field}`);
    expect(fields).toEqual(expect.arrayContaining(["3 exceptions[0].reason", "5 exceptions[0].expires"]));
    const second = problemsOf(`exceptions:
  - scope: not-an-arm-id
    reason: r
    owner: bob
    expires: 2026-06-30
`);
    expect(second.problems.map((p) => `${p.line} ${p.field}`)).toEqual(["2 exceptions[0].rule", "2 exceptions[0].scope"]);
  });

  it("reports YAML syntax errors and a file without an exceptions list", () => {
    expect(problemsOf("exceptions:\n  - rule: [unclosed\n").problems[0]).toMatchObject({ field: "(yaml)" });
    expect(problemsOf("rules: []\n").problems.map((p) => p.field)).toEqual(["exceptions", "rules"]);
  });

  it("names a file it cannot read", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-exc-"));
    try {
      await expect(readExceptionsFile(path.join(dir, "missing.yaml"), { ruleIds, now })).rejects.toThrow(/missing\.yaml:1: \(file\): cannot read: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's exceptions file", () => {
  it("is a valid file", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Exceptions file"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const entries = parseExceptions(yaml, "README.md", { ruleIds: ["acr-scope-too-broad"], now });
    expect(entries.map((e) => e.state)).toEqual(["accepted", "false-positive"]);
  });
});
