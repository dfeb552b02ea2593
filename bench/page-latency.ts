/**
 * Page latency while a scan runs vs idle, in one run: `npm run bench:pages [-- --latency 250]
 * [--rounds 10] [--port 3345] [--size demo|small|medium|large] [--shape standard|adversarial]`.
 *
 * Serves a tenant from an in-process emulator with injected latency, starts the production
 * dashboard (`next start`, the build must exist: `npm run build`) on it with a fresh store, waits
 * for its first scan, then times full server renders of the overview, identities and findings
 * pages: first idle, then while a rescan runs against the slow emulator. Pages render the last
 * complete scan and never wait for a running one, so the ratio should stay near 1 (target ≤ 1.2×).
 * Then, idle, times the identities and findings pages' full HTML at their first page, a
 * filtered page and a sorted page (target ≤ 1 s at 100k assignments: `--size large --shape adversarial`).
 * Prints a table and writes bench/results/page-latency[-<shape>-<size>].json.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "@/emulator/server";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import { generateTenant, tenantShapes, tenantSizes, type TenantShape, type TenantSize } from "@/lib/tenant/generate";

const root = path.resolve(__dirname, "..");
const PAGES = ["/", "/identities", "/findings"];
/** The list pages at a first, a filtered and a sorted page. */
const LIST_PAGES = [
  "/identities",
  "/identities?kind=app",
  "/identities?sort=name&dir=desc&page=3",
  "/findings",
  "/findings?severity=high&rule=identity-escalation-path",
  "/findings?sort=identity&dir=asc&page=5",
];

const { values } = parseArgs({
  options: { latency: { type: "string", default: "250" }, rounds: { type: "string", default: "10" }, port: { type: "string", default: "3345" }, size: { type: "string", default: "demo" }, shape: { type: "string", default: "standard" } },
  strict: true,
});
const latencyMs = Number(values.latency);
const rounds = Number(values.rounds);
const port = Number(values.port);
const base = `http://localhost:${port}`;
const size = values.size!;
const shape = values.shape as TenantShape;
if (size !== "demo" && !(size in tenantSizes.standard)) throw new Error(`--size: one of demo, ${Object.keys(tenantSizes.standard).join(", ")}; got "${size}"`);
if (!tenantShapes.includes(shape)) throw new Error(`--shape: one of ${tenantShapes.join(", ")}; got "${shape}"`);
const label = size === "demo" ? "demo" : `${shape} ${size}`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timeGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - started;
}

async function jobState(jobId: string): Promise<string> {
  return ((await (await fetch(`${base}/api/scans/jobs/${jobId}`)).json()) as { state: string }).state;
}

async function main(): Promise<void> {
  const tenant = size === "demo" ? buildDemo().tenant : generateTenant({ shape, ...tenantSizes[shape][size as TenantSize], seed: 1 }).tenant;
  const emulator = await startEmulator({ tenant });
  const dataDir = mkdtempSync(path.join(tmpdir(), "scopewise-pages-"));
  const server = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      SCOPEWISE_MODE: "demo",
      SCOPEWISE_ARM_ENDPOINT: emulator.armEndpoint,
      SCOPEWISE_GRAPH_ENDPOINT: emulator.graphEndpoint,
      SCOPEWISE_AUTHORITY_HOST: emulator.authorityHost,
      SCOPEWISE_TENANT_ID: emulator.tenantId,
      SCOPEWISE_CLIENT_ID: emulator.clients[0]!.clientId,
      SCOPEWISE_CLIENT_SECRET: emulator.clients[0]!.clientSecret,
      SCOPEWISE_CA_FILE: emulator.caFile,
      SCOPEWISE_DATA_DIR: dataDir,
      // The Host allowlist answers only this server's own port.
      SCOPEWISE_PORT: String(port),
      // A fresh SQLite store, whatever the shell has configured.
      SCOPEWISE_DATABASE_URL: undefined,
    },
  });
  let exited: string | undefined;
  server.on("exit", (code, signal) => (exited = `the dashboard exited (${signal ?? code})`));
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/api/health`).catch(() => undefined))?.ok) break;
      if (i > 600) throw new Error("the dashboard did not start (is there a build? npm run build)");
      await sleep(200);
    }
    // The first scan, without latency: the pages then have a complete scan to show.
    // A 100k-assignment scan keeps the server busy: a refused or dropped poll is not an answer yet.
    for (let i = 0; (await fetch(`${base}/api/findings`).catch(() => undefined))?.status !== 200; i++) {
      if (exited) throw new Error(exited);
      if (i > 1200) throw new Error("the first scan did not complete");
      await sleep(500);
    }
    for (const page of PAGES) await timeGet(`${base}${page}`);
    // Each list URL once to warm it, then the median of a few full HTML responses.
    const listPages: Record<string, number> = {};
    for (const page of LIST_PAGES) {
      await timeGet(`${base}${page}`);
      const times: number[] = [];
      for (let r = 0; r < Math.min(rounds, 5); r++) times.push(await timeGet(`${base}${page}`));
      listPages[page] = Math.round(median(times));
    }
    emulator.setLatency(latencyMs);

    const idle: number[] = [];
    for (let r = 0; r < rounds; r++) for (const page of PAGES) idle.push(await timeGet(`${base}${page}`));

    const csrf = await fetch(`${base}/api/csrf`);
    const { token } = (await csrf.json()) as { token: string };
    const cookie = csrf.headers.get("set-cookie")!.split(";")[0]!;
    const started = await fetch(`${base}/api/scans`, { method: "POST", headers: { cookie, "x-csrf-token": token, origin: base, "content-type": "application/json" }, body: "{}" });
    const { jobId } = (await started.json()) as { jobId: string };
    const during: number[] = [];
    let skipped = 0;
    for (let r = 0; r < rounds; r++) {
      if ((await jobState(jobId)) !== "running") {
        skipped = rounds - r;
        break;
      }
      for (const page of PAGES) during.push(await timeGet(`${base}${page}`));
    }
    const scanStart = Date.now();
    while ((await jobState(jobId)) === "running") await sleep(500);
    const result = {
      tenant: label,
      latencyMs,
      rounds,
      pages: PAGES,
      idleMedianMs: Math.round(median(idle)),
      duringScanMedianMs: Math.round(median(during)),
      ratio: Number((median(during) / median(idle)).toFixed(2)),
      samplesDuringScan: during.length,
      roundsSkippedBecauseTheScanEnded: skipped,
      scanStillRanForMsAfterSampling: Date.now() - scanStart,
      listPagesIdleMedianMs: listPages,
    };
    console.log(`list pages, idle, full HTML (${label} tenant, median of ${Math.min(rounds, 5)}):`);
    for (const [page, ms] of Object.entries(listPages)) console.log(`  ${page.padEnd(56)} ${String(ms).padStart(6)} ms (target ≤ 1000 ms)`);
    console.log(`page latency (${label} tenant, ${latencyMs} ms API latency, ${rounds} rounds of ${PAGES.join(" ")}):`);
    console.log(`  idle median ${result.idleMedianMs} ms · while a scan runs ${result.duringScanMedianMs} ms (${during.length} samples) · ratio ${result.ratio}× (target ≤ 1.2×)`);
    const file = size === "demo" ? "page-latency.json" : `page-latency-${shape}-${size}.json`;
    writeFileSync(path.join(root, "bench/results", file), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    server.kill("SIGTERM");
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(`page latency bench: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
