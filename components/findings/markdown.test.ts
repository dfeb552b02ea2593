import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { buildTestInventory } from "@/components/inventory/inventory.testing";
import type { Finding } from "@/lib/model/findings";
import { buildFindingDetail } from "./detail";
import { markdownBlock, markdownCode, renderFindingMarkdown } from "./markdown";

/** Names that would become a link, an image, HTML, a heading or a bare autolink if written as Markdown text. */
const HOSTILE = [
  "[click me](https://evil.example/steal)",
  "![x](https://evil.example/pixel.png)",
  '<img src=x onerror="alert(1)">',
  "<script>alert(1)</script>",
  "``code` break``",
  "www.evil.example and https://evil.example",
  "name\n# Heading\n[ref]: https://evil.example",
  "**bold** _em_ ~~gone~~ | a | b |",
];

/** Renders as GitHub does (GFM, autolinks on) and lists what is not plain text. */
function active(markdown: string): string[] {
  const html = marked.parse(markdown, { gfm: true, async: false });
  const found: string[] = [];
  for (const m of html.matchAll(/<(a|img|script|h[1-6]|strong|em|del|table)\b[^>]*>/g)) found.push(m[0]);
  return found;
}

describe("markdownCode / markdownBlock", () => {
  it("shows every hostile name literally: no link, image, HTML, heading or emphasis", () => {
    for (const name of HOSTILE) {
      expect(active(`Identity: ${markdownCode(name)}`), name).toEqual([]);
      expect(active(`Identity: ${name}`).length, `${name} is active as plain text`).toBeGreaterThanOrEqual(name.startsWith("``") ? 0 : 1);
      expect(active(markdownBlock(name)), name).toEqual([]);
    }
  });

  it("keeps the name's text, backticks included", () => {
    const html = marked.parse(markdownCode("``code` break``"), { async: false });
    expect(html).toContain("<code>``code` break``</code>");
    expect(markdownCode("")).toBe("` `");
  });

  it("ends a fenced block only with a fence longer than any tilde run in the text", () => {
    const html = marked.parse(`${markdownBlock("~~~\n[x](https://evil.example)\n~~~~")}\n\nafter`, { async: false });
    expect(html).not.toContain("<a ");
    expect(html).toContain("<p>after</p>");
  });
});

describe("renderFindingMarkdown", () => {
  const inventory = buildTestInventory();
  const finding: Finding = {
    id: "subscription-scope-grant-abc",
    ruleId: "subscription-scope-grant",
    severity: "high",
    baseSeverity: "medium",
    severityReason: "raised: <b>prod</b>",
    title: "Role at subscription scope",
    message: `${HOSTILE[0]} holds Contributor`,
    identityName: HOSTILE[2],
    principalId: "not-in-scan",
    roleName: HOSTILE[1],
    scope: "/subscriptions/11111111-1111-1111-1111-111111111111",
    evidence: [{ fact: HOSTILE[5]!, source: HOSTILE[6]! }],
    fixes: [],
  };

  it("writes the finding's facts with every tenant value inert, and one link: back to Scopewise", () => {
    const md = renderFindingMarkdown(buildFindingDetail(inventory, finding), "https://scopewise.example/findings/subscription-scope-grant-abc");
    expect(md).toContain("## Role at subscription scope");
    expect(md).toContain("- **Severity:** High (rule's base: Medium)");
    const links = active(md).filter((t) => t.startsWith("<a"));
    expect(links).toEqual(['<a href="https://scopewise.example/findings/subscription-scope-grant-abc">']);
    expect(active(md).filter((t) => !t.startsWith("<a") && !t.startsWith("<strong"))).toEqual(["<h2>", "<h3>", "<h3>"]);
  });
});
