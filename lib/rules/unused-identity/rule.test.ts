import { describe, expect, it } from "vitest";
import { clusterId, managedCluster, miPrincipal, RG_ID, ROLE, roleAssignment, serviceAccount, SUB_ID, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { buildTenant, run } from "../cluster.testing";

const STORAGE = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stexports`;

describe("unused-identity", () => {
  it("fail-unreferenced: an identity with a role that nothing references", () => {
    const etl = uai("id-legacy-etl");
    const ra = roleAssignment(STORAGE, ROLE.Contributor, etl.properties.principalId);
    const [f, ...rest] = run("unused-identity", tenant({ resources: [etl], principals: [miPrincipal(etl)], roleAssignments: [ra] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "unused-identity", severity: "low", principalId: etl.properties.principalId, identityName: "id-legacy-etl", roleAssignmentId: ra.id });
    expect(f!.targetIds).toEqual([etl.id, ra.id]);
    expect(f!.fixes[0]!.steps.map((s) => s.kind)).toEqual(["manual", "delete-role-assignment", "delete-managed-identity"]);
  });

  it("pass-attached-to-resource: an Automation account's identity block references it", () => {
    const deployer = uai("id-deployer");
    const automation = {
      id: `${RG_ID}/providers/Microsoft.Automation/automationAccounts/aa-ops`,
      name: "aa-ops",
      type: "Microsoft.Automation/automationAccounts",
      location: "westeurope",
      identity: { type: "UserAssigned", userAssignedIdentities: { [deployer.id.toLowerCase()]: { principalId: deployer.properties.principalId, clientId: deployer.properties.clientId } } },
      properties: {},
    };
    const t = tenant({ resources: [deployer, automation], principals: [miPrincipal(deployer)], roleAssignments: [roleAssignment(RG_ID, ROLE.Owner, deployer.properties.principalId)] });
    expect(run("unused-identity", t)).toEqual([]);
  });

  it("pass-no-roles / pass-service-account: no role assignments, or referenced only by a ServiceAccount annotation", () => {
    const idle = uai("id-idle");
    const annotated = uai("id-annotated");
    const t = tenant({
      resources: [idle, annotated, managedCluster("aks")],
      principals: [miPrincipal(idle), miPrincipal(annotated)],
      roleAssignments: [roleAssignment(SUB_ID, ROLE.Reader, annotated.properties.principalId)],
      kubernetes: { [clusterId("aks")]: [serviceAccount("orders", "sync", annotated.properties.clientId)] },
    });
    expect(run("unused-identity", t)).toEqual([]);
  });

  it("edge-incomplete-listing: a failed resource listing could hide the reference, so nothing is concluded", () => {
    const etl = uai("id-legacy-etl");
    const t = tenant({ resources: [etl], principals: [miPrincipal(etl)], roleAssignments: [roleAssignment(STORAGE, ROLE.Contributor, etl.properties.principalId)] });
    const inv = buildTenant(t, (raw) => {
      raw.errors.push({ source: "arm:resources", message: "403", status: 403, scope: SUB_ID });
    });
    expect(run("unused-identity", inv)).toEqual([]);
  });
});
