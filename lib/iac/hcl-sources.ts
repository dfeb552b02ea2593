import { configAddress, withModule } from "./address";
import type { SourceLocation } from "./finding-origin";
import type { HclAttribute, HclBlock, HclFile, HclParser } from "./hcl";
import { IacInputError } from "./input-error";

/** One `.tf` file of a directory: its path relative to the directory read first, and its text. */
export interface HclSourceFile {
  file: string;
  text: string;
}

/** Lists the `.tf` files directly in `dir` (relative, `/`-separated); undefined when there is no such directory. */
export type ReadTfDir = (dir: string) => Promise<HclSourceFile[] | undefined>;

/** A resource block found in the sources, with the module it belongs to. */
export interface SourceBlock extends SourceLocation {
  /** Configuration address (module path + resource, no instance keys): `module.aks.azurerm_role_assignment.acr`. */
  address: string;
  block: HclBlock;
}

/** A configuration's HCL: every file parsed, every resource and module block located. */
export interface TerraformSources {
  files: HclFile[];
  /** Configuration address → block. */
  blocks: Map<string, SourceBlock>;
  /** Module calls whose source is not a local directory (registry, git): not followed. */
  notFollowed: string[];
}

/**
 * Reads a root module and, through `module` blocks with a local `source` ("./…", "../…"),
 * the modules it calls. A root directory without `.tf` files, or HCL that does not parse,
 * is an error naming the file and line: a configuration read in part would place findings
 * in the wrong file or nowhere.
 */
export async function readTerraformSources(parser: HclParser, readDir: ReadTfDir, rootLabel = "."): Promise<TerraformSources> {
  const out: TerraformSources = { files: [], blocks: new Map(), notFollowed: [] };
  const root = await readDir(".");
  if (!root) throw new IacInputError(rootLabel, "is not a directory");
  if (root.length === 0) throw new IacInputError(rootLabel, "has no .tf files: pass the directory of the root module (where terraform plan runs)");
  await readModule(parser, readDir, ".", root, "", out, new Set());
  return out;
}

async function readModule(parser: HclParser, readDir: ReadTfDir, dir: string, files: HclSourceFile[], modulePath: string, out: TerraformSources, stack: Set<string>): Promise<void> {
  stack.add(dir);
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    const parsed = parser.parse(f.file, f.text);
    out.files.push(parsed);
    for (const b of parsed.blocks) {
      if ((b.type === "resource" || b.type === "data") && b.labels.length === 2) {
        const local = `${b.type === "data" ? "data." : ""}${b.labels[0]}.${b.labels[1]}`;
        out.blocks.set(withModule(modulePath, local), { address: withModule(modulePath, local), file: f.file, line: b.line, block: b });
      } else if (b.type === "module" && b.labels.length === 1) {
        const call = withModule(modulePath, `module.${b.labels[0]}`);
        out.blocks.set(call, { address: call, file: f.file, line: b.line, block: b });
        const source = stringValue(b.attributes.find((a) => a.name === "source"));
        if (!source || !/^\.\.?\//.test(source)) {
          out.notFollowed.push(`${call} (${source ?? "no source"})`);
          continue;
        }
        const childDir = joinPath(dir, source);
        if (stack.has(childDir)) throw new IacInputError(f.file, `module "${b.labels[0]}" calls its own directory ${source}`, b.line);
        const childFiles = await readDir(childDir);
        if (!childFiles || childFiles.length === 0) {
          throw new IacInputError(f.file, `module "${b.labels[0]}" source "${source}" is ${childFiles ? "a directory without .tf files" : "not a directory"}`, b.line);
        }
        await readModule(parser, readDir, childDir, childFiles, call, out, stack);
      }
    }
  }
  stack.delete(dir);
}

/** The value of a plain string attribute (`source = "./aks"`); undefined for expressions. */
export function stringValue(attr: HclAttribute | undefined): string | undefined {
  if (!attr || !/^"[^"$%\\]*"$/.test(attr.valueText)) return undefined;
  return attr.valueText.slice(1, -1);
}

/** `/`-separated join that resolves `.` and `..` (module sources are relative paths). */
export function joinPath(dir: string, rel: string): string {
  const parts: string[] = [];
  for (const p of `${dir}/${rel}`.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(p);
  }
  return parts.length ? parts.join("/") : ".";
}

/** Locates a resource instance address's block (instance keys ignored). */
export function locateIn(sources: TerraformSources): (address: string) => SourceLocation | undefined {
  return (address) => {
    const key = configAddress(address) ?? address;
    const b = sources.blocks.get(key);
    return b ? { file: b.file, line: b.line } : undefined;
  };
}
