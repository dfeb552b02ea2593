import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { newProgress, stampProgress } from "@/lib/scan/progress";
import { progressBar, renderProgressLine, shouldShowProgress } from "./progress-bar";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const demo = path.join(root, "fixtures/tenants/demo.json");

describe("when the scan CLI draws a progress bar", () => {
  it("draws only for a person at a terminal: stderr a TTY, and stdout not JSON or SARIF going into a pipe", () => {
    expect(shouldShowProgress({ stderrIsTTY: true, stdoutIsTTY: true, format: "json" })).toBe(true);
    expect(shouldShowProgress({ stderrIsTTY: true, stdoutIsTTY: false, format: "table" })).toBe(true);
    expect(shouldShowProgress({ stderrIsTTY: true, stdoutIsTTY: false, format: "json" })).toBe(false);
    expect(shouldShowProgress({ stderrIsTTY: true, stdoutIsTTY: false, format: "sarif" })).toBe(false);
    expect(shouldShowProgress({ stderrIsTTY: false, stdoutIsTTY: true, format: "table" })).toBe(false);
  });

  it("renders the bar, the step and the times on one line that fits the terminal", () => {
    const p = newProgress("2025-01-01T00:00:00.000Z");
    Object.assign(p, { phase: "subscriptions", subscriptions: { done: 1, total: 4, failed: 0 } });
    stampProgress(p, Date.parse("2025-01-01T00:00:03.000Z"));
    const line = renderProgressLine(p);
    expect(line).toMatch(/^\[█+░+\]\s+\d+% subscription 2 of 4 · 3\.0 s elapsed/);
    expect(renderProgressLine(p, 30)).toHaveLength(29);
  });

  it("redraws in place and clears its line when done", () => {
    let out = "";
    let t = 0;
    const bar = progressBar({ write: (s: string) => (out += s), columns: 120 }, () => t);
    bar.onProgress({ kind: "phase", phase: "subscriptions" });
    bar.onProgress({ kind: "subscriptions", total: 2 });
    t = 500;
    bar.onProgress({ kind: "subscription-read", subscriptionId: "a", failed: false });
    bar.done();
    expect(out.split("\r\x1b[2K").filter(Boolean)).toHaveLength(2);
    expect(out).toContain("subscription 2 of 2");
    expect(out.endsWith("\r\x1b[2K")).toBe(true);
  });
});

/** Runs the scan CLI on a pseudo-terminal (util-linux `script`): stderr is a TTY; `redirect` sends stdout to a file. */
async function scanOnTerminal(args: string, redirect: string): Promise<string> {
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, "node_modules/tsx/dist/cli.mjs"))} lib/cli/scan.ts ${args} > ${JSON.stringify(redirect)}`;
  const { stdout } = await run("script", ["-qec", cmd, "/dev/null"], { cwd: root, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, TERM: "xterm" } });
  return stdout;
}

describe("the scan CLI on a terminal", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-tty-"));

  it("shows the bar on stderr for a table written to a file, and the report stays clean", async () => {
    const terminal = await scanOnTerminal(`--tenant ${JSON.stringify(demo)} --format table`, path.join(dir, "report.txt"));
    expect(terminal).toMatch(/\[[█░]+\]\s+\d+% (listing subscriptions|subscription \d+ of 3|cluster \d+ of 3)/);
    const report = fs.readFileSync(path.join(dir, "report.txt"), "utf8");
    expect(report).not.toMatch(/[█░]|\x1b/);
    expect(report.length).toBeGreaterThan(100);
  }, 120_000);

  it("shows none when JSON goes into a file or pipe", async () => {
    const terminal = await scanOnTerminal(`--tenant ${JSON.stringify(demo)} --format json`, path.join(dir, "scan.json"));
    expect(terminal).not.toMatch(/[█░]/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "scan.json"), "utf8")).version).toBe(1);
  }, 120_000);
});
