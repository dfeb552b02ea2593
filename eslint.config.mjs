import tseslint from "typescript-eslint";

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
    // Import boundary: UI components never reach Azure or Kubernetes directly (DESIGN.md).
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/azure", "@/lib/azure/*", "@/lib/kubernetes", "@/lib/kubernetes/*", "**/lib/azure", "**/lib/azure/*", "**/lib/kubernetes", "**/lib/kubernetes/*"],
              message: "components/ must not import lib/azure or lib/kubernetes; read data through lib/inventory in a server component.",
            },
            { group: ["@azure/*", "@kubernetes/*"], message: "components/ must not import Azure or Kubernetes SDKs." },
          ],
        },
      ],
    },
  },
  {
    // Pure layers: no I/O libraries.
    files: ["lib/rules/**/*.ts", "lib/graph/**/*.ts", "lib/roles/**/*.ts", "lib/model/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // Adapters (wire → model) are pure and may be shared; readers and stores are not.
              group: ["@/lib/azure/*", "@/lib/kubernetes/*", "@/lib/store*", "**/lib/azure/*", "**/lib/kubernetes/*", "!**/*.adapter"],
              message: "rules, graph, roles and model are pure: no I/O layers.",
            },
            { group: ["node:fs", "node:https", "node:http", "fs", "https", "http", "@azure/*", "@kubernetes/*"], message: "rules, graph, roles and model are pure: no I/O." },
          ],
        },
      ],
    },
  },
);
