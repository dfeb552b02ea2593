import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseWithHashicorpHcl } from "@cdktf/hcl2json";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { hclParser, readTerraformDir, readTerraformPlanFile } from "@/lib/scan/terraform-files";
import { evaluateTerraformPlan } from "@/lib/scan/terraform-plan";
import { planCodeFix, planForgetGrant, planImportGrant, CodeFixError, type CodeFix } from "./code-fix";
import { locateIn, type TerraformSources } from "./hcl-sources";
import { hclString } from "./hcl-quote";

const seedDir = path.join(__dirname, "testdata/seed");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-codefix-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let sources: TerraformSources;
let findings: Finding[];
beforeAll(async () => {
  sources = await readTerraformDir(seedDir);
  ({ findings } = evaluateTerraformPlan({ plan: await readTerraformPlanFile(path.join(seedDir, "plan.json")), locate: locateIn(sources) }));
});

let n = 0;
/** Applies the diff to a fresh copy of the fixture with the real binary; returns the patched file's text. */
function applyWith(tool: "git" | "patch", fix: CodeFix): string {
  const dir = path.join(tmp, `copy-${n++}`);
  fs.cpSync(seedDir, dir, { recursive: true });
  const diffFile = path.join(dir, "fix.diff");
  fs.writeFileSync(diffFile, fix.diff);
  if (tool === "git") execFileSync("git", ["apply", "--check", diffFile], { cwd: dir });
  execFileSync(tool, tool === "git" ? ["apply", diffFile] : ["-p1", "--forward", "-i", diffFile], { cwd: dir });
  return fs.readFileSync(path.join(dir, fix.file), "utf8");
}

const network = () => findings.find((f) => f.ruleId === "network-role-scope-too-broad")!;
const SUBNET = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-seed/providers/Microsoft.Network/virtualNetworks/vnet-seed/subnets/snet-aks";

describe("fix as a code change", () => {
  it("narrows the scope in place; the patch applies with git apply and patch", async () => {
    const f = network();
    const fix = planCodeFix(f, f.fixes[0]!, sources);
    expect(fix.file).toBe("modules/aks/role_assignments.tf");
    for (const tool of ["git", "patch"] as const) {
      const text = applyWith(tool, fix);
      const block = (await hclParser()).parse(fix.file, text).blocks.find((b) => b.labels[1] === "control_plane_network")!;
      expect(block.attributes.find((a) => a.name === "scope")?.valueText).toBe(JSON.stringify(SUBNET));
      // The principal expression is kept as the code wrote it.
      expect(block.attributes.find((a) => a.name === "principal_id")?.valueText).toBe("azurerm_user_assigned_identity.control_plane.principal_id");
    }
  });

  it("repeats the block per resource with for_each, and hostile names stay text", async () => {
    const f = network();
    const hostile = ['/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/${file("/etc/passwd")}', '/subscriptions/x/a"b\n}\nresource "evil" "x" {%{ for i in [1] }'];
    const plan: FixPlan = {
      id: "per-resource",
      summary: "one grant per subnet\nresource \"x\" {",
      steps: hostile.map((scope) => ({ kind: "create-role-assignment", principalId: f.principalId!, principalType: "ServicePrincipal", roleDefinitionId: f.roleDefinitionId!, roleName: f.roleName!, scope })),
    };
    const fix = planCodeFix(f, plan, sources);
    const text = applyWith("git", fix);
    // tree-sitter-hcl and HashiCorp's own parser (hcl2json, HCL's Go code as WebAssembly) both read it, and see one resource more: none.
    const parsed = (await hclParser()).parse(fix.file, text);
    expect(parsed.blocks.map((b) => b.labels.join("."))).toEqual((await hclParser()).parse(fix.file, sources.files.find((x) => x.file === fix.file)!.text).blocks.map((b) => b.labels.join(".")));
    const json = (await parseWithHashicorpHcl(fix.file, text)) as { resource: Record<string, Record<string, { for_each: string }[]>> };
    expect(Object.keys(json.resource)).toEqual(["azurerm_role_assignment"]);
    const forEach = json.resource.azurerm_role_assignment!.control_plane_network![0]!.for_each;
    // Literal `${` and `%{` come back escaped as `$${` / `%%{`: text, not interpolation.
    for (const h of hostile) expect(forEach).toContain(JSON.stringify(h.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{")).slice(1, -1));
    expect(text).toMatch(/scope\s+= each\.value/);
  });

  it("removes the block when the fix only deletes the grant", () => {
    const f = findings.find((x) => x.iac?.address === "module.aks.azurerm_role_assignment.pod_identity_vmc")!;
    const plan: FixPlan = { id: "rm", summary: "delete", steps: [{ kind: "delete-role-assignment", roleAssignmentId: f.roleAssignmentId!, principalId: f.principalId!, roleName: f.roleName!, scope: f.scope! }] };
    const text = applyWith("patch", planCodeFix(f, plan, sources));
    expect(text).not.toContain('"pod_identity_vmc"');
    expect(text).toContain('"pod_identity_mio"');
  });

  it("refuses a plan it cannot write as a change to the block", () => {
    const f = network();
    expect(() => planCodeFix(f, { id: "x", summary: "manual", steps: [{ kind: "manual", description: "do it" }] }, sources)).toThrow(CodeFixError);
    expect(() => planCodeFix({ ...f, iac: undefined }, f.fixes[0]!, sources)).toThrow(/not about a Terraform-managed object/);
  });

  it("imports a live grant no state holds, and forgets one Azure no longer has", async () => {
    const grant = { id: "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/g\"${x}", scope: "/subscriptions/s", roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", principalId: "p" };
    const imported = applyWith("git", planImportGrant(grant, "reader", "apps.tf", sources, 'azurerm_user_assigned_identity.app["web"].principal_id'));
    const json = (await parseWithHashicorpHcl("apps.tf", imported)) as { import: { to: string; id: string }[] };
    expect(json.import[0]).toMatchObject({ to: "${azurerm_role_assignment.reader}", id: grant.id.replace("${", () => "$${") });
    expect(() => planImportGrant(grant, "bad name", "apps.tf", sources)).toThrow(CodeFixError);
    const forgotten = applyWith("patch", planForgetGrant(network(), sources));
    expect(forgotten).toMatch(/removed \{\n {2}from = azurerm_role_assignment\.control_plane_network/);
    expect(forgotten).not.toContain('resource "azurerm_role_assignment" "control_plane_network"');
  });

  it("quotes every value for HCL", () => {
    expect(hclString('a"b\\c\nd${e}%{f}')).toBe('"a\\"b\\\\c\\nd$${e}%%{f}"');
    expect(hclString("\u0000\u2028")).toBe('"\\u0000\\u2028"');
  });
});
