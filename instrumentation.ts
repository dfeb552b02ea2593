/**
 * Validates the configuration once when the server starts: a missing or malformed variable
 * stops the server with a message naming it, instead of failing on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigurationError, serverEnv } = await import("@/lib/env");
  try {
    serverEnv();
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    console.error(`\n${err.message}\n`);
    process.exit(1);
  }
}
