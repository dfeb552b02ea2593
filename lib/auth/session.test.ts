import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { call } from "@/emulator/testdata/http-client";
import type { SignInSettings } from "@/lib/env";
import { loadTenantFile } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { SESSION_COOKIE, SIGN_IN_COOKIE } from "./cookie";
import { safeReturnTo } from "./return-to";
import { signIn as signInWith, signInAt as signInAtForm, signInSettingsFor, testAppRegistration } from "./sign-in.testing";
import { beginSignIn, completeSignIn, endSession, getSession, sessionCredential, SignInError } from "./session";
import { MemorySessionStore } from "./session-store";

let h: EmulatorHandle;
let tenant: TenantFile;
let settings: SignInSettings;

beforeAll(async () => {
  tenant = await loadTenantFile(new URL("../../fixtures/tenants/demo.json", import.meta.url).pathname);
  h = await startEmulator({ tenant, clients: [testAppRegistration] });
  settings = signInSettingsFor(h);
});
afterAll(async () => {
  await h?.close();
});

function cookieFor(name: string, value: string): string {
  return `${name}=${value}`;
}

const signIn = (store: MemorySessionStore, upn: string, password: string, returnTo = "/identities") => signInWith(h, settings, store, upn, password, returnTo);
const signInAt = (authorizeUrl: string, username: string, password: string) => signInAtForm(h, authorizeUrl, username, password);

describe("sign-in through msal-node against the emulator", () => {
  it("asks for PKCE (S256), state and nonce, and the ARM delegated scope", async () => {
    const store = new MemorySessionStore();
    const { url } = await beginSignIn(settings, store, "/");
    const q = new URL(url).searchParams;
    expect(new URL(url).pathname).toBe(`/${h.tenantId}/oauth2/v2.0/authorize`);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["https://management.azure.com/user_impersonation", "openid", "offline_access"]));
    expect(q.get("redirect_uri")).toBe(settings.redirectUri);
  });

  it("signs Bob in, keeps only an opaque id in the cookie, and renews tokens silently as him", async () => {
    const store = new MemorySessionStore();
    const { session, cookieValue, returnTo } = await signIn(store, "bob.schmidt@contoso.com", "demo-reader");
    const bob = tenant.users!.find((u) => u.userPrincipalName === "bob.schmidt@contoso.com")!;
    expect(session.user).toMatchObject({ oid: bob.id, username: "bob.schmidt@contoso.com", name: "Bob Schmidt", tenantId: h.tenantId });
    expect(returnTo).toBe("/identities");
    // The cookie is `<random id>.<mac>`: nothing about the person or their tokens.
    expect(cookieValue).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(cookieValue).not.toContain(bob.id);
    expect((await getSession(settings, store, cookieFor(SESSION_COOKIE, cookieValue)))?.id).toBe(session.id);

    const credential = sessionCredential(settings, store, session);
    const arm = await credential.getToken("https://management.azure.com/.default");
    const graph = await credential.getToken(["https://graph.microsoft.com/.default"]);
    expect(decodeJwt(arm!.token)).toMatchObject({ oid: bob.id, aud: "https://management.azure.com", idtyp: "user" });
    expect(decodeJwt(graph!.token)).toMatchObject({ oid: bob.id, aud: "https://graph.microsoft.com" });

    // The delegated token reads only what Bob's Reader role allows.
    const subs = await call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: arm!.token });
    expect(subs.json.value.map((s: { displayName: string }) => s.displayName)).toEqual(["contoso-connectivity"]);
  });

  it("ends a session whose tokens cannot be renewed, so the person signs in again", async () => {
    const store = new MemorySessionStore();
    const { session } = await signIn(store, "bob.schmidt@contoso.com", "demo-reader");
    // A restarted server with a session whose token cache was lost: no account, no refresh token.
    const orphan = { ...session, id: "x".repeat(43), tokenCache: "" };
    await store.saveSession(orphan);
    await expect(sessionCredential(settings, store, orphan).getToken("https://management.azure.com/.default")).rejects.toMatchObject({ name: "AuthenticationRequiredError" });
    expect(await store.getSession(orphan.id)).toBeUndefined();
    expect(await store.getSession(session.id)).toBeDefined();
  });

  it("refuses a tampered cookie and forgets the session on sign-out", async () => {
    const store = new MemorySessionStore();
    const { session, cookieValue } = await signIn(store, "alice.nguyen@contoso.com", "demo-security-lead");
    const [id, mac] = cookieValue.split(".") as [string, string];
    const flipped = mac.slice(0, -1) + (mac.endsWith("A") ? "B" : "A");
    expect(await getSession(settings, store, cookieFor(SESSION_COOKIE, `${id}.${flipped}`))).toBeUndefined();
    expect(await getSession(settings, store, cookieFor(SESSION_COOKIE, id))).toBeUndefined();
    expect(await getSession({ ...settings, sessionSecret: "another-secret-that-is-32-chars-long!" }, store, cookieFor(SESSION_COOKIE, cookieValue))).toBeUndefined();
    await endSession(store, session.id);
    expect(await getSession(settings, store, cookieFor(SESSION_COOKIE, cookieValue))).toBeUndefined();
  });

  it("refuses a callback from a browser that did not start the sign-in (state not bound to it)", async () => {
    const store = new MemorySessionStore();
    const mine = await beginSignIn(settings, store, "/");
    const other = await beginSignIn(settings, store, "/");
    const callback = await signInAt(mine.url, "bob.schmidt@contoso.com", "demo-reader");
    await expect(completeSignIn(settings, store, callback.searchParams, cookieFor(SIGN_IN_COOKIE, other.flowCookieValue))).rejects.toMatchObject({
      name: "SignInError",
      code: "state_mismatch",
    });
    await expect(completeSignIn(settings, store, callback.searchParams, null)).rejects.toBeInstanceOf(SignInError);
  });

  it("accepts a state once: a replayed callback is refused", async () => {
    const store = new MemorySessionStore();
    const started = await beginSignIn(settings, store, "/");
    const callback = await signInAt(started.url, "bob.schmidt@contoso.com", "demo-reader");
    const cookie = cookieFor(SIGN_IN_COOKIE, started.flowCookieValue);
    await completeSignIn(settings, store, callback.searchParams, cookie);
    await expect(completeSignIn(settings, store, callback.searchParams, cookie)).rejects.toMatchObject({ code: "state_expired" });
  });

  it("refuses a code redeemed without the matching PKCE verifier", async () => {
    const store = new MemorySessionStore();
    const started = await beginSignIn(settings, store, "/");
    const callback = await signInAt(started.url, "bob.schmidt@contoso.com", "demo-reader");
    // Another pending sign-in's verifier under this state: what an attacker with a stolen code would hold.
    const state = callback.searchParams.get("state")!;
    const pending = (await store.takePending(state))!;
    await store.savePending({ ...pending, codeVerifier: "x".repeat(43) });
    await expect(completeSignIn(settings, store, callback.searchParams, cookieFor(SIGN_IN_COOKIE, started.flowCookieValue))).rejects.toThrow(/code_verifier does not match/);
  });

  it("refuses an id token whose nonce is not this sign-in's", async () => {
    const store = new MemorySessionStore();
    const started = await beginSignIn(settings, store, "/");
    const callback = await signInAt(started.url, "bob.schmidt@contoso.com", "demo-reader");
    const state = callback.searchParams.get("state")!;
    const pending = (await store.takePending(state))!;
    await store.savePending({ ...pending, nonce: "n".repeat(43) });
    await expect(completeSignIn(settings, store, callback.searchParams, cookieFor(SIGN_IN_COOKIE, started.flowCookieValue))).rejects.toBeInstanceOf(SignInError);
  });

  it("shows Entra's refusal in fixed words with its codes, and logs the description", async () => {
    const store = new MemorySessionStore();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const q = new URLSearchParams({ error: "access_denied", error_description: "AADSTS65004: User declined to consent to access the app. Trace ID: 1 Correlation ID: 2" });
    await expect(completeSignIn(settings, store, q, null)).rejects.toThrow(
      "Entra ID refused the sign-in: the sign-in was declined, or consent to Scopewise's permissions was not given (access_denied, AADSTS65004).",
    );
    expect(warn.mock.calls[0]![0]).toContain("User declined to consent");
    warn.mockRestore();
  });

  it("never shows attacker-chosen text from the callback's query", async () => {
    const store = new MemorySessionStore();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const [error, description] of [
      ["access_denied", "AADSTS50000: Your account is locked. Call +1 555 0100 and read out your password."],
      ["Call +1 555 0100 now", "<b>urgent</b>"],
      ["server_error\nInjected: line", "AADSTS1234567890123: x"],
    ] as const) {
      const err = await completeSignIn(settings, store, new URLSearchParams({ error, error_description: description }), null).catch((e: Error) => e);
      expect(err).toBeInstanceOf(SignInError);
      const message = (err as Error).message;
      expect(message).not.toMatch(/locked|555|urgent|<b>|Injected/);
      expect(message).toMatch(/^Entra ID refused the sign-in: [a-z ,'.()-]+\((access_denied|error)(, AADSTS\d+)?\)\.$/i);
    }
    // The log keeps the detail on one line.
    for (const [line] of warn.mock.calls) expect(String(line)).not.toContain("\n");
    warn.mockRestore();
  });

  it("only returns to same-origin paths after sign-in", () => {
    expect(safeReturnTo("/identities?kind=app")).toBe("/identities?kind=app");
    expect(safeReturnTo("https://evil.example/")).toBe("/");
    expect(safeReturnTo("//evil.example/")).toBe("/");
    expect(safeReturnTo("/\\evil.example")).toBe("/");
    expect(safeReturnTo("/auth/sign-out")).toBe("/");
    expect(safeReturnTo(null)).toBe("/");
  });
});
