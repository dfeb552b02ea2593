import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import type { TerraformSources } from "@/lib/iac/hcl-sources";
import { withManagedOrigin } from "@/lib/iac/managed-origin";
import type { ManagedObject } from "@/lib/iac/ownership";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { planApply } from "@/lib/remediation/apply/apply";
import { evaluateRules } from "@/lib/rules/evaluate";
import { readScanOwnership } from "@/lib/scan/terraform-ownership";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { loadTenantFile } from "@/lib/tenant/schema";
import { buildCodeFixView, patchFileName } from "./code-fix";
import { buildWizardModel, type WizardModel } from "./model";

const root = path.resolve(__dirname, "../..");
const demoTf = path.join(root, "fixtures/terraform/demo");
let inventory: Inventory;
let managed: Map<string, ManagedObject>;
let sources: TerraformSources | undefined;
let findings: Finding[];
beforeAll(async () => {
  inventory = buildInventory(rawFromTenant(await loadTenantFile(path.join(root, "fixtures/tenants/demo.json"))));
  ({ managed, sources } = await readScanOwnership(inventory, { states: [path.join(demoTf, "state")], dir: demoTf }));
  findings = evaluateRules(inventory).map((f) => withManagedOrigin(f, managed));
});

const acr = () => findings.find((f) => f.ruleId === "acr-scope-too-broad" && f.iac)!;
const network = () => findings.find((f) => f.ruleId === "network-role-scope-too-broad" && f.iac?.address.endsWith("control_plane_network"))!;

describe("the fix of a Terraform-managed grant as a code change", () => {
  it("writes the narrowed scope into the module's block as a patch", () => {
    const f = network();
    const view = buildCodeFixView(f, f.fixes[0]!, sources);
    expect(view && "diff" in view).toBe(true);
    if (!view || !("diff" in view)) return;
    expect(view.file).toBe("modules/aks/role_assignments.tf");
    expect(view.diff).toMatch(/^--- a\/modules\/aks\/role_assignments\.tf\n\+\+\+ b\/modules\/aks\/role_assignments\.tf/m);
    expect(view.diff).toContain("-  scope                = var.vnet_id");
    expect(view.diff).toMatch(/\+  scope\s+= "\/subscriptions\/.*\/virtualNetworks\/vnet-orders-prod\/subnets\//);
    expect(patchFileName(f, f.fixes[0]!)).toBe("scopewise-network-role-scope-too-broad-rescope.patch");
  });

  it("repeats the block per registry when the plan grants several", () => {
    const f = acr();
    const view = buildCodeFixView(f, f.fixes[0]!, sources)!;
    expect("diff" in view && view.diff).toMatch(/\+\s+for_each = toset\(\[/);
  });

  it("says why when no patch can be written, and nothing for an unmanaged grant", () => {
    const f = network();
    expect(buildCodeFixView(f, f.fixes[0]!, undefined)).toMatchObject({ origin: { address: f.iac!.address }, error: expect.stringMatching(/SCOPEWISE_TERRAFORM_DIR/) });
    const unmanaged = findings.find((x) => x.roleAssignmentId && !x.iac && x.fixes.length)!;
    expect(buildCodeFixView(unmanaged, unmanaged.fixes[0]!, sources)).toBeUndefined();
  });
});

describe("the wizard on a Terraform-managed grant", () => {
  const model = (f: Finding, step: string): Extract<WizardModel, { kind: "wizard" }> => {
    const m = buildWizardModel({
      findingId: f.id,
      query: { step, plan: f.fixes[0]!.id },
      inventory,
      findings,
      changes: [],
      ruleIds: [f.ruleId],
      actorName: "Dana",
      dryRun: vi.fn((x: Finding, plan: FixPlan, choices) => planApply(plan, { inventory, finding: x, choices, kubernetes: true }).result),
      codeFixOf: (x, chosen) => buildCodeFixView(x, chosen, sources),
    });
    if (m.kind !== "wizard") throw new Error(m.kind);
    return m;
  };

  it("previews the patch with its download, and sends Apply to the pipeline", () => {
    const f = network();
    const preview = model(f, "preview").body;
    expect(preview.step === "preview" && preview.codeFix).toMatchObject({ file: "modules/aks/role_assignments.tf", fileName: "scopewise-network-role-scope-too-broad-rescope.patch", downloadHref: expect.stringContaining("format=patch") });
    const apply = model(f, "apply").body;
    expect(apply.step === "apply" && apply.panel.terraform).toMatchObject({ origin: { address: "module.aks.azurerm_role_assignment.control_plane_network" }, previewHref: expect.stringContaining("step=preview") });
  });

  it("leaves an unmanaged grant's wizard as it was", () => {
    const f = findings.find((x) => x.ruleId === "subscription-scope-grant" && x.roleName === "Network Contributor" && !x.iac)!;
    const preview = model(f, "preview").body;
    expect(preview.step === "preview" && preview.codeFix).toBeFalsy();
    const apply = model(f, "apply").body;
    expect(apply.step === "apply" && apply.panel.terraform).toBeFalsy();
  });
});
