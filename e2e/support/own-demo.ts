import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A demo server of a spec's own (flags the shared one does not run with), on its own port and data directory. */
export interface OwnDemo {
  origin: string;
  /** What the demo printed up to "running". */
  output: string;
  stop(): Promise<void>;
}

/** A port of the e2e range for a spec's own demo: E2E_PORT + offset (the shared demo has E2E_PORT, sign-in E2E_PORT + 1 when run so). */
export function ownPort(envName: string, offset: number): number {
  return Number(process.env[envName] ?? Number(process.env.E2E_PORT ?? 3100) + offset);
}

/** Starts `npm run demo -- --port PORT …flags` (with `extraEnv` on top of this process's environment) and resolves once it says it is running (the build is the shared demo's). */
export async function startOwnDemo(port: number, flags: string[], extraEnv: Record<string, string> = {}): Promise<OwnDemo> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-e2e-demo-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--port", String(port), ...flags], {
    cwd: path.resolve(__dirname, "..", ".."),
    env: { ...process.env, ...extraEnv, SCOPEWISE_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo on ${port} did not start:\n${output}`)), 600_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Scopewise demo is running on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the demo on ${port} exited (${code}):\n${output}`)));
  });
  return {
    origin: `http://localhost:${port}`,
    output,
    async stop() {
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
