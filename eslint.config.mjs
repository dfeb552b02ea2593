import tseslint from "typescript-eslint";
import { layersPlugin } from "./scripts/architecture/eslint-layers.mjs";

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "artifacts/**", ".data/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Imports follow the layers table (scripts/architecture/layers.mjs; docs/architecture.md):
    // every import is resolved and checked against it, and pure layers take no I/O.
    files: ["**/*.{ts,tsx,mts,mjs}"],
    plugins: { scopewise: layersPlugin },
    rules: { "scopewise/layers": "error" },
  },
);
