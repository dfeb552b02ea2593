/**
 * Validates the configuration once when the server starts: a missing or malformed variable
 * stops the server with a message naming it, instead of failing on the first request.
 */
export async function register(): Promise<void> {
  // The check uses Node APIs; the edge bundle of this file must not reference them.
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
