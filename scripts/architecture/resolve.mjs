// @ts-check
import fs from "node:fs";
import path from "node:path";

const extensions = [".ts", ".tsx", ".mjs", ".js", ".json"];

/**
 * Resolves an import specifier written in `fromFile` (absolute path) to a repo-relative file
 * path, the way tsconfig's `@/*` alias and relative imports resolve; undefined for packages.
 * @param {string} root absolute repo root
 * @param {string} fromFile absolute path of the importing file
 * @param {string} specifier
 */
export function resolveImport(root, fromFile, specifier) {
  let base;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") base = path.resolve(path.dirname(fromFile), specifier);
  else return undefined;
  const candidates = [base, ...extensions.map((e) => base + e), ...extensions.map((e) => path.join(base, `index${e}`))];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return toRepoPath(root, c);
    } catch {
      // try the next candidate
    }
  }
  // An unresolvable local import still names where it points (typecheck reports it).
  return toRepoPath(root, base);
}

/** @param {string} root @param {string} file */
export function toRepoPath(root, file) {
  return path.relative(root, file).split(path.sep).join("/");
}
