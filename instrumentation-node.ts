import { ConfigurationError, serverEnv } from "@/lib/env";
import { startScheduledScans } from "@/lib/scan/schedule";

try {
  startScheduledScans(serverEnv());
} catch (err) {
  if (!(err instanceof ConfigurationError)) throw err;
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
