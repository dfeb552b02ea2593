import { describe, expect, it } from "vitest";
import { buildSecurityHeaders, newCspNonce } from "./security-headers";

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe("buildSecurityHeaders", () => {
  it("locks scripts to this response's nonce, with no inline script or eval otherwise", () => {
    const nonce = newCspNonce();
    const csp = directives(buildSecurityHeaders({ nonce, hsts: false })["content-security-policy"]!);
    expect(csp.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
    expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
  });

  it("gives every response a different nonce", () => {
    expect(newCspNonce()).not.toBe(newCspNonce());
    expect(newCspNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("lets form posts end only here, or at the identity provider when named (sign-out redirects there)", () => {
    expect(directives(buildSecurityHeaders({ nonce: "n", hsts: false })["content-security-policy"]!).get("form-action")).toEqual(["'self'"]);
    const csp = buildSecurityHeaders({ nonce: "n", hsts: false, formActionOrigins: ["https://login.microsoftonline.com"] })["content-security-policy"]!;
    expect(directives(csp).get("form-action")).toEqual(["'self'", "https://login.microsoftonline.com"]);
  });

  it("allows eval only for next dev", () => {
    const csp = buildSecurityHeaders({ nonce: "n", hsts: false, development: true })["content-security-policy"]!;
    expect(directives(csp).get("script-src")).toContain("'unsafe-eval'");
  });

  it("sends nosniff, a referrer policy and frame denial always, HSTS only when asked", () => {
    const plain = buildSecurityHeaders({ nonce: "n", hsts: false });
    expect(plain["x-content-type-options"]).toBe("nosniff");
    expect(plain["referrer-policy"]).toBe("same-origin");
    expect(plain["x-frame-options"]).toBe("DENY");
    expect(plain["cross-origin-resource-policy"]).toBe("same-origin");
    expect(plain["strict-transport-security"]).toBeUndefined();
    const tls = buildSecurityHeaders({ nonce: "n", hsts: true });
    expect(tls["strict-transport-security"]).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(directives(tls["content-security-policy"]!).has("upgrade-insecure-requests")).toBe(true);
  });
});
