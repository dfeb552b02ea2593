import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

/** The documents people read first; each may link only to files of the repository (or to the web). */
const documents = [
  "README.md",
  "emulator/README.md",
  "fixtures/tenants/README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** Targets of Markdown links and images, `[text](target)` and `![alt](target)`, outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#");

describe("relative links in the documentation", () => {
  it("finds links and images, and ignores code", () => {
    expect(linkTargets("see [a](docs/a.md#x), ![b](img/b.png \"t\") and `[c](nope.md)`\n```\n[d](nope.md)\n```\n[e](https://x.y)")).toEqual(["docs/a.md#x", "img/b.png", "https://x.y"]);
  });

  it.each(documents)("%s links only to files that exist in the repository", (doc) => {
    const text = readFileSync(path.join(root, doc), "utf8");
    const broken = linkTargets(text)
      .filter(isRelative)
      .map((target) => decodeURIComponent(target.split("#")[0]!.split("?")[0]!))
      .filter((file) => {
        const resolved = path.resolve(path.dirname(path.join(root, doc)), file);
        return !resolved.startsWith(root + path.sep) || !existsSync(resolved) || (!statSync(resolved).isFile() && !statSync(resolved).isDirectory());
      });
    expect(broken).toEqual([]);
  });
});
