import { execFileSync } from "node:child_process";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import type { Finding, FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { emptyRenderContext, renderPlan } from "@/lib/remediation/render";
import { ChangeStatus } from "@/lib/store/audit";
import { addStorageAccount } from "@/lib/tenant/builder/resources";
import { blobContainerCondition } from "@/lib/tenant/builder/roles";
import { applyPlan, undoChange } from "./apply";
import { startHarness, type Harness } from "./testdata/harness";

/**
 * The fidelity tenant's app reads blobs of one container in every storage account of `beta`
 * (Storage Blob Data Reader at the subscription, conditioned on the container's name): the fix
 * moves the grant to the one account there, and must keep the condition.
 */
const CONDITION = blobContainerCondition("invoices", ["read"]);

function conditionTenant() {
  const t = fidelityTenant("fabrikam-apply-conditions");
  addStorageAccount(t.b, `/subscriptions/${t.beta}/resourceGroups/rg-beta`, "stbetaone");
  const grant = t.b.assign(`/subscriptions/${t.beta}`, "Storage Blob Data Reader", t.app, { condition: CONDITION });
  return { ...t, grant };
}

const creates = (plan: FixPlan) => plan.steps.filter((s): s is Extract<FixStep, { kind: "create-role-assignment" }> => s.kind === "create-role-assignment");

let h: Harness;
const t = conditionTenant();
let finding: Finding;

beforeAll(async () => {
  h = await startHarness({ tenant: t.tenant });
  const { findings } = await h.scan();
  finding = findings.find((f) => f.ruleId === "data-role-scope-too-broad" && normalizeId(f.roleAssignmentId ?? "") === normalizeId(t.grant))!;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe("a fix of a conditioned grant keeps its condition", () => {
  it("the plan re-creates the grant with the condition, verbatim", () => {
    expect(finding).toBeDefined();
    const steps = creates(finding.fixes[0]!);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s).toMatchObject({ condition: CONDITION, conditionVersion: "2.0" });
  });

  it("az passes --condition and --condition-version as single shell words", () => {
    const script = renderPlan(finding.fixes[0]!, "az", emptyRenderContext());
    // Run the script with `az` replaced by a function printing its arguments one per line.
    const args = execFileSync("bash", ["-c", `az() { [ "$1 $2 $3" = "role assignment create" ] && printf '%s\\n' "$@"; return 0; }\n${script}`], { encoding: "utf8" }).split("\n");
    expect(args[args.indexOf("--condition") + 1]).toBe(CONDITION);
    expect(args[args.indexOf("--condition-version") + 1]).toBe("2.0");
  });

  it("Terraform sets condition and condition_version on the azurerm_role_assignment", async () => {
    const hcl = renderPlan(finding.fixes[0]!, "terraform", emptyRenderContext());
    const parsed = (await parseHcl("fix.tf", hcl)) as { resource?: { azurerm_role_assignment?: Record<string, { condition?: string; condition_version?: string }[]> } };
    // Resources named remove_* adopt the grant being deleted (ignore_changes = all), they create nothing.
    const assignments = Object.entries(parsed.resource?.azurerm_role_assignment ?? {})
      .filter(([name]) => !name.startsWith("remove_"))
      .flatMap(([, blocks]) => blocks);
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments) expect(a).toMatchObject({ condition: CONDITION, condition_version: "2.0" });
  });

  it("Bicep sets condition and conditionVersion", () => {
    const bicep = renderPlan(finding.fixes[0]!, "bicep", emptyRenderContext());
    expect(bicep).toContain(`    condition: '${CONDITION.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`);
    expect(bicep).toContain(`    conditionVersion: '2.0'`);
  });

  it("the dry run says so, the apply creates the grant with it (read back), and undo re-creates the old grant with it", async () => {
    const { inventory } = await h.scan();
    const dry = await applyPlan(finding.fixes[0]!, { ...h.options(inventory, finding), dryRun: true });
    expect(dry.steps.filter((s) => s.op === "create-role-assignment").map((s) => s.description)).toEqual([expect.stringContaining(`with the condition ${CONDITION} (version 2.0)`)]);

    const applied = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(applied.status).toBe(ChangeStatus.Applied);
    const after = await h.scan();
    const created = creates(finding.fixes[0]!).map((c) => after.inventory.roleAssignments.find((a) => normalizeId(a.scope) === normalizeId(c.scope) && a.principalId === c.principalId)!);
    for (const a of created) expect(a).toMatchObject({ condition: CONDITION, conditionVersion: "2.0" });
    expect(after.inventory.roleAssignments.some((a) => normalizeId(a.id) === normalizeId(t.grant))).toBe(false);

    await undoChange(applied.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: t.beta });
    const restored = await h.scan();
    expect(restored.inventory.roleAssignments.find((a) => normalizeId(a.scope) === normalizeId(`/subscriptions/${t.beta}`) && a.principalId === t.app.principalId)).toMatchObject({ condition: CONDITION, conditionVersion: "2.0" });
  }, 60_000);
  it("a grant of the same role at the same scope without the condition is not counted as done: the step fails and nothing changes", async () => {
    const { inventory, findings } = await h.scan();
    const again = findings.find((f) => f.ruleId === "data-role-scope-too-broad" && normalizeId(f.scope ?? "") === normalizeId(`/subscriptions/${t.beta}`))!;
    const target = creates(again.fixes[0]!)[0]!;
    await h.azure.authorization(t.beta).roleAssignments.create(target.scope, crypto.randomUUID(), { roleDefinitionId: target.roleDefinitionId, principalId: target.principalId });
    const result = await applyPlan(again.fixes[0]!, h.options(inventory, again));
    expect(result.status).toBe(ChangeStatus.Failed);
    expect(result.failure).toMatchObject({ status: 409, code: "RoleAssignmentExists" });
    expect(result.failure!.message).toMatch(/already grants Storage Blob Data Reader .* with no condition; the plan wanted the condition .*'invoices'/);
    expect((await h.scan()).inventory.roleAssignments.filter((a) => a.principalId === t.app.principalId && a.condition === CONDITION)).toHaveLength(1);
  }, 60_000);
});
