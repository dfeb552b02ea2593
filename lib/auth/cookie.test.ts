import { describe, expect, it } from "vitest";
import { cookieIsSecure, newOpaqueId, readCookie, serializeCookie, signValue, verifySignedValue } from "./cookie";

const secret = "a-test-session-secret-of-at-least-32-chars";

describe("signed opaque ids", () => {
  it("round-trips an id and refuses any change to it or its MAC", () => {
    const id = newOpaqueId();
    const signed = signValue(secret, "session", id);
    expect(verifySignedValue(secret, "session", signed)).toBe(id);
    const otherId = newOpaqueId();
    expect(verifySignedValue(secret, "session", `${otherId}${signed.slice(id.length)}`)).toBeUndefined();
    expect(verifySignedValue(secret, "session", `${signed.slice(0, -1)}${signed.endsWith("A") ? "B" : "A"}`)).toBeUndefined();
    expect(verifySignedValue(secret, "session", id)).toBeUndefined();
    expect(verifySignedValue(secret, "session", `${signed}.extra`)).toBeUndefined();
    expect(verifySignedValue(secret, "session", undefined)).toBeUndefined();
  });

  it("binds a MAC to its secret and its purpose", () => {
    const signed = signValue(secret, "sign-in", newOpaqueId());
    expect(verifySignedValue(secret, "session", signed)).toBeUndefined();
    expect(verifySignedValue(`${secret}-rotated`, "sign-in", signed)).toBeUndefined();
  });
});

describe("cookies", () => {
  it("is HttpOnly and SameSite=Lax, Secure when asked", () => {
    expect(serializeCookie("scopewise_session", "v", { secure: true })).toBe("scopewise_session=v; Path=/; HttpOnly; SameSite=Lax; Secure");
    expect(serializeCookie("scopewise_session", "", { secure: false, maxAge: 0 })).toBe("scopewise_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });

  it("is Secure everywhere but plain-http localhost", () => {
    expect(cookieIsSecure(new URL("http://localhost:3000/auth/callback"))).toBe(false);
    expect(cookieIsSecure(new URL("http://127.0.0.1:3000/"))).toBe(false);
    expect(cookieIsSecure(new URL("https://localhost:3000/"))).toBe(true);
    expect(cookieIsSecure(new URL("http://scopewise.internal/"))).toBe(true);
  });

  it("reads one cookie from a header", () => {
    expect(readCookie("a=1; scopewise_session=x.y; b=2", "scopewise_session")).toBe("x.y");
    expect(readCookie(null, "scopewise_session")).toBeUndefined();
  });
});
