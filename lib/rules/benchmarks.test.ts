import { describe, expect, it } from "vitest";
import { CONTROLS, Control, controlKey, controlLabel, rulesByControl } from "./benchmarks";
import { rules } from "./registry";

describe("benchmark mapping", () => {
  it("names only controls of the catalog, each once per rule, with a published source", () => {
    const known = new Set(CONTROLS.map(controlKey));
    for (const { meta } of rules) {
      const keys = (meta.benchmarks ?? []).map(controlKey);
      expect(keys.filter((k) => !known.has(k)), meta.id).toEqual([]);
      expect(new Set(keys).size, meta.id).toBe(keys.length);
    }
    for (const c of CONTROLS) expect(c.url).toMatch(/^https:\/\/(learn\.microsoft\.com\/en-us\/security\/benchmark\/azure\/mcsb-|github\.com\/aquasecurity\/kube-bench\/)/);
  });

  it("maps least-privilege rules to MCSB PA-7 and the kubelet's registry writes to CIS AKS 5.1.3", () => {
    const groups = new Map(rulesByControl(rules.map((r) => r.meta)).map((g) => [controlKey(g.control), g.ruleIds]));
    expect(groups.get("mcsb:PA-7")).toEqual(expect.arrayContaining(["subscription-scope-grant", "acr-scope-too-broad", "broad-role-on-workload-identity"]));
    expect(groups.get("cis-aks:5.1.3")).toEqual(["acr-write-on-kubelet"]);
    expect(groups.get("cis-aks:5.2.1")).toEqual(expect.arrayContaining(["app-uses-kubelet-identity", "pod-mounts-azure-json"]));
    // A rule about capacity evidences no control.
    expect([...groups.values()].flat()).not.toContain("federated-credential-limit");
    expect(controlLabel(Control.cisAks513)).toBe("CIS AKS 5.1.3");
  });
});
