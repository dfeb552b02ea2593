import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildTestTenant } from "./testdata/tenant";
import { call } from "./testdata/http-client";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");

function run(args: string[]) {
  const child = spawn(tsx, ["emulator/cli.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe("emulator CLI", () => {
  it("exits 2 with usage on a bad flag", async () => {
    const p = run(["--tenant"]);
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/--tenant needs a value/);
    expect(p.err()).toMatch(/Usage: npm run emulator/);
  });

  it("exits 2 naming the JSON path of an invalid tenant", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "emu-cli-"));
    const file = path.join(dir, "t.json");
    const t = buildTestTenant();
    (t.subscriptions[1] as Record<string, unknown>).subscriptionId = "nope";
    await writeFile(file, JSON.stringify(t));
    const p = run(["--tenant", file]);
    expect(await p.exited).toBe(2);
    expect(p.err()).toContain(`${file}: $.subscriptions[1].subscriptionId: expected a GUID`);
  });

  it("serves, writes the kubeconfig and stops on SIGTERM", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "emu-cli-"));
    const file = path.join(dir, "t.json");
    await writeFile(file, JSON.stringify(buildTestTenant()));
    const kubeconfig = path.join(dir, "kubeconfig");
    const p = run(["--tenant", file, "--port", "0", "--kubeconfig-out", kubeconfig, "--data-dir", dir, "--client-id", "app-1", "--client-secret", "s3cret"]);
    for (let i = 0; i < 200 && !/Press Ctrl\+C/.test(p.out()); i++) await new Promise((r) => setTimeout(r, 100));
    const url = /URL:\s+(\S+)/.exec(p.out())?.[1];
    expect(url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(p.out()).toContain("Client id:      app-1");
    const caPem = await readFile(path.join(dir, "ca.pem"), "utf8");
    const meta = await call({ url: url!, caPem }, "GET", "/");
    expect(meta.json.tenantId).toBe(buildTestTenant().tenantId);
    expect(parse(await readFile(kubeconfig, "utf8")).contexts.map((c: { name: string }) => c.name)).toEqual(["aks1", "aks2"]);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 40_000);
});
