/**
 * `npm run demo [-- --tenant FILE] [--port 3000] [--emulator-port 0] [--dev] [--sign-in]`
 *
 * Starts the local Azure + Kubernetes emulator with a tenant file (the demo tenant by
 * default), builds the dashboard if the build is missing or older than the sources, and
 * serves it on http://localhost:PORT, pointed at the emulator. No Azure account needed.
 * With --sign-in the dashboard runs in azure mode against the emulator: people sign in
 * through the emulator's Entra form as one of the tenant file's `users` and see what their
 * role assignments let them see.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "@/emulator/server";
import { loadTenantFile } from "@/lib/tenant/schema";

const root = path.resolve(__dirname, "..");

function usage(message?: string): never {
  if (message) console.error(`demo: ${message}`);
  console.error("usage: npm run demo -- [--tenant FILE] [--port PORT] [--emulator-port PORT] [--dev] [--sign-in]");
  process.exit(2);
}

function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

/** Newest modification time under the given paths (files only). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (p.endsWith("node_modules") || p.endsWith(".next")) return;
      for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
    } else if (!/\.test\.tsx?$/.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  paths.forEach(walk);
  return newest;
}

function buildIfNeeded(): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const sources = ["app", "components", "lib", "data", "next.config.js", "package.json", "tsconfig.json"].map((p) => path.join(root, p));
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && builtAt >= newestMtime(sources)) return;
  console.log(builtAt ? "demo: sources changed since the last build; building the dashboard…" : "demo: building the dashboard (first run)…");
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error("demo: the dashboard build failed (see above).");
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { values } = (() => {
    try {
      return parseArgs({
        options: {
          tenant: { type: "string" },
          port: { type: "string" },
          "emulator-port": { type: "string" },
          dev: { type: "boolean", default: false },
          "sign-in": { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
      });
    } catch (err) {
      return usage((err as Error).message);
    }
  })();
  if (values.help) usage();
  const port = parsePort(values.port, "--port", 3000);
  const emulatorPort = parsePort(values["emulator-port"], "--emulator-port", 0);
  const tenantPath = path.resolve(values.tenant ?? path.join(root, "fixtures/tenants/demo.json"));

  let tenant;
  try {
    tenant = await loadTenantFile(tenantPath);
  } catch (err) {
    console.error(`demo: ${(err as Error).message}`);
    process.exit(2);
  }

  // One CA per running demo: two demos (say, a developer's and an e2e run) must not
  // overwrite each other's CA file while their servers still trust the old one.
  const dataDir = path.join(root, ".data", "emulator", String(port));
  fs.mkdirSync(dataDir, { recursive: true });
  // With --sign-in the app registration lists its redirect URI, as Entra requires.
  const clients = values["sign-in"]
    ? [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString("base64url"), displayName: "Scopewise (sign-in demo)", redirectUris: [`http://localhost:${port}/auth/callback`] }]
    : undefined;
  const emulator = await startEmulator({ tenant, port: emulatorPort, dataDir, ...(clients ? { clients } : {}) });
  const client = emulator.clients[0]!;

  if (!values.dev) buildIfNeeded();

  const signIn = values["sign-in"];
  if (signIn && !tenant.users?.length) usage(`--sign-in needs a tenant file with \`users\` to sign in as; ${tenantPath} has none`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    SCOPEWISE_MODE: signIn ? "azure" : "demo",
    SCOPEWISE_ARM_ENDPOINT: emulator.armEndpoint,
    SCOPEWISE_GRAPH_ENDPOINT: emulator.graphEndpoint,
    SCOPEWISE_AUTHORITY_HOST: emulator.authorityHost,
    SCOPEWISE_TENANT_ID: emulator.tenantId,
    SCOPEWISE_CLIENT_ID: client.clientId,
    SCOPEWISE_CLIENT_SECRET: client.clientSecret,
    SCOPEWISE_CA_FILE: emulator.caFile,
    SCOPEWISE_TENANT_FILE: tenantPath,
    ...(signIn
      ? {
          SCOPEWISE_REDIRECT_URI: `http://localhost:${port}/auth/callback`,
          // A fresh secret per run: sessions do not outlive the demo.
          SCOPEWISE_SESSION_SECRET: randomBytes(48).toString("base64url"),
        }
      : {}),
  };
  const nextBin = require.resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, values.dev ? "dev" : "start", "-p", String(port)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let announced = false;
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    process.stdout.write(text);
    if (!announced && /Ready|ready|started server/i.test(text)) {
      announced = true;
      console.log(
        `\nScopewise demo is running on http://localhost:${port}\n` +
          `  tenant:   ${path.relative(process.cwd(), tenantPath) || tenantPath}\n` +
          `  emulator: ${emulator.url} (CA ${path.relative(process.cwd(), emulator.caFile)})\n` +
          (signIn ? `  sign in as: ${tenant.users!.map((u) => `${u.userPrincipalName} / ${u.password}`).join(", ")}\n` : "") +
          `Press Ctrl+C to stop.\n`,
      );
    }
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
    await emulator.close().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 1));
}

void main();
