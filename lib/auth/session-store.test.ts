import { describe, expect, it } from "vitest";
import { MemorySessionStore, PENDING_TTL_MS, SESSION_IDLE_MS, SESSION_MAX_MS, type Session } from "./session-store";

function session(id: string, at: number): Session {
  return { id, user: { oid: "o", tenantId: "t", username: "u", name: "n" }, tokenCache: "{}", homeAccountId: "h", createdAt: at, lastSeenAt: at };
}

describe("MemorySessionStore", () => {
  it("ends a session after the idle limit, and any session after the absolute limit", () => {
    let now = 1_000_000;
    const store = new MemorySessionStore(() => now);
    store.saveSession(session("idle", now));
    store.saveSession(session("busy", now));
    now += SESSION_IDLE_MS - 1000;
    expect(store.getSession("busy")).toBeDefined();
    now += 2000;
    expect(store.getSession("idle")).toBeUndefined();
    expect(store.getSession("busy")).toBeDefined();
    for (let t = now; t < 1_000_000 + SESSION_MAX_MS + 1; t += SESSION_IDLE_MS / 2) {
      now = t;
      store.getSession("busy");
    }
    now = 1_000_000 + SESSION_MAX_MS + 1;
    expect(store.getSession("busy")).toBeUndefined();
  });

  it("hands out a pending sign-in once, and not after it expired", () => {
    let now = 0;
    const store = new MemorySessionStore(() => now);
    store.savePending({ state: "s1", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now });
    expect(store.takePending("s1")?.nonce).toBe("n");
    expect(store.takePending("s1")).toBeUndefined();
    store.savePending({ state: "s2", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now });
    now = PENDING_TTL_MS + 1;
    expect(store.takePending("s2")).toBeUndefined();
  });

  it("forgets a deleted session", () => {
    const store = new MemorySessionStore();
    store.saveSession(session("x", Date.now()));
    store.deleteSession("x");
    expect(store.getSession("x")).toBeUndefined();
  });
});
