import { describe, expect, it } from "vitest";
import { fic, miPrincipal, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/t/c1/";

function scenario(n: number, namespaces = ["merchant-export"]) {
  const id = uai("id-merchant-export");
  const fics = Array.from({ length: n }, (_, i) => fic(id, `fic-${String(i).padStart(2, "0")}`, ISSUER, `system:serviceaccount:${namespaces[i % namespaces.length]}:export-${i}`));
  return { id, t: tenant({ resources: [id], principals: [miPrincipal(id)], federatedIdentityCredentials: fics }) };
}

describe("federated-credential-limit", () => {
  it("fail-16: flags 16 of 20 and moves the newer half to a second identity", () => {
    const { t, id } = scenario(16);
    const [f, ...rest] = run("federated-credential-limit", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "federated-credential-limit", severity: "low", principalId: id.properties.principalId, targetIds: [id.id] });
    expect(f!.message).toContain("16 of the 20");
    expect(stepsOf(f!, "create-managed-identity")).toHaveLength(1);
    expect(stepsOf(f!, "create-federated-credential")).toHaveLength(8);
    expect(stepsOf(f!, "delete-federated-credential")).toHaveLength(8);
    expectNoPlaceholders(f!);
  });

  it("edge-namespaces: with several namespaces each minority namespace gets its own identity", () => {
    const [f] = run("federated-credential-limit", scenario(18, ["a", "a", "b"]).t);
    expect(stepsOf(f!, "create-managed-identity").map((s) => s.name)).toEqual(["id-merchant-export-b"]);
    expect(stepsOf(f!, "create-federated-credential").every((s) => s.subject.startsWith("system:serviceaccount:b:"))).toBe(true);
  });

  it("pass-15: one below the threshold is not flagged", () => {
    expect(run("federated-credential-limit", scenario(15).t)).toEqual([]);
  });
});
