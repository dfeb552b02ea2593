import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "./migrations";
import { decryptTokenCache, encryptTokenCache, SessionRepository, tokenCacheKey, type StoredSession } from "./sessions";
import { testDatabases } from "./sql.testing";

const SECRET = "a-session-secret-that-is-long-enough-to-sign-cookies";

describe("token cache encryption", () => {
  const key = tokenCacheKey(SECRET);
  it("round-trips, binds the blob to its session and refuses another key", () => {
    const blob = encryptTokenCache(key, "s1", '{"RefreshToken":{"x":"secret-refresh-token"}}');
    expect(blob).not.toContain("secret-refresh-token");
    expect(decryptTokenCache(key, "s1", blob)).toBe('{"RefreshToken":{"x":"secret-refresh-token"}}');
    expect(decryptTokenCache(key, "s2", blob)).toBeUndefined();
    expect(decryptTokenCache(tokenCacheKey(`${SECRET}-rotated`), "s1", blob)).toBeUndefined();
    const [v, iv, tag, body] = blob.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(decryptTokenCache(key, "s1", [v, iv, tag, flipped.toString("base64url")].join("."))).toBeUndefined();
  });
});

for (const target of testDatabases()) {
  describe(`SessionRepository on ${target.name}`, () => {
    afterAll(() => target.dispose());
    let clock = 1_000_000;
    const now = () => clock;

    async function fresh(limits?: Partial<ConstructorParameters<typeof SessionRepository>[2]>) {
      const db = await target.open();
      await migrate(db);
      await db.run("DELETE FROM sessions");
      await db.run("DELETE FROM pending_sign_ins");
      const base = { idleMs: 1000, maxMs: 5000, pendingTtlMs: 500, maxPending: 50, maxPendingPerClient: 3 };
      return { db, repo: new SessionRepository<{ oid: string }>(db, SECRET, { ...base, ...limits }, now) };
    }
    const session = (id: string): StoredSession<{ oid: string }> => ({ id, user: { oid: "u1" }, tokenCache: '{"AccessToken":{}}', homeAccountId: "h", createdAt: clock, lastSeenAt: clock });

    it("keeps a session across a new connection (a restart), with its token cache encrypted at rest", async () => {
      const { db, repo } = await fresh();
      await repo.saveSession(session("s1"));
      const raw = await db.get<{ token_cache: string }>("SELECT token_cache FROM sessions WHERE id = ?", ["s1"]);
      expect(raw!.token_cache).toMatch(/^v1\./);
      expect(raw!.token_cache).not.toContain("AccessToken");
      const restarted = new SessionRepository<{ oid: string }>(await target.open(), SECRET, undefined, now);
      expect(await restarted.getSession("s1")).toMatchObject({ id: "s1", user: { oid: "u1" }, tokenCache: '{"AccessToken":{}}' });
      const otherSecret = new SessionRepository(await target.open(), `${SECRET}-changed`, undefined, now);
      expect(await otherSecret.getSession("s1")).toBeUndefined();
    });

    it("ends idle and too-old sessions", async () => {
      const { repo } = await fresh();
      await repo.saveSession(session("idle"));
      clock += 1500;
      expect(await repo.getSession("idle")).toBeUndefined();
      await repo.saveSession(session("old"));
      for (let i = 0; i < 6; i++) {
        clock += 900;
        await repo.getSession("old");
      }
      expect(await repo.getSession("old")).toBeUndefined();
      await repo.saveSession(session("gone"));
      await repo.deleteSession("gone");
      expect(await repo.getSession("gone")).toBeUndefined();
    });

    it("hands a pending sign-in out once, expires it and caps them per client and in all", async () => {
      const { repo } = await fresh({ maxPending: 5 });
      const pending = (state: string, client?: string) => ({ state, nonce: "n", codeVerifier: "v", returnTo: "/", createdAt: clock++, ...(client ? { client } : {}) });
      await repo.savePending(pending("once"));
      expect(await repo.takePending("once")).toMatchObject({ state: "once", returnTo: "/" });
      expect(await repo.takePending("once")).toBeUndefined();
      await repo.savePending(pending("late"));
      clock += 600;
      expect(await repo.takePending("late")).toBeUndefined();
      for (let i = 0; i < 10; i++) await repo.savePending(pending(`a${i}`, "10.0.0.1"));
      expect(await repo.countPending()).toBe(3);
      expect(await repo.takePending("a9")).toBeDefined();
      expect(await repo.takePending("a0")).toBeUndefined();
      for (let i = 0; i < 10; i++) await repo.savePending(pending(`c${i}`, `10.0.1.${i}`));
      expect(await repo.countPending()).toBe(5);
    });
  });
}
