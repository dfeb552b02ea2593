import { Language, Parser, type Node } from "web-tree-sitter";
import { IacInputError } from "./input-error";

/**
 * HCL parsed with tree-sitter-hcl (the grammar GitHub and editors use for Terraform),
 * run as WebAssembly through web-tree-sitter: both ship in their npm packages, so nothing is
 * downloaded at run time. The caller supplies the two .wasm files' bytes (reading files is
 * not this layer's business). Offsets are JavaScript string indices (UTF-16), lines 1-based.
 */
export interface HclAttribute {
  name: string;
  line: number;
  /** The whole `name = value` span. */
  start: number;
  end: number;
  /** The value expression's span and text. */
  valueStart: number;
  valueEnd: number;
  valueText: string;
}

export interface HclBlock {
  type: string;
  labels: string[];
  /** Line of the block's first token. */
  line: number;
  start: number;
  end: number;
  /** Offset just before the closing brace (where new attributes go). */
  bodyEnd: number;
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclFile {
  /** As the caller named it (relative to the directory read). */
  file: string;
  text: string;
  blocks: HclBlock[];
}

export interface HclParser {
  parse(file: string, text: string): HclFile;
}

/** The two WebAssembly modules: web-tree-sitter's runtime and the HCL grammar. */
export interface HclWasm {
  runtime: Uint8Array;
  language: Uint8Array;
}

let loaded: Promise<Language> | undefined;

/** Loads the grammar once per process; later calls reuse it. */
export async function loadHclParser(wasm: HclWasm): Promise<HclParser> {
  loaded ??= (async () => {
    await Parser.init({ wasmBinary: wasm.runtime });
    return Language.load(wasm.language);
  })();
  const language = await loaded;
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(file, text) {
      const tree = parser.parse(text);
      if (!tree) throw new IacInputError(file, "could not be parsed as HCL");
      try {
        const root = tree.rootNode;
        if (root.hasError) {
          const bad = firstError(root);
          const where = bad ? bad.startPosition.row + 1 : undefined;
          const what = bad?.isMissing ? `missing ${bad.type}` : bad ? `unexpected ${JSON.stringify(clip(bad.text))}` : "syntax error";
          throw new IacInputError(file, `HCL does not parse: ${what}`, where);
        }
        const body = root.namedChildren.find((n) => n?.type === "body");
        return { file, text, blocks: body ? blocksOf(body) : [] };
      } finally {
        tree.delete();
      }
    },
  };
}

function clip(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

function firstError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing || child.isError)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}

function blocksOf(body: Node): HclBlock[] {
  const out: HclBlock[] = [];
  for (const n of body.namedChildren) if (n?.type === "block") out.push(block(n));
  return out;
}

function block(n: Node): HclBlock {
  const named = n.namedChildren.filter((c): c is Node => !!c);
  const type = named[0]?.text ?? "";
  const labels = named
    .slice(1)
    .filter((c) => c.type === "string_lit" || c.type === "identifier")
    .map((c) => (c.type === "string_lit" ? unquote(c.text) : c.text));
  const body = named.find((c) => c.type === "body");
  const end = named.find((c) => c.type === "block_end");
  const attributes: HclAttribute[] = [];
  for (const a of body?.namedChildren ?? []) {
    if (a?.type !== "attribute") continue;
    const parts = a.namedChildren.filter((c): c is Node => !!c);
    const value = parts[1];
    if (!parts[0] || !value) continue;
    attributes.push({ name: parts[0].text, line: a.startPosition.row + 1, start: a.startIndex, end: a.endIndex, valueStart: value.startIndex, valueEnd: value.endIndex, valueText: value.text });
  }
  return {
    type,
    labels,
    line: n.startPosition.row + 1,
    start: n.startIndex,
    end: n.endIndex,
    bodyEnd: end?.startIndex ?? n.endIndex,
    attributes,
    blocks: body ? blocksOf(body) : [],
  };
}

/** A block label as written: `"name"` (no interpolation allowed in labels) or a bare identifier. */
function unquote(s: string): string {
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.replace(/^"|"$/g, "");
  }
}
