import { describe, expect, it } from "vitest";
import { defaultGraphQuery, graphHref } from "./links";
import { parseGraphQuery } from "./query";

const CLUSTER = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";

describe("graph query", () => {
  it("defaults to the cluster view with no filters", () => {
    expect(parseGraphQuery({})).toEqual({ data: defaultGraphQuery, errors: [] });
  });

  it("round-trips through graphHref", () => {
    const { data } = parseGraphQuery({ view: "cluster", cluster: CLUSTER, subscription: "E6FCD4AE-4821-5620-91DB-DBAF2546DE43", overbroad: "1" });
    expect(data).toMatchObject({ cluster: CLUSTER, subscription: "e6fcd4ae-4821-5620-91db-dbaf2546de43", overBroad: true });
    expect(parseGraphQuery(Object.fromEntries(new URL(graphHref(data), "http://x").searchParams)).data).toEqual(data);
  });

  it("parses expand=all (nothing collapsed) and keeps it in links", () => {
    const { data, errors } = parseGraphQuery({ view: "tenant", expand: "all" });
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ view: "tenant", expandAll: true });
    expect(graphHref(data)).toBe("/graph?view=tenant&expand=all");
    expect(parseGraphQuery({ expand: "some" }).errors).toEqual([expect.stringMatching(/^"expand" .*; ignored\.$/)]);
  });

  it("reports and ignores bad values, naming the parameter", () => {
    const { data, errors } = parseGraphQuery({ view: "everything", subscription: "prod", cluster: "aks" });
    expect(data).toEqual(defaultGraphQuery);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^"view"/);
    expect(errors.some((e) => e.startsWith('"subscription" must be a subscription GUID'))).toBe(true);
  });

  it("falls back to the cluster view when the identity view has no identity", () => {
    const { data, errors } = parseGraphQuery({ view: "identity" });
    expect(data.view).toBe("cluster");
    expect(errors).toEqual(['The identity view needs an "identity"; showing the cluster view.']);
  });

  it("switches to the identity view when an identity is picked in another view", () => {
    expect(parseGraphQuery({ view: "cluster", cluster: CLUSTER, identity: "6a3fd275-0000-4000-8000-000000000001" }).data).toMatchObject({
      view: "identity",
      identity: "6a3fd275-0000-4000-8000-000000000001",
    });
    expect(parseGraphQuery({ view: "tenant", identity: "6a3fd275-0000-4000-8000-000000000001" }).data.view).toBe("identity");
  });

  it("keeps the question and the selection in the URL", () => {
    const to = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-pay";
    const { data, errors } = parseGraphQuery({ to, from: "workload:/x/y", select: "identity:abc" });
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ to, from: "workload:/x/y", select: "identity:abc" });
    expect(parseGraphQuery(Object.fromEntries(new URL(graphHref(data), "http://x").searchParams)).data).toEqual(data);
  });

  it("ignores a bad question with a message that names the parameter", () => {
    const { data, errors } = parseGraphQuery({ to: "kv-pay", select: "planet:earth", from: "identity:abc" });
    expect(data).toMatchObject({ to: "", from: "", select: "" });
    expect(errors).toEqual([
      expect.stringMatching(/^"to" must be an ARM scope/),
      expect.stringMatching(/^"select" must be a graph node id/),
      '"from" asks for paths to a scope and needs "to"; ignored.',
    ]);
  });
});
