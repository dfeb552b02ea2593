import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { TenantFile } from "@/lib/tenant/types";

const root = path.resolve(__dirname, "..");
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", path.join(root, "scripts/gen-tenant.ts"), ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("npm run gen-tenant", () => {
  it("writes the adversarial shape at a benchmark size, with the size's counts", async () => {
    const { code, stdout, stderr } = await run(["--shape", "adversarial", "--size", "small", "--seed", "3"]);
    expect(code).toBe(0);
    const tenant = JSON.parse(stdout) as TenantFile;
    expect(tenant.subscriptions).toHaveLength(20);
    expect(tenant.roleAssignments).toHaveLength(2000);
    expect(JSON.parse(stderr.replace(/^gen-tenant: /, ""))).toMatchObject({ shape: "adversarial", subscriptions: 20, clusters: 5, roleAssignments: 2000, workloadIdentities: 240 });
  }, 60_000);

  it("refuses an unknown shape or size with exit status 2, naming the flag", async () => {
    const shape = await run(["--shape", "lumpy"]);
    expect([shape.code, shape.stderr]).toEqual([2, "gen-tenant: --shape must be one of standard, adversarial, got lumpy\n"]);
    const size = await run(["--size", "huge"]);
    expect([size.code, size.stderr]).toEqual([2, "gen-tenant: --size must be one of small, medium, large, got huge\n"]);
  }, 60_000);
});
