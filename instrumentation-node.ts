import { ConfigurationError, serveOptionsOf, serveProblems, serverEnv } from "@/lib/env";
import { startExpiryWatch } from "@/lib/scan/alerts/notify";
import { startScheduledScans } from "@/lib/scan/schedule";

try {
  const env = serverEnv();
  // A server nobody should reach this way does not start (the CLI, which serves nothing, never runs this).
  const problems = serveProblems(serveOptionsOf(env));
  if (problems.length > 0) throw new ConfigurationError(`Scopewise will not serve this configuration:\n${problems.join("\n")}`);
  startScheduledScans(env);
  startExpiryWatch(env);
} catch (err) {
  if (!(err instanceof ConfigurationError)) throw err;
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
