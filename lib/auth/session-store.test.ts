import { describe, expect, it } from "vitest";
import { MemorySessionStore, PENDING_MAX, PENDING_PER_CLIENT, PENDING_TTL_MS, SESSION_IDLE_MS, SESSION_MAX_MS, type Session } from "./session-store";

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

  it("keeps at most PENDING_PER_CLIENT sign-ins per client, dropping that client's oldest", () => {
    const store = new MemorySessionStore(() => 0);
    for (let i = 0; i < 4_500; i++) store.savePending({ state: `flood-${i}`, nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: 0, client: "203.0.113.7" });
    store.savePending({ state: "alice", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: 0, client: "198.51.100.1" });
    // Another client's sign-in survives the flood; of the flood only the newest remain.
    expect(store.takePending("alice")).toBeDefined();
    expect(store.takePending(`flood-${4_500 - PENDING_PER_CLIENT - 1}`)).toBeUndefined();
    for (let i = 4_500 - PENDING_PER_CLIENT; i < 4_500; i++) expect(store.takePending(`flood-${i}`), `flood-${i}`).toBeDefined();
  });

  it("keeps at most PENDING_MAX sign-ins in all, dropping the oldest, and expires them", () => {
    let now = 0;
    const store = new MemorySessionStore(() => now);
    for (let i = 0; i < 4_500; i++) {
      now = i;
      store.savePending({ state: `s-${i}`, nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now, client: `client-${i}` });
    }
    expect(store.takePending(`s-${4_500 - PENDING_MAX - 1}`)).toBeUndefined();
    expect(store.takePending(`s-${4_500 - PENDING_MAX}`)).toBeDefined();
    expect(store.takePending("s-4499")).toBeDefined();
    // Ten minutes later, saving one more sweeps the rest out.
    now = 4_500 + PENDING_TTL_MS + 1;
    store.savePending({ state: "late", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now });
    expect(store.takePending("s-4498")).toBeUndefined();
    expect(store.takePending("late")).toBeDefined();
  });

  it("forgets a deleted session", () => {
    const store = new MemorySessionStore();
    store.saveSession(session("x", Date.now()));
    store.deleteSession("x");
    expect(store.getSession("x")).toBeUndefined();
  });
});
