import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { DEMO_ENV } from "@/lib/testing/demo-env";
import { allowedOrigins, checkRequestOrigin } from "./request-guard";

const demo = { ...DEMO_ENV, SCOPEWISE_PORT: "3330" };
const allowed = allowedOrigins(parseEnv(demo));
const check = (headers: Record<string, string>) => checkRequestOrigin(new Headers(headers), allowed);

describe("Host and Origin allowlist", () => {
  it("answers the loopback names with the serving port, in any case", () => {
    for (const host of ["localhost:3330", "127.0.0.1:3330", "[::1]:3330", "LOCALHOST:3330"]) expect(check({ host })).toEqual({ ok: true });
    expect(check({ host: "localhost:3330", origin: "http://localhost:3330" })).toEqual({ ok: true });
    expect(check({ host: "127.0.0.1:3330", origin: "http://127.0.0.1:3330" })).toEqual({ ok: true });
  });

  it("refuses DNS rebinding: another name for this address gets 421 before anything runs", () => {
    for (const host of ["attacker.example:3330", "attacker.example", "localhost.attacker.example:3330", "127.0.0.1.nip.io:3330", "localhost:3331", "localhost", "0.0.0.0:3330", "192.168.1.10:3330"]) {
      const v = check({ host, origin: `http://${host}` });
      expect(v.ok, host).toBe(false);
      if (!v.ok) expect(v.status, host).toBe(421);
    }
  });

  it("refuses another site's Origin (and null) even with a good Host", () => {
    for (const origin of ["http://attacker.example:3330", "http://localhost:8080", "https://localhost:3330", "null", "http://127.0.0.1:3330.attacker.example"]) {
      const v = check({ host: "localhost:3330", origin });
      expect(v, origin).toMatchObject({ ok: false, status: 403 });
    }
  });

  it("refuses a forwarded host that is not the public URL's, and accepts the public URL behind a proxy", () => {
    expect(check({ host: "localhost:3330", "x-forwarded-host": "attacker.example" })).toMatchObject({ ok: false, status: 421 });
    const behindProxy = allowedOrigins(parseEnv({ ...demo, SCOPEWISE_PUBLIC_URL: "https://scopewise.contoso.com" }));
    const ok = checkRequestOrigin(new Headers({ host: "scopewise.contoso.com", "x-forwarded-host": "scopewise.contoso.com", origin: "https://scopewise.contoso.com" }), behindProxy);
    expect(ok).toEqual({ ok: true });
    expect(checkRequestOrigin(new Headers({ host: "scopewise.contoso.com", origin: "http://scopewise.contoso.com" }), behindProxy)).toMatchObject({ ok: false, status: 403 });
  });

  it("allows the sign-in redirect URI's origin and a specific listen address, never a wildcard one", () => {
    const signIn = allowedOrigins(
      parseEnv({
        SCOPEWISE_MODE: "azure",
        SCOPEWISE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        SCOPEWISE_CLIENT_ID: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11",
        SCOPEWISE_CLIENT_SECRET: "x",
        SCOPEWISE_REDIRECT_URI: "https://scopewise.contoso.com/auth/callback",
        SCOPEWISE_SESSION_SECRET: "s".repeat(40),
      }),
    );
    expect(signIn.hosts.has("scopewise.contoso.com")).toBe(true);
    expect(signIn.origins.has("https://scopewise.contoso.com")).toBe(true);
    expect(allowedOrigins(parseEnv({ ...demo, SCOPEWISE_LISTEN: "10.0.0.5" })).hosts.has("10.0.0.5:3330")).toBe(true);
    expect([...allowedOrigins(parseEnv({ ...demo, SCOPEWISE_LISTEN: "0.0.0.0" })).hosts].some((h) => h.startsWith("0.0.0.0"))).toBe(false);
  });

  it("answers 400 to a request without a Host", () => {
    expect(check({})).toMatchObject({ ok: false, status: 400 });
  });
});
