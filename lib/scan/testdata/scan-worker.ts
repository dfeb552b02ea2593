/**
 * A scan worker for the kill -9 test: starts a scan job against the emulator in the store it is
 * given, prints the job id, and keeps running until it is killed.
 * Usage: node --conditions=react-server --import tsx scan-worker.ts <input.json>
 */
import { readFileSync } from "node:fs";
import { openStore } from "@/lib/store/db";
import { SessionRepository } from "@/lib/store/sessions";
import { scanConfigForEmulator, type EmulatorEndpoints } from "../connection";
import { startScanJob } from "../jobs";

interface WorkerInput {
  emulator: EmulatorEndpoints;
  store: { dataDir: string; databaseUrl?: string };
  scopeKey: string;
  tenantId: string;
  /** A signed-in person's session this server holds when it is killed. */
  session: { id: string; secret: string };
}

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as WorkerInput;
  const store = await openStore(input.store);
  const now = Date.now();
  await new SessionRepository(store, input.session.secret).saveSession({
    id: input.session.id,
    user: { oid: "o", tenantId: input.tenantId, username: "dana.okafor@contoso.com", name: "Dana Okafor" },
    tokenCache: '{"RefreshToken":{}}',
    homeAccountId: "h",
    createdAt: now,
    lastSeenAt: now,
  });
  const { job } = await startScanJob({
    store,
    scope: { key: input.scopeKey, viewer: "server", tenantId: input.tenantId },
    source: "the demo emulator (scan worker)",
    target: async () => ({ config: scanConfigForEmulator(input.emulator), source: "the demo emulator (scan worker)" }),
    trigger: "request",
    heartbeatMs: 200,
  });
  process.stdout.write(`job ${job.id}\n`);
  // Stay up: the job runs in this process until it is killed.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
