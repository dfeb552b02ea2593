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
    // The HCL parser's runtime: its JavaScript loads from node_modules; both .wasm files are read from there at run time (lib/scan/terraform-files.ts).
    "web-tree-sitter",
  ],
};

module.exports = nextConfig;
