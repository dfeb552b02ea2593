/**
 * Values written into HCL. Names from Azure and Kubernetes are untrusted: a quote, a newline,
 * or a template sequence (`${…}`, `%{…}`) in one must stay text, never become syntax or an
 * interpolation. HCL's quoted strings take JSON-style escapes, and `$${` / `%%{` are the
 * literal forms of `${` / `%{` (HCL native syntax spec, "Template Expressions").
 */
export function hclString(value: string): string {
  let out = "";
  // Unpaired surrogates cannot be written as UTF-8: they become U+FFFD.
  for (const ch of value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  // `${` / `%{` become `$${` / `%%{`. A `$` or `%` just before another would put a lone `$`
  // before that escape (`$$${`), which parsers split differently (tree-sitter-hcl reads
  // `$$` + `${`), so it is written `\u0024` / `\u0025`. Replacement functions, not strings:
  // in a replacement string "$$" would itself mean "$".
  return `"${out
    .replace(/\$(?=\$)/g, () => "\\u0024")
    .replace(/%(?=%)/g, () => "\\u0025")
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{")}"`;
}

/** A `#` comment line's text: one line, no control characters. */
export function hclComment(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}
