/**
 * `npm run demo [-- --tenant FILE] [--port 3000] [--emulator-port 0] [--dev] [--sign-in]
 *   [--terraform-states PATH[,PATH]] [--terraform-dir DIR] [--host ADDRESS] [--read-only] [--launch-token [TOKEN]]`
 *
 * Starts the local Azure + Kubernetes emulator with a tenant file (the demo tenant by
 * default), builds the dashboard if the build is missing or older than the sources, and
 * serves it on http://localhost:PORT (bound to 127.0.0.1 unless --host widens it), pointed at
 * the emulator. No Azure account needed. The demo holds no real credential, so it stays open
 * on this machine; --launch-token turns on the launch link a single-user Azure server uses.
 * With --sign-in the dashboard runs in azure mode against the emulator: people sign in
 * through the emulator's Entra form as one of the tenant file's `users` and see what their
 * role assignments let them see. --terraform-states (state JSON files or directories) and
 * --terraform-dir (their HCL) tell which grants code manages (fixtures/terraform/demo matches
 * the demo tenant).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "@/emulator/server";
import { loadTenantFile } from "@/lib/tenant/schema";
import { buildIfNeeded, launchLink, localOrigin, normalizeArgs, parsePort, refuseUnsafeServe, root, serveChoices, SERVE_OPTIONS, SERVE_USAGE, spawnNext, whenReady, widenedNote } from "./launch";

function usage(message?: string): never {
  if (message) console.error(`demo: ${message}`);
  console.error(`usage: npm run demo -- [--tenant FILE] [--emulator-port PORT] [--dev] [--sign-in] [--terraform-states PATH[,PATH]] [--terraform-dir DIR] ${SERVE_USAGE}`);
  process.exit(2);
}

/**
 * Local state (scan history, audit log) of one demo: its emulator starts from the tenant file
 * each time, so changes recorded against another emulator must not show Undo / Finish here.
 * Keyed by tenant and emulator endpoint, removed when the demo stops.
 */
function demoDataDir(tenantId: string, emulatorUrl: string): string {
  const key = createHash("sha256").update(`${tenantId}\n${emulatorUrl}`).digest("hex").slice(0, 16);
  return path.join(root, ".data", "demo", key);
}

async function main(): Promise<void> {
  const { values } = (() => {
    try {
      return parseArgs({
        args: normalizeArgs(process.argv.slice(2)),
        options: {
          ...SERVE_OPTIONS,
          tenant: { type: "string" },
          "emulator-port": { type: "string" },
          dev: { type: "boolean", default: false },
          "sign-in": { type: "boolean", default: false },
          "terraform-states": { type: "string" },
          "terraform-dir": { type: "string" },
          help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
      });
    } catch (err) {
      return usage((err as Error).message);
    }
  })();
  if (values.help) usage();
  const port = parsePort(values.port, "--port", 3000, usage);
  const emulatorPort = parsePort(values["emulator-port"], "--emulator-port", 0, usage);
  const tenantPath = path.resolve(values.tenant ?? path.join(root, "fixtures/tenants/demo.json"));
  const signIn = values["sign-in"];
  const { listen, launchToken, readOnly } = serveChoices(values, process.env, usage);
  if (signIn && launchToken) usage("--launch-token and --sign-in exclude each other: with sign-in people sign in with the emulator's Entra form");
  // Before anything starts: a demo widened beyond this machine needs a guard.
  refuseUnsafeServe("demo", { mode: signIn ? "azure" : "demo", signIn, launchToken, listen, readOnly });

  let tenant;
  try {
    tenant = await loadTenantFile(tenantPath);
  } catch (err) {
    console.error(`demo: ${(err as Error).message}`);
    process.exit(2);
  }
  const terraformStates = values["terraform-states"]?.split(",").map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(p));
  const terraformDir = values["terraform-dir"] ? path.resolve(values["terraform-dir"]) : undefined;
  if (terraformDir && !terraformStates?.length) usage("--terraform-dir locates the blocks of the states given with --terraform-states");
  for (const p of [...(terraformStates ?? []), ...(terraformDir ? [terraformDir] : [])]) if (!fs.existsSync(p)) usage(`${p} does not exist`);
  if (signIn && !tenant.users?.length) usage(`--sign-in needs a tenant file with \`users\` to sign in as; ${tenantPath} has none`);

  // One CA per running demo: two demos (say, a developer's and an e2e run) must not
  // overwrite each other's CA file while their servers still trust the old one.
  const emulatorDir = path.join(root, ".data", "emulator", String(port));
  fs.mkdirSync(emulatorDir, { recursive: true });
  const origin = localOrigin(listen, port);
  // With --sign-in the app registration lists its redirect URI, as Entra requires.
  const clients = signIn
    ? [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString("base64url"), displayName: "Scopewise (sign-in demo)", redirectUris: [`http://localhost:${port}/auth/callback`] }]
    : undefined;
  const emulator = await startEmulator({ tenant, port: emulatorPort, dataDir: emulatorDir, ...(clients ? { clients } : {}) });
  const client = emulator.clients[0]!;
  const ownDataDir = process.env.SCOPEWISE_DATA_DIR ? undefined : demoDataDir(emulator.tenantId, emulator.url);

  if (!values.dev) buildIfNeeded("demo");

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SCOPEWISE_MODE: signIn ? "azure" : "demo",
    SCOPEWISE_ARM_ENDPOINT: emulator.armEndpoint,
    SCOPEWISE_GRAPH_ENDPOINT: emulator.graphEndpoint,
    SCOPEWISE_AUTHORITY_HOST: emulator.authorityHost,
    SCOPEWISE_TENANT_ID: emulator.tenantId,
    SCOPEWISE_CLIENT_ID: client.clientId,
    SCOPEWISE_CLIENT_SECRET: client.clientSecret,
    SCOPEWISE_CA_FILE: emulator.caFile,
    SCOPEWISE_TENANT_FILE: tenantPath,
    SCOPEWISE_READ_ONLY: readOnly ? "true" : "false",
    ...(terraformStates?.length ? { SCOPEWISE_TERRAFORM_STATES: terraformStates.join(",") } : {}),
    ...(terraformDir ? { SCOPEWISE_TERRAFORM_DIR: terraformDir } : {}),
    ...(ownDataDir ? { SCOPEWISE_DATA_DIR: ownDataDir } : {}),
    ...(launchToken ? { SCOPEWISE_LAUNCH_TOKEN: launchToken } : {}),
    ...(signIn
      ? {
          SCOPEWISE_REDIRECT_URI: `http://localhost:${port}/auth/callback`,
          // A fresh secret per run: sessions do not outlive the demo.
          SCOPEWISE_SESSION_SECRET: randomBytes(48).toString("base64url"),
        }
      : {}),
  };
  const child = spawnNext({ dev: values.dev, listen, port, env });
  whenReady(child, () => {
    console.log(
      `\nScopewise demo is running on ${launchToken ? launchLink(origin, launchToken) : `http://localhost:${port}`}\n` +
        (launchToken ? "  open the link above: it carries this run's launch token (Authorization: Bearer <token> for scripts)\n" : "") +
        widenedNote(listen, process.env.SCOPEWISE_PUBLIC_URL) +
        (readOnly ? "  read-only: applying, undoing and finishing changes are turned off\n" : "") +
        `  tenant:   ${path.relative(process.cwd(), tenantPath) || tenantPath}\n` +
        `  emulator: ${emulator.url} (CA ${path.relative(process.cwd(), emulator.caFile)})\n` +
        (terraformStates?.length ? `  terraform: ${terraformStates.map((p) => path.relative(process.cwd(), p) || p).join(", ")}${terraformDir ? ` (HCL in ${path.relative(process.cwd(), terraformDir) || terraformDir})` : ""}\n` : "") +
        (signIn ? `  sign in as: ${tenant.users!.map((u) => `${u.userPrincipalName} / ${u.password}`).join(", ")}\n` : "") +
        `Press Ctrl+C to stop.\n`,
    );
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
    await emulator.close().catch(() => undefined);
    if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 1));
}

void main();
