import { afterAll, describe, expect, it } from "vitest";
import { newOpaqueId } from "@/lib/auth/cookie";
import { closeStores } from "@/lib/store/db";
import { testDatabases } from "@/lib/store/sql.testing";
import { DEMO_ENV } from "@/lib/testing/demo-env";
import { parseEnv } from "@/lib/env";
import { MemorySessionStore, sessionStoreFor, StoredSessionStore, type Session } from "./session-store";

// The server's session store as a restart sees it: a new process opens the same database.
const secret = "stored-sessions-test-secret-0123456789abcdef";
const signInEnv = {
  SCOPEWISE_MODE: "azure",
  SCOPEWISE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  SCOPEWISE_CLIENT_ID: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11",
  SCOPEWISE_CLIENT_SECRET: "app-secret",
  SCOPEWISE_REDIRECT_URI: "https://scopewise.contoso.com/auth/callback",
  SCOPEWISE_SESSION_SECRET: secret,
};

const session = (): Session => ({
  id: newOpaqueId(),
  user: { oid: "o", tenantId: "t", username: "dana.okafor@contoso.com", name: "Dana Okafor" },
  tokenCache: '{"RefreshToken":{"k":{"secret":"refresh-token-value"}}}',
  homeAccountId: "h",
  createdAt: Date.now(),
  lastSeenAt: Date.now(),
});


for (const target of testDatabases()) {
  describe(`the server's sessions on ${target.name}`, () => {
    afterAll(() => target.dispose());

    it("keeps people signed in across a restart, and a sign-in in progress finishes on another replica once", async () => {
      await target.open();
      const config = target.storeConfig();
      const env = parseEnv({ ...signInEnv, SCOPEWISE_DATA_DIR: config.dataDir, ...(config.databaseUrl ? { SCOPEWISE_DATABASE_URL: config.databaseUrl } : {}) });

      const first = sessionStoreFor(env);
      expect(first).toBeInstanceOf(StoredSessionStore);
      const s = session();
      await first.saveSession(s);
      await first.savePending({ state: "st-1", nonce: "n", codeVerifier: "v", returnTo: "/graph", createdAt: Date.now(), client: "198.51.100.7" });

      // A restart: the process's stores and its session store are gone; the database is not.
      await closeStores();
      const second = sessionStoreFor(env);
      expect(await second.getSession(s.id)).toMatchObject({ id: s.id, user: s.user, tokenCache: s.tokenCache, homeAccountId: "h" });
      expect((await second.takePending("st-1"))?.returnTo).toBe("/graph");
      // A state is good for one callback only, on any replica.
      const replica = sessionStoreFor(env);
      expect(await replica.takePending("st-1")).toBeUndefined();

      await second.deleteSession(s.id);
      expect(await replica.getSession(s.id)).toBeUndefined();
      await closeStores();
    });
  });
}

describe("without sign-in", () => {
  it("keeps no sessions in the store (there are none)", () => {
    expect(sessionStoreFor(parseEnv({ ...DEMO_ENV }))).toBeInstanceOf(MemorySessionStore);
  });
});
