import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

const ORIGIN = "https://scopewise.contoso.com";

/**
 * Open-redirect bypasses from public lists (PortSwigger, PayloadsAllTheThings "Open Redirect")
 * as they reach the server: once percent-decoded by URLSearchParams, or still encoded.
 */
const BYPASSES = [
  "//evil.example",
  "//evil.example/path",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "/\u000b/evil.example",
  "/\u000c/evil.example",
  "/\u001f/evil.example",
  "/\u007f/evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0d/evil.example",
  "/%2f%2fevil.example",
  "/%2F/evil.example",
  "/%5c/evil.example",
  "/%5C%5Cevil.example",
  "https://evil.example",
  "https:evil.example",
  "https:/evil.example",
  "http:\\\\evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " //evil.example",
  "evil.example",
  "@evil.example",
  "/auth/sign-out",
  "/auth/callback?code=x",
  "/AUTH/sign-in",
  "/%61uth/sign-out",
  "/%E0%A4%A",
];

describe("safeReturnTo", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeReturnTo("/identities?kind=app")).toBe("/identities?kind=app");
    expect(safeReturnTo("/findings/acr-scope-too-broad-1a2b#evidence")).toBe("/findings/acr-scope-too-broad-1a2b#evidence");
    expect(safeReturnTo("/graph?view=cluster&id=%2Fsubscriptions%2Fx")).toBe("/graph?view=cluster&id=%2Fsubscriptions%2Fx");
    expect(safeReturnTo("/")).toBe("/");
  });

  for (const value of BYPASSES) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      const result = safeReturnTo(value);
      expect(result).toBe("/");
      // Whatever it returns stays on our origin, the way the callback resolves it.
      expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    });
  }

  it("refuses nothing and everything", () => {
    expect(safeReturnTo(null)).toBe("/");
    expect(safeReturnTo(undefined)).toBe("/");
    expect(safeReturnTo("")).toBe("/");
  });
});
