/**
 * Every value a renderer writes, quoted for its language, and every comment line escaped.
 * Names come from Azure and Kubernetes (and from tenant files), so they are untrusted text:
 * a shell word, an HCL or Bicep string, a YAML scalar or a comment must keep them data, never
 * syntax. Pure and free of node modules so the renderers also run in the browser.
 */
import { Document, isScalar, visit } from "yaml";
import type { AzArg, AzOutput } from "@/lib/model/findings";

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for POSIX sh and bash: unchanged when it holds only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
  if (value !== "" && SHELL_SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

function isAzOutput(part: unknown): part is AzOutput {
  return typeof part === "object" && part !== null && Array.isArray((part as AzOutput).azOutput);
}

/** `"$(az …)"`: the command runs as its own quoted words; its output is one word, never re-parsed. */
function azOutputWord(output: AzOutput): string {
  return `"$(az ${output.azOutput.map(shellQuote).join(" ")})"`;
}

/** One `az` argument as a shell word: literals single-quoted, run-time values as quoted command substitutions, joined parts concatenated. */
export function azArgWord(arg: AzArg): string {
  if (typeof arg === "string") return shellQuote(arg);
  if (isAzOutput(arg)) return azOutputWord(arg);
  if (arg.join.length === 0) return "''";
  return arg.join.map((part) => (typeof part === "string" ? (part === "" ? "" : `'${part.replace(/'/g, `'"'"'`)}'`) : azOutputWord(part))).join("");
}

/** `az …` as one shell command line, every argument quoted. */
export function azCommandLine(args: readonly AzArg[]): string {
  return ["az", ...args.map(azArgWord)].join(" ");
}

/** Line breaks and invisible characters some parser honours: C0 and C1 controls, DEL, NEL, U+2028/9, BOM. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function hex4(code: number): string {
  return code.toString(16).padStart(4, "0");
}

/** Unicode text with unpaired surrogates replaced: they cannot be written as UTF-8. */
function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

const BICEP_ESCAPES: Record<string, string> = { "'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A single-quoted Bicep string literal: `\'`, `\\`, `\n`, `\r`, `\t`, `\${` and `\u{…}` for other invisible characters. */
export function bicepString(value: string): string {
  let out = "";
  for (const ch of wellFormed(value)) {
    const code = ch.codePointAt(0)!;
    out += BICEP_ESCAPES[ch] ?? (UNPRINTABLE.test(ch) ? `\\u{${code.toString(16)}}` : ch);
  }
  return `'${out.replace(/\$\{/g, () => "\\${")}'`;
}

/** Every line break a shell, HCL, Bicep or YAML (1.1 or 1.2) parser honours. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;
/** Other characters a comment must not carry: controls, DEL, BOM. */
const COMMENT_DROP = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufeff]/g;

/**
 * Text as comment lines with the given prefix ("# " or "// "), wrapped at ~100 columns. Every
 * line break a parser would honour starts a new prefixed line, and other control characters
 * are dropped: names in the text must not end the comment.
 */
export function commentLines(text: string, prefix: string, width = 100): string[] {
  const out: string[] = [];
  for (const para of wellFormed(text).replace(COMMENT_DROP, "").split(LINE_BREAK)) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(prefix + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push((prefix + line).trimEnd());
  }
  return out;
}

/**
 * Lines of code (an az command printed for reference) as comment lines, kept as they are but
 * split at every line break any parser honours and without control characters, so nothing in
 * them ends the comment.
 */
export function commentedCode(lines: readonly string[], prefix: string): string[] {
  return lines.flatMap((l) => wellFormed(l).replace(COMMENT_DROP, "").split(LINE_BREAK).map((part) => `${prefix}${part}`.trimEnd()));
}

/** Strings YAML 1.1 parsers (kubectl's) read differently from YAML 1.2 unless double-quoted and escaped. */
const YAML_PLAIN_SAFE = /^[\u0020-\u007e]*$/;

/**
 * A YAML document for a Kubernetes object. Any string with a character outside printable ASCII
 * is double-quoted and its controls, NEL, U+2028/9 and BOM escaped as `\uNNNN`: YAML 1.1
 * parsers such as kubectl's treat NEL and U+2028/9 as line breaks, so raw in a plain or block
 * scalar they could end it and start a key of their own.
 */
export function yamlDocument(value: unknown): Document {
  // YAML 1.1 rules for which plain scalars need quotes: "no", "on", "y" stay strings for kubectl too.
  const doc = new Document(value, { version: "1.1" });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && !YAML_PLAIN_SAFE.test(node.value)) {
        node.value = wellFormed(node.value);
        node.type = "QUOTE_DOUBLE";
      }
    },
  });
  return doc;
}

/** A document's text with the raw invisible characters that may remain in double-quoted scalars escaped. */
export function yamlString(doc: Document): string {
  // Only double-quoted scalars can hold these characters here (comments come from commentLines, plain scalars are ASCII).
  return doc.toString({ lineWidth: 0 }).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${hex4(c.charCodeAt(0))}`);
}

/** A Kubernetes object as YAML text (see yamlDocument). */
export function yamlText(value: unknown): string {
  return yamlString(yamlDocument(value));
}
