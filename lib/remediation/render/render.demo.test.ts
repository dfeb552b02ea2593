import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import { applicableFormats, renderContextFor, renderPlan } from "./index";

let inventory: Inventory;
let findings: Finding[];

beforeAll(() => {
  const tenant = parseTenant(JSON.parse(readFileSync("fixtures/tenants/demo.json", "utf8")));
  inventory = buildInventory(rawFromTenant(tenant), { scannedAt: "2026-01-01T00:00:00.000Z" });
  findings = evaluateRules(inventory);
});

const byRule = (ruleId: string) => {
  const f = findings.find((x) => x.ruleId === ruleId);
  if (!f) throw new Error(`the demo tenant has no ${ruleId} finding`);
  return f;
};

describe("renderings of the demo tenant's findings", () => {
  it("acr-scope-too-broad: Terraform creates the narrower AcrPull grants and adopts the scanned assignment for removal", async () => {
    const f = byRule("acr-scope-too-broad");
    const plan = f.fixes[0]!;
    const tf = renderPlan(plan, "terraform", renderContextFor(inventory, plan));
    const hcl = await parseHcl("main.tf", tf);
    const creates = plan.steps.filter((s) => s.kind === "create-role-assignment");
    const ras = Object.entries(hcl.resource.azurerm_role_assignment as Record<string, Record<string, string>[]>);
    expect(ras.filter(([n]) => !n.startsWith("remove_")).map(([, b]) => b[0]!.scope).sort()).toEqual(creates.map((s) => s.scope).sort());
    const imports = hcl.import as { to: string; id: string }[];
    expect(imports.map((i) => i.id)).toEqual([f.roleAssignmentId]);
    const adopted = ras.find(([n]) => imports[0]!.to === `\${azurerm_role_assignment.${n}}`)![1][0]!;
    const scanned = inventory.roleAssignments.find((a) => a.id === f.roleAssignmentId)!;
    expect(adopted.scope).toBe(scanned.scope);
    expect(adopted.principal_id).toBe(scanned.principalId);
    expect(adopted.role_definition_id!.toLowerCase()).toContain(scanned.roleDefinitionName.toLowerCase());
  });

  it("network-role-scope-too-broad: the az script is valid bash granting at the narrower scopes before deleting", () => {
    const f = byRule("network-role-scope-too-broad");
    const plan = f.fixes[0]!;
    const script = renderPlan(plan, "az", renderContextFor(inventory, plan));
    const file = join(mkdtempSync(join(tmpdir(), "scopewise-demo-")), "fix.sh");
    writeFileSync(file, script);
    execFileSync("bash", ["-n", file]);
    const flat = script.replace(/ \\\n\s+/g, " ");
    const createAt = flat.indexOf("az role assignment create");
    expect(createAt).toBeGreaterThan(0);
    expect(flat.indexOf(`az role assignment delete --ids ${f.roleAssignmentId}`)).toBeGreaterThan(createAt);
  });

  it("pod-identity-deprecated: the migration's YAML annotates service accounts, labels pod templates and deletes the bindings", () => {
    const f = byRule("pod-identity-deprecated");
    const plan = f.fixes.find((p) => p.steps.some((s) => s.kind === "kubernetes-delete"))!;
    expect(applicableFormats(plan)).toContain("yaml");
    const text = renderPlan(plan, "yaml", renderContextFor(inventory, plan));
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string; annotations?: Record<string, string> }; spec?: { template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string } } } });
    const sas = docs.filter((d) => d.kind === "ServiceAccount");
    expect(sas.length).toBeGreaterThan(0);
    for (const sa of sas) {
      const clientId = sa.metadata.annotations?.["azure.workload.identity/client-id"];
      expect(inventory.identities.some((i) => i.clientId === clientId), `client id ${clientId}`).toBe(true);
    }
    const deployments = docs.filter((d) => d.kind === "Deployment");
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) expect(d.spec!.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    const bindings = plan.steps.filter((s) => s.kind === "kubernetes-delete" && s.objectKind === "AzureIdentityBinding");
    for (const b of bindings) {
      if (b.kind !== "kubernetes-delete") continue;
      expect(text).toContain(`delete azureidentitybinding.aadpodidentity.k8s.io -n ${b.namespace} ${b.name}`);
    }
  });

  it("renders every plan of every finding in each applicable format with no placeholder", async () => {
    let count = 0;
    for (const f of findings) {
      for (const plan of f.fixes) {
        const ctx = renderContextFor(inventory, plan);
        for (const format of applicableFormats(plan)) {
          const text = renderPlan(plan, format, ctx);
          expect(text, `${f.id}/${plan.id}/${format}`).not.toMatch(/<[a-z_ -]+>|undefined|\bnull\b|Nothing to render/i);
          if (format === "terraform") await parseHcl(`${f.id}.tf`, text);
          if (format === "yaml") expect(parseAllDocuments(text).every((d) => d.errors.length === 0)).toBe(true);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(50);
  });
});
