// @ts-check
const path = require("node:path");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root: path.join(__dirname) },
  // Azure SDKs and the Kubernetes client are Node-only; keep them out of the bundler.
  serverExternalPackages: [
    "@kubernetes/client-node",
    "@azure/identity",
    "@azure/msal-node",
    "better-sqlite3",
    "node-forge",
    // The HCL parser loads its runtime and grammar .wasm files from these packages at run time.
    "web-tree-sitter",
    "@tree-sitter-grammars/tree-sitter-hcl",
  ],
};

module.exports = nextConfig;
