// @ts-check
import path from "node:path";
import { impurity, layerViolation } from "./layers.mjs";
import { resolveImport, toRepoPath } from "./resolve.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/**
 * `scopewise/layers`: refuses an import that runs against the layers table (layers.mjs) or
 * brings I/O into a pure layer. Relative and `@/` imports are resolved first, so
 * `../azure/clients` is caught as surely as `@/lib/azure/clients`.
 * @type {import("eslint").Rule.RuleModule}
 */
const layersRule = {
  meta: { type: "problem", docs: { description: "imports follow the layers table (scripts/architecture/layers.mjs)" }, schema: [] },
  create(context) {
    const file = toRepoPath(root, context.filename);
    /** @param {any} node @param {string} specifier */
    function check(node, specifier) {
      const target = resolveImport(root, path.join(root, file), specifier);
      const problem = target === undefined ? impurity(file, specifier) : layerViolation(file, target);
      if (problem) context.report({ node, message: problem });
    }
    return {
      ImportDeclaration(node) {
        check(node, String(node.source.value));
      },
      ExportAllDeclaration(node) {
        check(node, String(node.source.value));
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, String(node.source.value));
      },
      ImportExpression(node) {
        if (node.source.type === "Literal" && typeof node.source.value === "string") check(node, node.source.value);
      },
    };
  },
};

export const layersPlugin = { rules: { layers: layersRule } };
