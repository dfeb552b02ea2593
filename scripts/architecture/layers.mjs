// @ts-check
/**
 * The layers table: the one place that says which part of Scopewise may import which.
 * ESLint's `scopewise/layers` rule (eslint-layers.mjs) and the import-graph check
 * (`npm run arch`, scripts/architecture/check.ts) are both generated from it, and
 * docs/architecture.md explains it. Arrows run one way: a layer imports only the layers in
 * its `may` list, never one above it.
 *
 * Test code (`*.test.ts(x)`, `*.testing.ts`, `lib/testing/`, `e2e/`) may import any layer:
 * tests assemble the system. Files of the same layer import each other freely (cycles are
 * refused separately).
 */

/**
 * @typedef {object} Layer
 * @property {string} name
 * @property {string[]} paths Files or folders (repo-relative, no leading ./) of this layer.
 * @property {string[]} may The layers this one may import.
 * @property {boolean} [pure] No I/O: no node I/O modules, no Azure or Kubernetes SDKs.
 * @property {boolean} [noSdk] No Azure or Kubernetes SDK (`@azure/*`, `@kubernetes/*`), not even its types:
 *   the layer reaches Azure and clusters only through the functions of lib/azure and lib/kubernetes.
 * @property {string[]} [deny] Paths inside allowed layers this layer still may not import.
 * @property {string} why One line for docs/architecture.md.
 */

/** Lowest first. @type {Layer[]} */
export const layers = [
  { name: "model", paths: ["lib/model"], may: [], pure: true, why: "Domain types, wire types and field readers, scope ids, vocabulary: what every layer speaks." },
  { name: "env", paths: ["lib/env.ts"], may: ["model"], why: "Configuration, read and validated once." },
  { name: "roles", paths: ["lib/roles"], may: ["model"], pure: true, why: "Built-in role catalog, permission matching and role classification." },
  {
    name: "iac",
    paths: ["lib/iac"],
    may: ["model", "roles"],
    pure: true,
    why: "Terraform plan and state JSON, HCL locations, ownership and drift, fixes as code changes: text in, model out.",
  },
  { name: "tenant", paths: ["lib/tenant"], may: ["model", "roles"], why: "Tenant files: validation, wire collection from a file, generator and builder." },
  { name: "emulator", paths: ["emulator"], may: ["model", "roles", "tenant"], why: "The local Azure + Kubernetes emulator (a separate server, not a mock)." },
  { name: "fixtures", paths: ["fixtures"], may: ["model", "roles", "tenant"], why: "Tenant files and the demo scenario." },
  { name: "azure", paths: ["lib/azure"], may: ["model", "env"], why: "Every ARM, Resource Graph and Microsoft Graph read and write, through the official SDKs." },
  { name: "kubernetes", paths: ["lib/kubernetes"], may: ["model", "env"], why: "Every Kubernetes API read and write (@kubernetes/client-node)." },
  { name: "store", paths: ["lib/store"], may: ["model", "env"], why: "Persistence: scan history, jobs, sessions, audit log (SQLite or PostgreSQL)." },
  { name: "auth", paths: ["lib/auth"], may: ["model", "env", "azure", "store"], why: "Sign-in, sessions, the actor behind a request." },
  {
    name: "inventory",
    paths: ["lib/inventory"],
    may: ["model", "env", "roles", "azure", "kubernetes"],
    why: "Reads a tenant (lib/inventory/scan/) and builds the Inventory from wire shapes (pure).",
  },
  {
    name: "rules",
    paths: ["lib/rules"],
    may: ["model", "roles", "inventory"],
    pure: true,
    deny: ["lib/inventory/scan"],
    why: "The 27 rules: Inventory in, findings out, no I/O.",
  },
  { name: "graph", paths: ["lib/graph"], may: ["model", "roles", "inventory", "rules"], pure: true, deny: ["lib/inventory/scan"], why: "The identity graph: relations table, views, layout input." },
  {
    name: "remediation",
    paths: ["lib/remediation"],
    may: ["model", "env", "roles", "iac", "inventory", "rules", "azure", "kubernetes", "store"],
    noSdk: true,
    deny: ["lib/inventory/scan"],
    why: "Fix plans resolved into operations, rendered (az, Terraform, Bicep, YAML) and applied; every read and write through lib/azure and lib/kubernetes.",
  },
  {
    name: "scan",
    paths: ["lib/scan"],
    may: ["model", "env", "roles", "iac", "tenant", "azure", "kubernetes", "store", "auth", "inventory", "rules", "graph", "remediation"],
    why: "Orchestration: the current scan, scan jobs, history and comparison, connections from configuration.",
  },
  {
    name: "cli",
    paths: ["lib/cli"],
    may: ["model", "env", "roles", "iac", "tenant", "azure", "kubernetes", "store", "inventory", "rules", "graph", "remediation", "scan", "emulator"],
    why: "The scan and fix commands for CI.",
  },
  {
    name: "components",
    paths: ["components"],
    may: ["model", "roles", "iac", "inventory", "rules", "graph", "remediation", "scan"],
    deny: ["lib/inventory/scan", "lib/remediation/apply"],
    noSdk: true,
    why: "React components and their view models; data comes through lib/scan, never from Azure or Kubernetes directly.",
  },
  {
    name: "app",
    paths: ["app", "proxy.ts", "instrumentation.ts", "instrumentation-node.ts"],
    may: ["model", "env", "roles", "iac", "store", "auth", "inventory", "rules", "graph", "remediation", "scan", "components"],
    noSdk: true,
    why: "Next.js routes: thin pages and route handlers that validate input and call lib/scan.",
  },
  {
    name: "tools",
    paths: ["scripts", "bench"],
    may: ["model", "env", "roles", "iac", "tenant", "azure", "kubernetes", "store", "auth", "inventory", "rules", "graph", "remediation", "scan", "cli", "emulator", "fixtures", "components"],
    why: "demo, gen-tenant, benchmarks and this check.",
  },
];

/** Node modules and SDKs a pure layer may not import. */
export const ioModules = ["fs", "node:fs", "fs/promises", "node:fs/promises", "http", "node:http", "https", "node:https", "net", "node:net", "child_process", "node:child_process", "better-sqlite3", "pg"];
export const ioPackagePrefixes = ["@azure/", "@kubernetes/"];

/** Test code may import anything. */
export function isTestFile(file) {
  return /\.test\.tsx?$/.test(file) || /\.testing\.tsx?$/.test(file) || file.startsWith("lib/testing/") || file.startsWith("e2e/") || /(^|\/)testdata\//.test(file);
}

/** The layer a repo-relative file belongs to, or undefined (config files, tests' own folders). */
export function layerOf(file) {
  let best;
  for (const layer of layers) {
    for (const p of layer.paths) {
      if (file === p || file.startsWith(`${p}/`)) {
        if (!best || p.length > best.len) best = { layer, len: p.length };
      }
    }
  }
  return best?.layer;
}

/**
 * Why `from` may not import `to` (repo-relative resolved paths), or undefined when it may.
 * @param {string} from
 * @param {string} to
 */
export function layerViolation(from, to) {
  if (isTestFile(from)) return undefined;
  const a = layerOf(from);
  const b = layerOf(to);
  if (!a || !b) return undefined;
  if (a.name !== b.name && !a.may.includes(b.name)) {
    return `${a.name} may not import ${b.name} (${to}): ${a.name} may import ${a.may.length ? a.may.join(", ") : "no other layer"}`;
  }
  for (const d of a.deny ?? []) {
    if (to === d || to.startsWith(`${d}/`) || to.startsWith(`${d}.`)) return `${a.name} may not import ${d} (${to})`;
  }
  if (isTestFile(to)) return `${a.name} may not import test code (${to})`;
  return undefined;
}

/**
 * Why a file of a pure or SDK-free layer may not import this bare module, or undefined.
 * @param {string} from
 * @param {string} specifier
 */
export function impurity(from, specifier) {
  if (isTestFile(from)) return undefined;
  const a = layerOf(from);
  if (!a) return undefined;
  const sdk = ioPackagePrefixes.some((p) => specifier.startsWith(p));
  if (a.pure && (sdk || ioModules.includes(specifier))) return `${a.name} is pure: no I/O modules or SDKs (${specifier})`;
  if (a.noSdk && sdk) return `${a.name} reaches Azure and Kubernetes only through lib/azure and lib/kubernetes, not the SDK (${specifier})`;
  return undefined;
}
