import { describe, expect, it } from "vitest";
import type { FixPlan } from "@/lib/model/findings";
import { renderContextFor } from "@/lib/remediation/render";
import { BuiltinRoleId, roleDefinitionIdOf } from "@/lib/roles/catalog";
import { buildPreviewTabs, downloadHref, initialTab } from "./preview";
import { ACR_A, PRINCIPAL, RG_ACR, wizardInventory } from "./wizard.testing";

const plan: FixPlan = {
  id: "rescope",
  summary: "narrow",
  steps: [
    { kind: "create-role-assignment", principalId: PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionId: roleDefinitionIdOf(BuiltinRoleId.AcrPull), roleName: "AcrPull", scope: ACR_A },
    { kind: "delete-role-assignment", roleAssignmentId: `${RG_ACR}/providers/Microsoft.Authorization/roleAssignments/a1`, principalId: PRINCIPAL, roleName: "AcrPull", scope: RG_ACR },
  ],
};

describe("preview tabs", () => {
  it("renders applicable formats with the real ids and explains the others", () => {
    const tabs = buildPreviewTabs("f-1", plan, renderContextFor(wizardInventory(), plan), { step: "preview", planId: "rescope", scopes: [ACR_A] });
    const byFormat = Object.fromEntries(tabs.map((t) => [t.format, t]));
    expect(byFormat.az!.applicable).toBe(true);
    expect(byFormat.az!.text).toContain(ACR_A);
    expect(byFormat.az!.text).toContain(PRINCIPAL);
    expect(byFormat.terraform!.text).toContain("azurerm_role_assignment");
    expect(byFormat.yaml!.applicable).toBe(false);
    expect(byFormat.yaml!.text).toMatch(/Nothing to render as YAML/);
    expect(byFormat.az!.downloadHref).toBe(`/findings/f-1/fix/download?plan=rescope&format=az&scope=${encodeURIComponent(ACR_A)}`);
    expect(initialTab(tabs, "yaml")).toBe("az");
    expect(initialTab(tabs, "bicep")).toBe("bicep");
  });

  it("download links carry the chosen role", () => {
    expect(downloadHref("f", { step: "preview", planId: "p", roleDefinitionId: "/r" }, "bicep")).toBe("/findings/f/fix/download?plan=p&format=bicep&role=%2Fr");
  });
});
