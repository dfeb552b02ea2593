import { expect } from "vitest";
import type { EmulatorHandle } from "@/emulator/server";
import { call } from "@/emulator/testdata/http-client";
import type { SignInSettings } from "@/lib/env";
import { SIGN_IN_COOKIE } from "./cookie";
import { beginSignIn, completeSignIn } from "./session";
import type { SessionStore } from "./session-store";

/** An app registration the emulator accepts, and the settings Scopewise signs people in with through it. */
export const testAppRegistration = { clientId: "5c4a1e2b-6f7d-4a8e-9b0c-1d2e3f405162", clientSecret: "scopewise-app-secret" };

export function signInSettingsFor(h: EmulatorHandle): SignInSettings {
  return {
    tenantId: h.tenantId,
    clientId: testAppRegistration.clientId,
    credential: { kind: "secret", secret: testAppRegistration.clientSecret },
    redirectUri: "http://localhost:3999/auth/callback",
    sessionSecret: "a-test-session-secret-of-at-least-32-chars",
    authorityHost: h.authorityHost,
    armEndpoint: h.armEndpoint,
    graphEndpoint: h.graphEndpoint,
    caFile: h.caFile,
  };
}

function hiddenFields(page: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(m[1]!, m[2]!.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
  }
  return fields;
}

/** Drives the emulator's sign-in form like a browser; returns the callback URL it redirects to. */
export async function signInAt(h: EmulatorHandle, authorizeUrl: string, username: string, password: string): Promise<URL> {
  const page = await call(h, "GET", authorizeUrl);
  expect(page.status).toBe(200);
  const fields = hiddenFields(page.text);
  fields.set("username", username);
  fields.set("password", password);
  const posted = await call(h, "POST", new URL(authorizeUrl).pathname, { body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(posted.status).toBe(302);
  return new URL(String(posted.headers.location));
}

/** Signs a person in as the dashboard does (authorization code + PKCE through msal-node); returns their session. */
export async function signIn(h: EmulatorHandle, settings: SignInSettings, store: SessionStore, upn: string, password: string, returnTo = "/identities") {
  const started = await beginSignIn(settings, store, returnTo);
  const callback = await signInAt(h, started.url, upn, password);
  return completeSignIn(settings, store, callback.searchParams, `${SIGN_IN_COOKIE}=${started.flowCookieValue}`);
}
