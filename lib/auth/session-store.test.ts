import { describe, expect, it } from "vitest";
import { MemorySessionStore, PENDING_MAX, PENDING_PER_CLIENT, PENDING_TTL_MS, SESSION_IDLE_MS, SESSION_MAX_MS, type Session } from "./session-store";

function session(id: string, at: number): Session {
  return { id, user: { oid: "o", tenantId: "t", username: "u", name: "n" }, tokenCache: "{}", homeAccountId: "h", createdAt: at, lastSeenAt: at };
}

describe("MemorySessionStore", () => {
  it("ends a session after the idle limit, and any session after the absolute limit", async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore(() => now);
    await store.saveSession(session("idle", now));
    await store.saveSession(session("busy", now));
    now += SESSION_IDLE_MS - 1000;
    expect(await store.getSession("busy")).toBeDefined();
    now += 2000;
    expect(await store.getSession("idle")).toBeUndefined();
    expect(await store.getSession("busy")).toBeDefined();
    for (let t = now; t < 1_000_000 + SESSION_MAX_MS + 1; t += SESSION_IDLE_MS / 2) {
      now = t;
      await store.getSession("busy");
    }
    now = 1_000_000 + SESSION_MAX_MS + 1;
    expect(await store.getSession("busy")).toBeUndefined();
  });

  it("hands out a pending sign-in once, and not after it expired", async () => {
    let now = 0;
    const store = new MemorySessionStore(() => now);
    await store.savePending({ state: "s1", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now });
    expect((await store.takePending("s1"))?.nonce).toBe("n");
    expect(await store.takePending("s1")).toBeUndefined();
    await store.savePending({ state: "s2", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now });
    now = PENDING_TTL_MS + 1;
    expect(await store.takePending("s2")).toBeUndefined();
  });

  it("keeps at most PENDING_PER_CLIENT sign-ins per client, dropping that client's oldest", async () => {
    const store = new MemorySessionStore(() => 0);
    for (let i = 0; i < 4_500; i++) await store.savePending({ state: `flood-${i}`, nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: 0, client: "203.0.113.7" });
    await store.savePending({ state: "alice", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: 0, client: "198.51.100.1" });
    // Another client's sign-in survives the flood; of the flood only the newest remain.
    expect(await store.takePending("alice")).toBeDefined();
    expect(await store.takePending(`flood-${4_500 - PENDING_PER_CLIENT - 1}`)).toBeUndefined();
    for (let i = 4_500 - PENDING_PER_CLIENT; i < 4_500; i++) expect(await store.takePending(`flood-${i}`), `flood-${i}`).toBeDefined();
  });

  it("keeps at most PENDING_MAX sign-ins in all, dropping the oldest, and expires them", async () => {
    let now = 0;
    const store = new MemorySessionStore(() => now);
    for (let i = 0; i < 4_500; i++) {
      now = i;
      await store.savePending({ state: `s-${i}`, nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now, client: `client-${i}` });
    }
    expect(await store.takePending(`s-${4_500 - PENDING_MAX - 1}`)).toBeUndefined();
    expect(await store.takePending(`s-${4_500 - PENDING_MAX}`)).toBeDefined();
    expect(await store.takePending("s-4499")).toBeDefined();
    // Ten minutes later, saving one more sweeps the rest out.
    now = 4_500 + PENDING_TTL_MS + 1;
    await store.savePending({ state: "late", nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: now });
    expect(await store.takePending("s-4498")).toBeUndefined();
    expect(await store.takePending("late")).toBeDefined();
  });

  it("forgets a deleted session", async () => {
    const store = new MemorySessionStore();
    await store.saveSession(session("x", Date.now()));
    await store.deleteSession("x");
    expect(await store.getSession("x")).toBeUndefined();
  });
});
