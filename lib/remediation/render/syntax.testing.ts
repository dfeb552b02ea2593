/**
 * Checks that rendered fix plans keep hostile names as data: shell scripts run under stub `az`
 * and `kubectl` executables that record their argv (nothing else is on PATH), HCL parsed by
 * tree-sitter-hcl and HashiCorp's parser (hcl2json), Bicep read by a tokenizer of its string and
 * comment syntax, YAML parsed by the yaml package. Each returns the problems it found.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseWithHashicorpHcl } from "@cdktf/hcl2json";
import { Language, Parser, type Node } from "web-tree-sitter";
import { parseAllDocuments } from "yaml";

/** Whether a string that mentions the marker holds it only as the untouched payload (or as a sanitized name that carries no syntax). */
export type IntactCheck = (value: string) => boolean;

const STUB = `#!/bin/bash
# Records its name, argv and (for kubectl) stdin, length-prefixed in bytes; prints an issuer URL for az aks show.
export LC_ALL=C
{
  printf 'CALL %s\\n%d\\n' "\${0##*/}" "$#"
  for a in "$@"; do printf '%d:%s' "\${#a}" "$a"; done
  body=""
  if [ "\${0##*/}" = kubectl ]; then IFS= read -r -d '' body || true; fi
  printf '%d:%s' "\${#body}" "$body"
} >> "$SCOPEWISE_STUB_LOG"
if [ "\${0##*/}" = az ] && [ "$1" = aks ] && [ "$2" = show ]; then printf 'https://issuer.example/oidc/\\n'; fi
exit 0
`;

export interface StubCall {
  command: string;
  args: string[];
  stdin: string;
}

export interface ScriptRun {
  status: number | null;
  stderr: string;
  calls: StubCall[];
  /** Files the script left in its (empty) working directory. */
  leftovers: string[];
}

let stubDir: string | undefined;

function stubs(): string {
  if (stubDir) return stubDir;
  stubDir = mkdtempSync(join(tmpdir(), "scopewise-stubs-"));
  for (const name of ["az", "kubectl"]) {
    writeFileSync(join(stubDir, name), STUB);
    chmodSync(join(stubDir, name), 0o755);
  }
  // The real touch, so an injected `touch PWNED_n` leaves its file behind (and shows up as a leftover).
  symlinkSync("/usr/bin/touch", join(stubDir, "touch"));
  return stubDir;
}

function parseLog(buf: Buffer): StubCall[] {
  const calls: StubCall[] = [];
  let at = 0;
  const line = () => {
    const end = buf.indexOf(0x0a, at);
    const text = buf.subarray(at, end).toString("utf8");
    at = end + 1;
    return text;
  };
  const field = () => {
    const colon = buf.indexOf(0x3a, at);
    const len = Number(buf.subarray(at, colon).toString("ascii"));
    const value = buf.subarray(colon + 1, colon + 1 + len).toString("utf8");
    at = colon + 1 + len;
    return value;
  };
  while (at < buf.length) {
    const command = line().replace(/^CALL /, "");
    const argc = Number(line());
    const args = Array.from({ length: argc }, field);
    calls.push({ command, args, stdin: field() });
  }
  return calls;
}

/** Runs a bash script with only the stubs (and touch) on PATH, in an empty directory. */
export function runUnderStubs(script: string): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), "scopewise-run-"));
  const work = join(dir, "work");
  mkdirSync(work);
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  writeFileSync(join(dir, "fix.sh"), script);
  const r = spawnSync("/bin/bash", [join(dir, "fix.sh")], {
    cwd: work,
    env: { PATH: stubs(), SCOPEWISE_STUB_LOG: log, HOME: work, LC_ALL: "C" } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 20_000,
  });
  const run = { status: r.status, stderr: r.stderr.toString(), calls: parseLog(readFileSync(log)), leftovers: readdirSync(work) };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

/** Every string a stub received: JSON arguments and YAML on stdin are read as such, so escaped payloads are compared decoded. */
export function stubStrings(calls: StubCall[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    // A JSON argument is compared decoded: its payloads are JSON-escaped, as they must be.
    for (const a of c.args) out.push(...(a.startsWith("{") ? stringsIn(JSON.parse(a)) : [a]));
    if (c.stdin) for (const doc of parseAllDocuments(c.stdin)) out.push(...stringsIn(doc.toJS()));
  }
  return out;
}

export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

let hcl: Promise<Parser> | undefined;

async function hclTreeSitter(): Promise<Parser> {
  hcl ??= (async () => {
    await Parser.init({ wasmBinary: readFileSync(require.resolve("web-tree-sitter/tree-sitter.wasm")) });
    const language = await Language.load(readFileSync(require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm")));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return hcl;
}

const SANITIZED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * HCL problems: a parse error, any interpolation or template directive (the renderer writes
 * none inside strings), the marker outside a comment, a string literal or a sanitized
 * identifier, or a string value (as HashiCorp's parser reads it) that holds the marker but not
 * the untouched payload.
 */
export async function hclProblems(text: string, marker: string, intact: IntactCheck): Promise<string[]> {
  const problems: string[] = [];
  const tree = (await hclTreeSitter()).parse(text)!;
  const lower = marker.toLowerCase();
  const visit = (n: Node) => {
    if (n.isError || n.isMissing) problems.push(`tree-sitter-hcl: ${n.isMissing ? "missing" : "unexpected"} ${JSON.stringify(n.text.slice(0, 60))} at line ${n.startPosition.row + 1}`);
    if (n.type === "template_interpolation" || n.type === "template_directive") problems.push(`tree-sitter-hcl: ${n.type} ${JSON.stringify(n.text.slice(0, 60))} at line ${n.startPosition.row + 1}`);
    if (n.childCount === 0 && n.text.toLowerCase().includes(lower)) {
      const ok = n.type === "comment" || n.type === "template_literal" || (n.type === "identifier" && SANITIZED_IDENTIFIER.test(n.text));
      if (!ok) problems.push(`tree-sitter-hcl: ${n.type} token ${JSON.stringify(n.text.slice(0, 60))} carries the marker`);
    }
    for (const c of n.children) if (c) visit(c);
  };
  visit(tree.rootNode);
  tree.delete();
  try {
    const json = await parseWithHashicorpHcl("main.tf", text);
    for (const s of stringsIn(json)) {
      // hcl2json prints literal `${` / `%{` in their escaped forms; a reference prints as `${address}`.
      const value = s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
      if (/^\$\{[A-Za-z0-9_.[\]-]+\}$/.test(s)) continue;
      if (!intact(value)) problems.push(`hcl2json: string ${JSON.stringify(value.slice(0, 80))} holds the marker without the whole payload`);
    }
  } catch (err) {
    problems.push(`hcl2json: ${(err as Error).message}`);
  }
  return problems;
}

interface BicepToken {
  kind: "comment" | "string" | "other";
  text: string;
  /** A string's value after its escapes. */
  value?: string;
}

const BICEP_ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", n: "\n", r: "\r", t: "\t", $: "$" };

/** Bicep's lexical syntax for comments and strings (docs: "Bicep file structure and syntax"); anything else is an "other" token per character run. */
export function tokenizeBicep(text: string): { tokens: BicepToken[]; problems: string[] } {
  const tokens: BicepToken[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("//", i)) {
      let end = i;
      while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
      tokens.push({ kind: "comment", text: text.slice(i, end) });
      i = end;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) problems.push("bicep: unterminated block comment");
      tokens.push({ kind: "comment", text: text.slice(i, end < 0 ? text.length : end + 2) });
      i = end < 0 ? text.length : end + 2;
    } else if (text.startsWith("'''", i)) {
      problems.push("bicep: multi-line string (the renderer writes none)");
      i += 3;
    } else if (text[i] === "'") {
      let j = i + 1;
      let value = "";
      for (;;) {
        const c = text[j];
        if (c === undefined || c === "\n" || c === "\r") {
          problems.push(`bicep: unterminated string ${JSON.stringify(text.slice(i, i + 60))}`);
          break;
        }
        if (c === "'") break;
        if (c === "\\") {
          const e = text[j + 1]!;
          if (e === "u" && text[j + 2] === "{") {
            const close = text.indexOf("}", j + 3);
            value += String.fromCodePoint(parseInt(text.slice(j + 3, close), 16));
            j = close + 1;
            continue;
          }
          if (!(e in BICEP_ESCAPES)) problems.push(`bicep: unknown escape \\${e}`);
          value += BICEP_ESCAPES[e] ?? e;
          j += 2;
          continue;
        }
        if (c === "$" && text[j + 1] === "{") problems.push(`bicep: interpolation in string ${JSON.stringify(text.slice(i, j + 20))}`);
        value += c;
        j++;
      }
      tokens.push({ kind: "string", text: text.slice(i, j + 1), value });
      i = j + 1;
    } else {
      let end = i;
      while (end < text.length && text[end] !== "'" && !text.startsWith("//", end) && !text.startsWith("/*", end)) end++;
      tokens.push({ kind: "other", text: text.slice(i, end) });
      i = end;
    }
  }
  return { tokens, problems };
}

/**
 * Bicep problems: the tokenizer's, code outside strings and comments holding anything but
 * identifiers, numbers and the punctuation the renderer writes (a payload that left its string
 * or comment brings quotes, `$`, backticks, `;`, `|`, `#`…), a string without the whole payload.
 */
export function bicepProblems(text: string, intact: IntactCheck): string[] {
  const { tokens, problems } = tokenizeBicep(text);
  for (const t of tokens) {
    if (t.kind === "string" && !intact(t.value!)) problems.push(`bicep: string ${JSON.stringify(t.value!.slice(0, 80))} holds the marker without the whole payload`);
    if (t.kind === "other" && !/^[A-Za-z0-9_\s{}[\]():=.,-]*$/.test(t.text)) problems.push(`bicep: code ${JSON.stringify(t.text.trim().slice(0, 80))} holds characters the renderer never writes there`);
  }
  return problems;
}

/**
 * YAML problems: a parse error or warning, raw NEL / U+2028 / U+2029 (line breaks to a YAML
 * 1.1 parser such as kubectl's), documents other than the expected objects.
 */
export function yamlProblems(text: string, expected: unknown[]): string[] {
  const problems: string[] = [];
  if (/[\u0085\u2028\u2029]/.test(text)) problems.push("yaml: raw NEL, U+2028 or U+2029, a line break to YAML 1.1 parsers");
  const docs = parseAllDocuments(text);
  const objects: unknown[] = [];
  for (const d of docs) {
    for (const e of [...d.errors, ...d.warnings]) problems.push(`yaml: ${e.message.split("\n")[0]}`);
    const js = d.toJS();
    if (js !== null && js !== undefined) objects.push(js);
  }
  const key = (v: unknown) => JSON.stringify(v);
  const got = objects.map(key).sort();
  const want = expected.map(key).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`yaml: ${got.length} documents, expected ${want.length} (or their contents differ)`);
  return problems;
}
