import { describe, expect, it } from "vitest";
import { findingId, stableHash } from "./finding-id";

/** FNV-1a 64 as its definition reads, on BigInt: the reference the 32-bit version must match. */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

describe("stableHash", () => {
  it("is FNV-1a 64 (published test vectors)", () => {
    expect(stableHash("")).toBe("cbf29ce484222325");
    expect(stableHash("a")).toBe("af63dc4c8601ec8c");
    expect(stableHash("foobar")).toBe("85944171f73967e8");
  });

  it("matches the BigInt definition on ids, wide characters and long keys", () => {
    const samples = [
      "/subscriptions/7fa6c966-bfb4-5d38-bbe3-4db39ad5b5cb/resourcegroups/rg-data-82/providers/microsoft.authorization/roleassignments/36abd150",
      "ünïcødé ✓ 𝔘",
      "x".repeat(5000),
      "\uffff\u0000\u00ff",
    ];
    for (const s of samples) expect(stableHash(s), s.slice(0, 20)).toBe(fnv1a64(s));
  });

  it("keeps finding ids stable", () => {
    expect(findingId("subscription-scope-grant", ["/Subscriptions/ABC", "Owner"])).toBe(`subscription-scope-grant-${fnv1a64("/subscriptions/abc|owner").slice(0, 12)}`);
  });
});
