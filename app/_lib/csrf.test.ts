import { describe, expect, it } from "vitest";
import { checkCsrf, createCsrfToken, csrfCookieHeader, readCookie } from "./csrf";

const token = createCsrfToken();
function post(headers: Record<string, string>): Request {
  return new Request("http://localhost:3100/api/rescan", { method: "POST", headers });
}
const good = { host: "localhost:3100", origin: "http://localhost:3100", cookie: `other=1; scopewise_csrf=${token}`, "x-csrf-token": token };

describe("checkCsrf", () => {
  it("accepts a same-origin request whose header echoes the cookie", () => {
    expect(checkCsrf(post(good))).toEqual({ ok: true });
  });

  it("refuses a cross-origin Origin even with a matching token", () => {
    const result = checkCsrf(post({ ...good, origin: "https://evil.example" }));
    expect(result).toEqual({ ok: false, reason: "cross-origin request refused (Origin https://evil.example)" });
    expect(checkCsrf(post({ ...good, origin: "null" })).ok).toBe(false);
  });

  it("uses the forwarded host behind a proxy", () => {
    expect(checkCsrf(post({ ...good, host: "10.0.0.5:3000", "x-forwarded-host": "scopewise.example", origin: "https://scopewise.example" })).ok).toBe(true);
  });

  it("refuses a cross-site request without Origin", () => {
    const { origin: _o, ...noOrigin } = good;
    expect(checkCsrf(post({ ...noOrigin, "sec-fetch-site": "cross-site" })).ok).toBe(false);
    expect(checkCsrf(post(noOrigin)).ok).toBe(true);
  });

  it("refuses a missing cookie, a missing header and a mismatch, saying which", () => {
    const { cookie: _c, ...noCookie } = good;
    expect(checkCsrf(post(noCookie))).toMatchObject({ ok: false, reason: expect.stringContaining("scopewise_csrf cookie") });
    const { "x-csrf-token": _h, ...noHeader } = good;
    expect(checkCsrf(post(noHeader))).toMatchObject({ ok: false, reason: expect.stringContaining("x-csrf-token header") });
    expect(checkCsrf(post({ ...good, "x-csrf-token": createCsrfToken() }))).toMatchObject({ ok: false, reason: expect.stringContaining("does not match") });
    expect(checkCsrf(post({ ...good, "x-csrf-token": "short" })).ok).toBe(false);
  });
});

describe("csrf cookie", () => {
  it("creates distinct 256-bit tokens", () => {
    expect(createCsrfToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createCsrfToken()).not.toBe(createCsrfToken());
  });
  it("sets a strict, HttpOnly cookie, Secure over https", () => {
    expect(csrfCookieHeader("t", false)).toBe("scopewise_csrf=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800");
    expect(csrfCookieHeader("t", true)).toContain("; Secure");
  });
  it("reads one cookie out of a header", () => {
    expect(readCookie("a=1; scopewise_csrf=xyz; b=2", "scopewise_csrf")).toBe("xyz");
    expect(readCookie("a=1", "scopewise_csrf")).toBeUndefined();
    expect(readCookie(null, "scopewise_csrf")).toBeUndefined();
  });
});
