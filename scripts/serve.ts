/**
 * `npm start [-- --port 3000] [--host ADDRESS] [--read-only] [--launch-token [TOKEN]]`
 *
 * Serves the built dashboard with the configuration in the environment (README,
 * "Configuration"), bound to 127.0.0.1 unless --host (or SCOPEWISE_LISTEN) widens it. A
 * single user on Azure (no SCOPEWISE_CLIENT_ID) gets a launch token, fresh for each start
 * unless SCOPEWISE_LAUNCH_TOKEN or --launch-token TOKEN fixes it, and the secret link to open,
 * like Jupyter's: nobody else who reaches the port acts with that person's Azure credential.
 */
import { parseArgs } from "node:util";
import { ConfigurationError, parseEnv } from "@/lib/env";
import { buildIfNeeded, launchLink, localOrigin, newLaunchToken, normalizeArgs, parsePort, refuseUnsafeServe, serveChoices, SERVE_OPTIONS, SERVE_USAGE, spawnNext, whenReady, widenedNote } from "./launch";

function usage(message?: string): never {
  if (message) console.error(`serve: ${message}`);
  console.error(`usage: npm start -- ${SERVE_USAGE}`);
  process.exit(2);
}

function main(): void {
  const { values } = (() => {
    try {
      return parseArgs({ args: normalizeArgs(process.argv.slice(2)), options: { ...SERVE_OPTIONS, help: { type: "boolean", short: "h", default: false } }, strict: true });
    } catch (err) {
      return usage((err as Error).message);
    }
  })();
  if (values.help) usage();
  const port = parsePort(values.port, "--port", Number(process.env.PORT ?? 3000), usage);
  const { listen, readOnly, launchToken: chosenToken } = serveChoices(values, process.env, usage);
  let launchToken = chosenToken;
  let env;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigurationError) {
      console.error(`serve: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const signIn = env.SCOPEWISE_MODE === "azure" && !!env.SCOPEWISE_CLIENT_ID;
  if (signIn && launchToken) usage("a launch token is not used with sign-in (SCOPEWISE_CLIENT_ID is set): people sign in with Entra ID");
  // One person on Azure with their own credential: nobody else may reach it without the link.
  if (env.SCOPEWISE_MODE === "azure" && !signIn && !launchToken) launchToken = newLaunchToken();
  refuseUnsafeServe("serve", { mode: env.SCOPEWISE_MODE, signIn, launchToken, listen, readOnly });

  buildIfNeeded("serve");
  const child = spawnNext({
    dev: false,
    listen,
    port,
    env: { ...process.env, SCOPEWISE_READ_ONLY: readOnly ? "true" : "false", ...(launchToken ? { SCOPEWISE_LAUNCH_TOKEN: launchToken } : {}) },
  });
  const origin = localOrigin(listen, port);
  whenReady(child, () => {
    const publicUrl = env.SCOPEWISE_PUBLIC_URL;
    console.log(
      `\nScopewise (${env.SCOPEWISE_MODE} mode${signIn ? ", sign-in" : ""}) is serving on ${origin}\n` +
        (launchToken
          ? `  open this link (it carries the launch token; keep it to yourself):\n    ${launchLink(origin, launchToken)}\n` +
            (publicUrl ? `    ${launchLink(publicUrl, launchToken)}\n` : "") +
            "  scripts send the same token as Authorization: Bearer <token>\n"
          : "") +
        widenedNote(listen, publicUrl) +
        (readOnly ? "  read-only: applying, undoing and finishing changes are turned off\n" : "") +
        "Press Ctrl+C to stop.\n",
    );
  });
  const stop = (code: number) => {
    child.kill("SIGTERM");
    process.exit(code);
  };
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  child.on("exit", (code) => process.exit(code ?? 1));
}

main();
