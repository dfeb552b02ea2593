import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import type { AzArg, Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { hostileTenant, ID_PAYLOADS, MARKER, TEXT_PAYLOADS } from "@/lib/tenant/hostile-names.testing";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { describePlans } from "../describe";
import { buildNameLookups } from "@/lib/inventory/names";
import { RENDER_FORMATS, type RenderFormat } from "./index";
import { bicepProblems, hclProblems, runUnderStubs, stubStrings, yamlProblems } from "./syntax.testing";

// The dashboard's download route reads the current scan; here it is the hostile tenant's.
const scan = vi.hoisted(() => ({ current: undefined as unknown }));
vi.mock("@/lib/scan/current-scan", () => ({ getCurrentScan: async () => scan.current }));
const { GET: download } = await import("@/app/findings/[id]/fix/download/route");

const marker = MARKER.toLowerCase();
// Longest first: a text payload begins with its id payload. ARM ids are trimmed where they are
// parsed (lib/model/scope.ts), so a payload at the end of an id may lose its trailing whitespace.
const payloads = [...new Set([...TEXT_PAYLOADS, ...ID_PAYLOADS].flatMap((p) => [p, p.trimEnd()]).map((p) => p.toLowerCase()))].sort((a, b) => b.length - a.length);

/** A string mentioning the marker holds it only inside the untouched payload, or is a sanitized name (letters, digits, - _ .) that carries no syntax. */
function intact(value: string): boolean {
  let rest = value.toLowerCase();
  if (!rest.includes(marker) || /^[a-z0-9_.-]+$/.test(rest)) return true;
  for (const p of payloads) rest = rest.split(p).join("");
  return !rest.includes(marker);
}

/** The hostile tenant with every cluster's OIDC issuer off and the managed pod-identity add-on on, so plans read the issuer at run time. */
function withoutIssuers(t: TenantFile): TenantFile {
  type AzureIdentity = { kind: string; metadata: { name: string; namespace?: string }; spec?: { type?: number; resourceID?: string; clientID?: string } };
  const copy = structuredClone(t) as Omit<TenantFile, "kubernetes"> & { kubernetes: Record<string, AzureIdentity[]> };
  for (const r of copy.resources) {
    if (String(r.type).toLowerCase() !== "microsoft.containerservice/managedclusters") continue;
    const p = r.properties as Record<string, unknown>;
    const identities = (copy.kubernetes[r.id] ?? []).filter((o) => o.kind === "AzureIdentity" && o.spec?.type === 0);
    p.oidcIssuerProfile = { enabled: false };
    p.securityProfile = { workloadIdentity: { enabled: false } };
    p.podIdentityProfile = {
      enabled: true,
      userAssignedIdentities: identities.map((o) => ({ name: `${o.metadata.name}-addon`, namespace: o.metadata.namespace, identity: { resourceId: o.spec!.resourceID, clientId: o.spec!.clientID } })),
    };
  }
  return copy as unknown as TenantFile;
}

interface Variant {
  name: string;
  inventory: Inventory;
  findings: Finding[];
}

const variants: Variant[] = [];
const figures = { plans: 0, renderings: 0, scripts: 0, azCalls: 0, kubectlCalls: 0, hcl: 0, bicep: 0, yaml: 0, commands: 0 };
afterAll(() => console.info(`hostile names: ${JSON.stringify(figures)}`));

beforeAll(() => {
  const demo = parseTenant(JSON.parse(readFileSync("fixtures/tenants/demo.json", "utf8")));
  const hostile = hostileTenant(demo);
  for (const [name, t] of [["hostile demo", hostile], ["hostile demo, issuers off", withoutIssuers(hostile)]] as const) {
    // Through JSON and the tenant validator, as a tenant file would come.
    const tenant = parseTenant(JSON.parse(JSON.stringify(t)));
    const inventory = buildInventory(rawFromTenant(tenant), { scannedAt: "2026-01-01T00:00:00.000Z" });
    variants.push({ name, inventory, findings: evaluateRules(inventory) });
  }
});

async function downloaded(v: Variant, finding: Finding, plan: FixPlan, format: RenderFormat): Promise<string> {
  scan.current = { inventory: v.inventory, findings: v.findings };
  const url = `http://localhost:3000/findings/${encodeURIComponent(finding.id)}/fix/download?plan=${encodeURIComponent(plan.id)}&format=${format}`;
  const res = await download(new Request(url), { params: Promise.resolve({ id: encodeURIComponent(finding.id) }) });
  expect(res.status, `${finding.id} ${plan.id} ${format}`).toBe(200);
  return res.text();
}

function scriptProblems(script: string): string[] {
  const run = runUnderStubs(script);
  figures.scripts++;
  figures.azCalls += run.calls.filter((c) => c.command === "az").length;
  figures.kubectlCalls += run.calls.filter((c) => c.command === "kubectl").length;
  const problems: string[] = [];
  if (run.status !== 0) problems.push(`exit status ${run.status}`);
  if (run.stderr !== "") problems.push(`stderr: ${run.stderr.slice(0, 300)}`);
  if (run.leftovers.length > 0) problems.push(`files created: ${run.leftovers.join(", ")}`);
  for (const s of stubStrings(run.calls)) if (!intact(s)) problems.push(`argument ${JSON.stringify(s.slice(0, 120))} holds the marker without the whole payload`);
  for (const c of run.calls) if (/[\u0085\u2028\u2029]/.test(c.stdin)) problems.push("kubectl stdin holds a raw NEL / U+2028 / U+2029");
  return problems;
}

async function renderingProblems(format: RenderFormat, text: string, plan: FixPlan): Promise<string[]> {
  switch (format) {
    case "az":
      return scriptProblems(text);
    case "terraform":
      figures.hcl++;
      return hclProblems(text, MARKER, intact);
    case "bicep":
      figures.bicep++;
      return bicepProblems(text, intact);
    case "yaml":
      figures.yaml++;
      return yamlProblems(text, plan.steps.flatMap((s) => (s.kind === "kubernetes-apply" ? [s.manifest] : [])));
  }
}

const azArgsOf = (fs: Finding[]): AzArg[] => fs.flatMap((f) => f.fixes.flatMap((p) => p.steps.flatMap((s) => (s.kind === "az-command" ? s.args : []))));

describe("every plan of a tenant whose every name is hostile", () => {
  it("has findings about hostile names, az commands that read values at run time, and Kubernetes objects", () => {
    for (const v of variants) {
      expect(v.findings.length, v.name).toBeGreaterThan(40);
      expect(v.findings.filter((f) => JSON.stringify(f).includes(MARKER)).length, v.name).toBeGreaterThan(40);
    }
    const args = azArgsOf(variants[1]!.findings);
    expect(args.some((a) => typeof a === "object" && "azOutput" in a)).toBe(true);
    expect(args.some((a) => typeof a === "object" && "join" in a)).toBe(true);
  });

  it("renders as az, Terraform, Bicep and YAML (through the dashboard's download route) that run no injected command and smuggle no token", { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    for (const v of variants) {
      for (const f of v.findings) {
        for (const plan of f.fixes) {
          figures.plans++;
          for (const format of RENDER_FORMATS) {
            figures.renderings++;
            const text = await downloaded(v, f, plan, format);
            for (const p of await renderingProblems(format, text, plan)) problems.push(`${v.name} / ${f.id} / ${plan.id} / ${format}: ${p}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(figures.azCalls).toBeGreaterThan(100);
    expect(figures.kubectlCalls).toBeGreaterThan(10);
  });

  it("shows step commands and manifests that run and parse as the same data", () => {
    const problems: string[] = [];
    for (const v of variants) {
      const names = buildNameLookups(v.inventory);
      for (const f of v.findings) {
        for (const [i, plan] of describePlans(f.fixes, names).entries()) {
          plan.steps.forEach((step, j) => {
            const source = f.fixes[i]!.steps[j]!;
            if (step.command) {
              figures.commands++;
              problems.push(...scriptProblems(`set -euo pipefail\n${step.command}\n`).map((p) => `${f.id} ${plan.id} step ${j}: ${p}`));
            }
            if (step.manifest && source.kind === "kubernetes-apply") problems.push(...yamlProblems(step.manifest, [source.manifest]).map((p) => `${f.id} ${plan.id} step ${j}: ${p}`));
          });
        }
      }
    }
    expect(problems).toEqual([]);
    expect(figures.commands).toBeGreaterThan(5);
  });
});
