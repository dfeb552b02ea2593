import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface DemoServer {
  url: string;
  /** Stops the demo and the Next.js server it started (its whole process group). */
  close(): Promise<void>;
}

/** Whether some process on this machine is running `next build` (the `.next` directory is shared). */
export function nextBuildRunning(): boolean {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue;
    }
    if (/next(\/dist\/bin\/next)?\s+build\b/.test(cmd)) return true;
  }
  return false;
}

async function waitForOtherBuilds(log: (m: string) => void, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let said = false;
  while (nextBuildRunning()) {
    if (!said) log("graph bench: another `next build` is running; waiting for it to finish…");
    said = true;
    if (Date.now() > until) throw new Error("graph bench: gave up waiting for another `next build` to finish");
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * `npm run demo -- --tenant FILE --port PORT`: the emulator serving the tenant and the
 * production dashboard (built first if the sources changed). Resolves once it serves.
 */
export async function startDemo(options: { tenantFile: string; port: number; dataDir: string; log: (m: string) => void; timeoutMs?: number }): Promise<DemoServer> {
  const timeoutMs = options.timeoutMs ?? 900_000;
  if (process.platform === "linux") await waitForOtherBuilds(options.log, timeoutMs);
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child: ChildProcess = spawn(tsx, ["scripts/demo.ts", "--tenant", options.tenantFile, "--port", String(options.port)], {
    cwd: root,
    // Its own process group, so closing it stops `next start` too.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", SCOPEWISE_DATA_DIR: options.dataDir },
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`graph bench: the demo did not start within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (/building the dashboard/.test(text)) options.log("graph bench: the demo is building the dashboard (a few minutes)…");
      if (/Scopewise demo is running on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`graph bench: the demo exited (${code}) before serving:\n${output.slice(-2000)}`));
    });
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!stopped) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
  try {
    await ready;
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://localhost:${options.port}`, close };
}
