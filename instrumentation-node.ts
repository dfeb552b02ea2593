import { ConfigurationError, serverEnv } from "@/lib/env";

try {
  serverEnv();
} catch (err) {
  if (!(err instanceof ConfigurationError)) throw err;
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
