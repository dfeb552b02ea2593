/**
 * What `npm run demo` and `npm start` share: the serving flags, the build check, the launch
 * token and its printed link, the refusal to serve beyond this machine unguarded, and Next
 * itself bound to the chosen address (127.0.0.1 unless widened).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isLoopbackListen, LAUNCH_TOKEN_PATTERN, LAUNCH_TOKEN_RULE, serveProblems, type ServeOptions } from "@/lib/env";

export const root = path.resolve(__dirname, "..");

/** The flags both launchers take, as node:util parseArgs options. */
export const SERVE_OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  "read-only": { type: "boolean", default: false },
  "launch-token": { type: "string" },
} as const;

export const SERVE_USAGE = "[--host ADDRESS] [--port PORT] [--read-only] [--launch-token [TOKEN]]";

/** `--launch-token` takes an optional value, which parseArgs cannot express: `--launch-token` alone becomes `--launch-token=`. */
export function normalizeArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a !== "--launch-token") out.push(a);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) out.push(`--launch-token=${argv[++i]}`);
    else out.push("--launch-token=");
  }
  return out;
}

export function parsePort(value: string | undefined, name: string, fallback: number, usage: (m: string) => never): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

/** A fresh launch token: 32 random bytes, URL-safe. */
export function newLaunchToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The address to listen on (--host, else SCOPEWISE_LISTEN, else 127.0.0.1) and the launch token
 * (--launch-token VALUE, a fresh one for a bare --launch-token, else SCOPEWISE_LAUNCH_TOKEN).
 */
export function serveChoices(
  values: { host?: string; "launch-token"?: string; "read-only"?: boolean },
  env: NodeJS.ProcessEnv,
  usage: (m: string) => never,
): { listen: string; launchToken?: string; readOnly: boolean } {
  const listen = values.host ?? env.SCOPEWISE_LISTEN ?? "127.0.0.1";
  const flag = values["launch-token"];
  const launchToken = flag === undefined ? env.SCOPEWISE_LAUNCH_TOKEN || undefined : flag === "" ? newLaunchToken() : flag;
  if (launchToken !== undefined && !LAUNCH_TOKEN_PATTERN.test(launchToken)) usage(`the launch token ${LAUNCH_TOKEN_RULE}`);
  const readOnly = values["read-only"] === true || env.SCOPEWISE_READ_ONLY === "true" || env.SCOPEWISE_READ_ONLY === "1";
  return { listen, launchToken, readOnly };
}

/** Stops with the reasons when the configuration must not be served (lib/env.ts serveProblems); exit status 2. */
export function refuseUnsafeServe(name: string, options: ServeOptions): void {
  const problems = serveProblems(options);
  if (problems.length === 0) return;
  console.error(`${name}: will not serve this configuration:\n${problems.join("\n")}`);
  process.exit(2);
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

/** Builds the dashboard when the build is missing or older than the sources. */
export function buildIfNeeded(name: string): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const sources = ["app", "components", "lib", "data", "proxy.ts", "instrumentation.ts", "instrumentation-node.ts", "next.config.js", "package.json", "tsconfig.json"].map((p) => path.join(root, p));
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && builtAt >= newestMtime(sources)) return;
  console.log(builtAt ? `${name}: sources changed since the last build; building the dashboard…` : `${name}: building the dashboard (first run)…`);
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error(`${name}: the dashboard build failed (see above).`);
    process.exit(1);
  }
}

/** How people on this machine open the dashboard: the listen address when it is one, else 127.0.0.1. */
export function localOrigin(listen: string, port: number): string {
  const host = ["0.0.0.0", "::", "[::]"].includes(listen) ? "127.0.0.1" : listen.includes(":") && !listen.startsWith("[") ? `[${listen}]` : listen;
  return `http://${host}:${port}`;
}

/** The secret link that starts a session: print it only to the person who started the server. */
export function launchLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, "")}/?token=${encodeURIComponent(token)}`;
}

/** A hint when the server listens beyond this machine: other machines must use the public URL's name. */
export function widenedNote(listen: string, publicUrl: string | undefined): string {
  if (isLoopbackListen(listen)) return "";
  return publicUrl
    ? `  listening on ${listen}: other machines reach it as ${publicUrl} (other Host names are refused)\n`
    : `  listening on ${listen}, but only localhost names are answered: set SCOPEWISE_PUBLIC_URL to the URL other machines use\n`;
}

/** `next start` (or `next dev`) bound to the address and port, with the environment; its stdout is passed through. */
export function spawnNext(options: { dev: boolean; listen: string; port: number; env: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams {
  const nextBin = require.resolve("next/dist/bin/next");
  return spawn(process.execPath, [nextBin, options.dev ? "dev" : "start", "-H", options.listen, "-p", String(options.port)], {
    cwd: root,
    env: { ...options.env, NEXT_TELEMETRY_DISABLED: "1", SCOPEWISE_LISTEN: options.listen, SCOPEWISE_PORT: String(options.port) },
    stdio: ["ignore", "pipe", "inherit"],
  }) as unknown as ChildProcessWithoutNullStreams;
}

/** Calls `onReady` once, when Next says it is ready. */
export function whenReady(child: ChildProcessWithoutNullStreams, onReady: () => void): void {
  let announced = false;
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    process.stdout.write(text);
    if (!announced && /Ready|ready|started server/i.test(text)) {
      announced = true;
      onReady();
    }
  });
}
