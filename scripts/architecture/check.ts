/**
 * `npm run arch [-- --json]`: the import graph of the repository against the layers table
 * (layers.mjs). Reports import circles, imports that run against the layers, I/O in pure
 * layers and source files over 300 lines. Exits 1 when there is a circle or a violation (the
 * line count is reported, not enforced: a long file is a place to look).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { impurity, isTestFile, layerOf, layerViolation } from "./layers.mjs";
import { resolveImport } from "./resolve.mjs";

export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
}

export interface ArchitectureReport {
  files: number;
  edges: number;
  /** Strongly connected components of more than one file (or a file importing itself). */
  circles: string[][];
  violations: { from: string; to: string; problem: string }[];
  /** Non-test source files over the limit, longest first. */
  longFiles: { file: string; lines: number }[];
}

const SOURCE = /\.(ts|tsx|mts|mjs)$/;
export const LONG_FILE_LINES = 300;

export function sourceFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return out
    .split("\n")
    .filter((f) => SOURCE.test(f) && !f.endsWith(".d.ts") && fs.existsSync(path.join(root, f)))
    .sort();
}

export function importsOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** Tarjan's strongly connected components, iteratively (deep chains must not overflow the stack). */
export function circlesOf(nodes: string[], edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of nodes) {
    if (idx.has(start)) continue;
    const work: { node: string; it: Iterator<string> }[] = [];
    const enter = (n: string) => {
      idx.set(n, index);
      low.set(n, index);
      index++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, it: (edges.get(n) ?? new Set<string>()).values() });
    };
    enter(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const next = top.it.next();
      if (!next.done) {
        const m = next.value;
        if (!idx.has(m)) enter(m);
        else if (onStack.has(m)) low.set(top.node, Math.min(low.get(top.node)!, idx.get(m)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === idx.get(top.node)) {
        const scc: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          scc.push(m);
        } while (m !== top.node);
        const selfLoop = scc.length === 1 && edges.get(scc[0]!)?.has(scc[0]!);
        if (scc.length > 1 || selfLoop) out.push(scc.sort());
      }
    }
  }
  return out.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

export function analyze(root: string): ArchitectureReport {
  const files = sourceFiles(root);
  const known = new Set(files);
  const edges = new Map<string, Set<string>>();
  const violations: ArchitectureReport["violations"] = [];
  const longFiles: ArchitectureReport["longFiles"] = [];
  let edgeCount = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (!isTestFile(file) && layerOf(file) && lines > LONG_FILE_LINES) longFiles.push({ file, lines });
    const targets = new Set<string>();
    for (const specifier of importsOf(text)) {
      const to = resolveImport(root, path.join(root, file), specifier);
      if (to === undefined) {
        const problem = impurity(file, specifier);
        if (problem) violations.push({ from: file, to: specifier, problem });
        continue;
      }
      if (!known.has(to)) continue;
      targets.add(to);
      edgeCount++;
      const problem = layerViolation(file, to);
      if (problem) violations.push({ from: file, to, problem });
    }
    edges.set(file, targets);
  }
  longFiles.sort((a, b) => b.lines - a.lines);
  // Circles among test helpers do not shape the product; only product files count.
  const product = files.filter((f) => !isTestFile(f));
  const productEdges = new Map([...edges].filter(([f]) => !isTestFile(f)).map(([f, t]) => [f, new Set([...t].filter((x) => !isTestFile(x)))]));
  return { files: files.length, edges: edgeCount, circles: circlesOf(product, productEdges), violations, longFiles };
}

function main(): void {
  const root = path.resolve(__dirname, "../..");
  const report = analyze(root);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`${report.files} files, ${report.edges} local imports`);
    console.log(`import circles: ${report.circles.length}`);
    for (const c of report.circles) console.log(`  ${c.join(" ⇄ ")}`);
    console.log(`imports against the layers: ${report.violations.length}`);
    for (const v of report.violations) console.log(`  ${v.from}: ${v.problem}`);
    console.log(`source files over ${LONG_FILE_LINES} lines: ${report.longFiles.length}`);
    for (const f of report.longFiles) console.log(`  ${f.lines} ${f.file}`);
  }
  if (report.circles.length || report.violations.length) process.exitCode = 1;
}

if (require.main === module) main();
