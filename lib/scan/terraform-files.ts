import { readFile, readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { loadHclParser, type HclParser } from "@/lib/iac/hcl";
import { readTerraformSources, type TerraformSources } from "@/lib/iac/hcl-sources";
import { IacInputError } from "@/lib/iac/input-error";
import { readTerraformPlan, readTerraformState, type TerraformPlan, type TerraformState } from "@/lib/iac/terraform-json";

/**
 * Reads Terraform inputs from disk for lib/iac, which only takes text: plan and state JSON
 * files, a root module's `.tf` files and the modules it calls, and the HCL grammar's
 * WebAssembly from the installed npm packages.
 */
async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new IacInputError(file, `cannot read the ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function readTerraformPlanFile(file: string): Promise<TerraformPlan> {
  return readTerraformPlan(await readText(file, "Terraform plan JSON"), file);
}

export async function readTerraformStateFile(file: string): Promise<TerraformState> {
  return readTerraformState(await readText(file, "Terraform state JSON"), file);
}

/** Every `*.json` state in a directory (sorted), or the one file given. */
export async function readTerraformStates(paths: string[]): Promise<TerraformState[]> {
  const out: TerraformState[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => undefined);
    if (!st) throw new IacInputError(p, "does not exist");
    if (!st.isDirectory()) {
      out.push(await readTerraformStateFile(p));
      continue;
    }
    const names = (await readdir(p)).filter((n) => n.endsWith(".json")).sort();
    if (names.length === 0) throw new IacInputError(p, "has no .json state files");
    for (const n of names) out.push(await readTerraformStateFile(join(p, n)));
  }
  return out;
}

let parser: Promise<HclParser> | undefined;

/**
 * The path of an installed package's file, resolved at run time from the project directory.
 * Not `require.resolve` in place: Next's bundler would turn a `.wasm` request into a
 * WebAssembly module of its own (and scan node_modules for it) instead of leaving a path to read.
 */
function installedFile(specifier: string): string {
  try {
    return createRequire(join(process.cwd(), "package.json")).resolve(specifier);
  } catch (err) {
    throw new IacInputError(specifier, `cannot be found from ${process.cwd()}, where Scopewise runs: ${(err as Error).message}`);
  }
}

/** The HCL parser, from web-tree-sitter's runtime and tree-sitter-hcl's grammar as installed. */
export function hclParser(): Promise<HclParser> {
  parser ??= (async () =>
    loadHclParser({
      runtime: await readFile(installedFile("web-tree-sitter/tree-sitter.wasm")),
      language: await readFile(installedFile("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm")),
    }))();
  return parser;
}

/** Parses a root module directory and the local modules it calls; file names in the result are relative to `dir`. */
export async function readTerraformDir(dir: string): Promise<TerraformSources> {
  const root = resolve(dir);
  const readDir = async (rel: string) => {
    const abs = resolve(root, rel);
    const st = await stat(abs).catch(() => undefined);
    if (!st?.isDirectory()) return undefined;
    const names = (await readdir(abs)).filter((n) => n.endsWith(".tf")).sort();
    return Promise.all(
      names.map(async (n) => ({ file: relative(root, join(abs, n)).split(sep).join("/"), text: await readText(join(abs, n), "Terraform source") })),
    );
  };
  return readTerraformSources(await hclParser(), readDir, dir);
}
