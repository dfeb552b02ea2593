import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
/** Runs a launcher with the environment given (no SCOPEWISE_ variables of the test's own). */
const run = (script: string, args: string[], env: Record<string, string> = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SCOPEWISE_"))) as NodeJS.ProcessEnv;
  return promisify(execFile)(process.execPath, ["--import", "tsx", path.join(root, "scripts", script), ...args], { cwd: root, env: { ...clean, ...env }, timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
};

describe("launchers refuse to serve beyond this machine unguarded", () => {
  it("npm run demo -- --host 0.0.0.0 exits 2 before starting anything, saying what would guard it", async () => {
    const { code, stdout, stderr } = await run("demo.ts", ["--host", "0.0.0.0", "--port", "3339"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^demo: will not serve this configuration:\n {2}SCOPEWISE_LISTEN: 0\.0\.0\.0 is reachable from other machines, and nobody signs in and no launch token is set while fixes can be applied: add --launch-token \(or SCOPEWISE_LAUNCH_TOKEN\), set up sign-in, or serve --read-only\n$/);
  }, 90_000);

  it("SCOPEWISE_LISTEN widens it the same way", async () => {
    const { code, stderr } = await run("demo.ts", ["--port", "3339"], { SCOPEWISE_LISTEN: "::" });
    expect(code).toBe(2);
    expect(stderr).toContain("SCOPEWISE_LISTEN: :: is reachable from other machines");
  }, 90_000);

  it("refuses a launch token that is too short to be secret, and one with sign-in", async () => {
    const short = await run("demo.ts", ["--launch-token", "abc", "--port", "3339"]);
    expect([short.code, short.stderr]).toEqual([2, expect.stringMatching(/^demo: the launch token must be 32-256 URL-safe characters/)]);
    const both = await run("demo.ts", ["--sign-in", "--launch-token", "--port", "3339"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--launch-token and --sign-in exclude each other");
  }, 90_000);

  it("npm start refuses a configuration with a clear message before building", async () => {
    const { code, stderr } = await run("serve.ts", ["--port", "3339"], { SCOPEWISE_MODE: "azure", SCOPEWISE_CLIENT_ID: "not-a-guid" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^serve: Scopewise configuration is invalid:\n {2}SCOPEWISE_CLIENT_ID: must be the app registration's Application \(client\) ID/);
  }, 90_000);
});
