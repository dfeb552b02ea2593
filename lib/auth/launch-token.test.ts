import { describe, expect, it } from "vitest";
import { bearerOf, launchCookie, launchProof, launchTokenMatches, LAUNCH_COOKIE, newLaunchSession } from "./launch-token";

const token = "test-launch-token-0123456789abcdefghijklmnop";

describe("launch token", () => {
  it("matches only the exact token", () => {
    expect(launchTokenMatches(token, token)).toBe(true);
    for (const other of ["", undefined, null, token.slice(0, -1), `${token}x`, token.toUpperCase(), ` ${token}`]) expect(launchTokenMatches(token, other)).toBe(false);
  });

  it("reads a bearer credential, and nothing else, from Authorization", () => {
    expect(bearerOf(`Bearer ${token}`)).toBe(token);
    expect(bearerOf(`bearer ${token}`)).toBe(token);
    expect(bearerOf(`Basic ${token}`)).toBeUndefined();
    expect(bearerOf(`Bearer ${token} extra`)).toBeUndefined();
    expect(bearerOf(null)).toBeUndefined();
  });

  it("proves the token by a session cookie signed with it, or by the bearer header", () => {
    const cookie = `${LAUNCH_COOKIE}=${newLaunchSession(token)}`;
    expect(launchProof(token, cookie, null)).toMatchObject({ via: "link" });
    expect(launchProof(token, null, `Bearer ${token}`)).toEqual({ via: "bearer" });
    expect(launchProof(token, null, null)).toBeUndefined();
    expect(launchProof(token, null, "Bearer wrong-token-0123456789abcdefghijklmn")).toBeUndefined();
  });

  it("refuses a cookie from another launch (another token), a forged one and an altered one", () => {
    const other = `${LAUNCH_COOKIE}=${newLaunchSession("another-launch-token-0123456789abcdefghij")}`;
    expect(launchProof(token, other, null)).toBeUndefined();
    const real = newLaunchSession(token);
    expect(launchProof(token, `${LAUNCH_COOKIE}=${real.slice(0, -2)}xx`, null)).toBeUndefined();
    expect(launchProof(token, `${LAUNCH_COOKIE}=${"a".repeat(43)}.${"b".repeat(43)}`, null)).toBeUndefined();
    // The token itself is not a session.
    expect(launchProof(token, `${LAUNCH_COOKIE}=${token}`, null)).toBeUndefined();
  });

  it("sets the session cookie HttpOnly, SameSite=Strict, on the whole site, Secure over https", () => {
    expect(launchCookie("v", false)).toBe(`${LAUNCH_COOKIE}=v; Path=/; HttpOnly; SameSite=Strict`);
    expect(launchCookie("v", true)).toBe(`${LAUNCH_COOKIE}=v; Path=/; HttpOnly; SameSite=Strict; Secure`);
  });
});
