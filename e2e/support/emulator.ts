import { readFileSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";

/** The emulator of the demo under test (`npm run demo -- --emulator-port P`), for failure injection over HTTP. */
export const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 0);

/** The demo keeps its emulator's CA under .data/emulator/<dashboard port>/ (scripts/demo.ts). */
function caOf(dashboardPort: number): string {
  return readFileSync(path.join(__dirname, "..", "..", ".data", "emulator", String(dashboardPort), "ca.pem"), "utf8");
}

function send(dashboardPort: number, method: "POST" | "DELETE", body?: unknown): Promise<number> {
  if (!emulatorPort) throw new Error("E2E_EMULATOR_PORT is not set: the playwright config passes --emulator-port to the demo");
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", servername: "localhost", port: emulatorPort, path: "/_emulator/faults", method, ca: caOf(dashboardPort), headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** POST /_emulator/faults: the next `times` requests of `family` fail (see emulator/README.md). */
export async function injectFault(dashboardPort: number, fault: Record<string, unknown>): Promise<void> {
  const status = await send(dashboardPort, "POST", fault);
  if (status !== 201) throw new Error(`the emulator refused the fault ${JSON.stringify(fault)} (HTTP ${status})`);
}

/** DELETE /_emulator/faults: every pending fault removed. */
export async function clearFaults(dashboardPort: number): Promise<void> {
  await send(dashboardPort, "DELETE");
}
