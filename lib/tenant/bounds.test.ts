import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { TENANT_FILE_MAX_BYTES, TENANT_MAX_DEPTH } from "./bounds";
import { loadTenantFile, parseTenant, TenantFormatError } from "./schema";

const root = path.resolve(__dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-bounds-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const minimal = JSON.parse(fs.readFileSync(path.join(root, "fixtures/tenants/minimal.json"), "utf8")) as Record<string, unknown>;

/** The minimal tenant with a 100,000-deep array in a resource's properties. */
function deepFile(): string {
  const file = path.join(dir, "deep.json");
  const text = JSON.stringify({ ...minimal, resources: [] }).replace('"resources":[]', `"resources":[{"id":"/subscriptions/x/resourceGroups/rg/providers/A.B/c/d","name":"d","type":"A.B/c","properties":{"p":${"[".repeat(100_000)}${"]".repeat(100_000)}}}]`);
  fs.writeFileSync(file, text);
  return file;
}

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", ...args], { cwd: root, timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("tenant file bounds", () => {
  it("refuses a 100,000-deep array before parsing it, naming the limit and the line and column", async () => {
    const started = Date.now();
    const err = await loadTenantFile(deepFile()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantFormatError);
    expect((err as Error).message).toMatch(new RegExp(`deep\\.json: line 1, column \\d+: nests deeper than ${TENANT_MAX_DEPTH} levels of arrays and objects, the limit for a tenant file$`));
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses a file over the size limit before reading it", async () => {
    const file = path.join(dir, "huge.json");
    // A sparse file: its size is over the limit without writing the bytes.
    fs.writeFileSync(file, "");
    fs.truncateSync(file, TENANT_FILE_MAX_BYTES + 1);
    await expect(loadTenantFile(file)).rejects.toThrow(/huge\.json: the tenant file is 256\.0 MB, over the limit of 256\.0 MB for a tenant file/);
  });

  it("refuses a deep value handed over as an object (the emulator's `tenant` option), naming its JSON path", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const tenant = { ...minimal, resources: [{ id: "/subscriptions/x", name: "x", type: "A.B/c", properties: { p: deep } }] };
    expect(() => parseTenant(tenant, "tenant")).toThrow(/^tenant: \$\.resources\[0\]\.properties\.p\[0\]\[0\].*: nests deeper than 64 levels/);
  });

  it("keeps accepting real tenant files", async () => {
    await expect(loadTenantFile(path.join(root, "fixtures/tenants/demo.json"))).resolves.toMatchObject({ version: 1 });
  });

  it("makes the emulator and the scan CLI exit non-zero with the message", async () => {
    const file = deepFile();
    const emulator = await run(["emulator/cli.ts", "--tenant", file]);
    expect(emulator.code).toBe(2);
    expect(emulator.stderr).toMatch(/^emulator: invalid tenant file: .*nests deeper than 64 levels/);
    const scan = await run(["lib/cli/scan.ts", "--tenant", file, "--format", "json"]);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/nests deeper than 64 levels/);
  }, 120_000);
});
