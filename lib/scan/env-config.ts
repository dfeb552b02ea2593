import "server-only";
import { sessionCredential } from "@/lib/auth/session";
import { sessionStore } from "@/lib/auth/session-store";
import type { Viewer } from "@/lib/auth/viewer";
import { ConfigurationError, type ServerEnv } from "@/lib/env";
import { connectionFromEnv, type ScanTarget } from "./connection";

/**
 * The connection for the server's mode and the viewer: the demo emulator with its app
 * registration; Azure as the signed-in person (delegated token from their session); or Azure
 * with DefaultAzureCredential when no app registration is configured (one local user).
 */
export async function scanConfigFromEnv(env: ServerEnv, viewer: Viewer = { kind: "server" }): Promise<ScanTarget> {
  if (env.SCOPEWISE_MODE === "azure" && viewer.kind === "user") {
    return connectionFromEnv(env, { credential: sessionCredential(viewer.settings, sessionStore(), viewer.session), who: viewer.session.user.username });
  }
  if (env.SCOPEWISE_MODE === "azure" && env.SCOPEWISE_CLIENT_ID) {
    // With an app registration every read is a person's; the server has no credential of its own.
    throw new ConfigurationError("sign-in is configured (SCOPEWISE_CLIENT_ID): the tenant is read only as a signed-in person");
  }
  return connectionFromEnv(env);
}
