import { execFileSync } from "node:child_process";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { hclString } from "@/lib/iac/hcl-quote";
import { azArgWord, azCommandLine, bicepString, commentedCode, commentLines, shellQuote, yamlText } from "./quote";
import { hclProblems, tokenizeBicep } from "./syntax.testing";

/** What bash makes of a word: the argv of `printf '%s\0' WORD`. */
function bashWords(line: string): string[] {
  return execFileSync("/bin/bash", ["-c", `printf '%s\\0' ${line}`], { env: { ...process.env, PATH: "/usr/bin:/bin" } }).toString().split("\0").slice(0, -1);
}

describe("shell words", () => {
  it("single-quotes anything but plain words, and bash reads back exactly the value", () => {
    const values = ["rg-prod", "it's", "$(touch x)", "`id`", "a;b|c&&d", "line\nbreak", "tab\there", "\u2028", "", "'", "'\"'\"'"];
    for (const v of values) expect(bashWords(shellQuote(v))).toEqual([v]);
    expect(shellQuote("rg-prod")).toBe("rg-prod");
  });

  it("runs a value read at run time as its own quoted command, and joins literal parts and outputs into one word", () => {
    expect(azArgWord({ azOutput: ["aks", "show", "--name", "a'b", "--query", "oidcIssuerProfile.issuerUrl"] })).toBe(`"$(az aks show --name 'a'"'"'b' --query oidcIssuerProfile.issuerUrl)"`);
    const joined = azArgWord({ join: ['{"name":"$(x)","issuer":"', { azOutput: ["version"] }, '"}'] });
    expect(joined).toBe(`'{"name":"$(x)","issuer":"'"$(az version)"'"}'`);
    expect(azCommandLine(["aks", "update", "--name", "a b"])).toBe("az aks update --name 'a b'");
  });
});

describe("HCL strings", () => {
  it("escapes interpolation and directive openers, controls and separators so both HCL parsers read one literal", async () => {
    const hostile = ['$${x}', '$$${x}', '%%{ if x }', '${x}%{y}', 'a"b\\c\nd\re\tf\b\u0085\u2028\ufeff', '\ud800 lone'];
    const text = hostile.map((v, i) => `v${i} = ${hclString(v)}`).join("\n");
    expect(await hclProblems(`locals {\n${text}\n}\n`, "never-present", () => true)).toEqual([]);
    expect(hclString("$${x}")).toBe('"\\u0024$${x}"');
    expect(hclString("%%{x}")).toBe('"\\u0025%%{x}"');
    // The escapes HCL knows, and `\uNNNN` for the rest (JSON's \b and \f are not HCL escapes).
    expect(hclString("\b\f")).toBe('"\\u0008\\u000c"');
  });
});

describe("Bicep strings", () => {
  it("escapes quotes, backslashes, interpolation and every line break into one string token", () => {
    const value = "a'b\\c${d}\n\r\t\u0085\u2028\u0001";
    const { tokens, problems } = tokenizeBicep(`var x = ${bicepString(value)}\n`);
    expect(problems).toEqual([]);
    expect(tokens.filter((t) => t.kind === "string").map((t) => t.value)).toEqual([value]);
  });
});

describe("comments", () => {
  it("start a new prefixed line at every line break any parser honours and drop control characters", () => {
    const lines = commentLines("a\nb\rc\r\nd\u0085e\u2028f\u2029g\u0000h\u001bi", "# ");
    expect(lines).toEqual(["# a", "# b", "# c", "# d", "# e", "# f", "# ghi"]);
    for (const l of commentedCode(["az x 'a\nb\u2028c'"], "//   ")) expect(l.startsWith("//   ")).toBe(true);
  });
});

describe("YAML", () => {
  it("double-quotes and escapes strings a YAML 1.1 parser would read as line breaks or other types", () => {
    const value = { a: "x\u2028evil: 1", b: "line\nnext\u0085key: v", c: "no", d: "on", e: "0755", f: "plain", g: "\ufeffbom" };
    const text = yamlText(value);
    expect(text).not.toMatch(/[\u0085\u2028\u2029\ufeff]/);
    expect(text).toContain('c: "no"');
    expect(text).toContain("f: plain");
    expect(parse(text)).toEqual(value);
  });
});
