import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantFile } from "@/lib/tenant/types";
import { startEmulator, type EmulatorHandle } from "../server";
import { call, tokenFor } from "../testdata/http-client";
import { buildTestTenant, ids, T } from "../testdata/tenant";

const ALICE = "eeeeeeee-0000-0000-0000-000000000001";
const RG_ONLY_ROLE = "9a0b1c2d-3e4f-4a5b-8c6d-000000000002";
const MG_ROLE = "9a0b1c2d-3e4f-4a5b-8c6d-000000000003";

function customRole(guid: string, name: string, storedAt: string, assignableScopes: string[]) {
  return {
    id: `${storedAt}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: { roleName: name, type: "CustomRole", assignableScopes, permissions: [{ actions: ["Microsoft.Storage/*"], notActions: [] }] },
  };
}

/** The test tenant plus: Alice in the platform-readers group with one grant of her own, and two custom roles assignable elsewhere than a subscription. */
function tenant(): TenantFile {
  const t = buildTestTenant();
  t.users = [{ ...t.users![0]!, memberOf: [T.groupPrincipal] }];
  t.roleAssignments.push({
    id: `${ids.rgApp}/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000021`,
    name: "bbbbbbbb-0000-0000-0000-000000000021",
    type: "Microsoft.Authorization/roleAssignments",
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${T.readerRole}`, principalId: ALICE, principalType: "User", scope: ids.rgApp },
  });
  t.roleDefinitions!.push(
    customRole(RG_ONLY_ROLE, "Storage operator (resource groups only)", `/subscriptions/${T.sub1}`, [ids.rgApp]),
    customRole(MG_ROLE, "Platform storage operator", T.mg, [T.mg]),
  );
  return t;
}

let h: EmulatorHandle;
let token: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: tenant() });
  token = await tokenFor(h, "https://management.azure.com");
});
afterAll(async () => {
  await h?.close();
});

const assignments = (scope: string, filter?: string) =>
  call(h, "GET", `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01${filter ? `&$filter=${encodeURIComponent(filter)}` : ""}`, { token });
/** Every page of a role definition list (the first response, with `value` holding all pages). */
async function definitions(scope: string, filter?: string) {
  const first = await call(h, "GET", `${scope}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01${filter ? `&$filter=${encodeURIComponent(filter)}` : ""}`, { token });
  let next: string | undefined = first.json?.nextLink;
  while (next) {
    const page = await call(h, "GET", next, { token });
    first.json.value.push(...page.json.value);
    next = page.json.nextLink;
  }
  return first;
}
const suffixes = (value: { name: string }[]) => value.map((a) => a.name.slice(-2)).sort();

describe("role assignment $filter, as strict as ARM", () => {
  it("refuses atScope() combined with principalId eq with ARM's 400 UnsupportedQuery body", async () => {
    const res = await assignments(`/subscriptions/${T.sub1}`, `atScope() and principalId eq '${T.appPrincipal}'`);
    expect(res.status).toBe(400);
    expect(Object.keys(res.json)).toEqual(["error"]);
    expect(res.json.error.code).toBe("UnsupportedQuery");
    expect(res.json.error.message).toContain("atScope() and principalId eq");
  });

  it("refuses an unquoted principal id and filters it does not know", async () => {
    for (const filter of [`principalId eq ${T.appPrincipal}`, `principalId eq '${T.appPrincipal}' and atScope()`, "roleDefinitionId eq 'x'", `assignedTo('${ALICE}') and atScope()`]) {
      const res = await assignments(`/subscriptions/${T.sub1}`, filter);
      expect(res.status, filter).toBe(400);
      expect(res.json.error.code).toBe("UnsupportedQuery");
    }
  });

  it("assignedTo() covers the user's groups; with atScope() only what applies at the scope", async () => {
    // 01 is the platform-readers group at the root; 21 is Alice's own grant on rg-app, below the subscription.
    const all = await assignments(`/subscriptions/${T.sub1}`, `assignedTo('${ALICE}')`);
    expect(suffixes(all.json.value)).toEqual(["01", "21"]);
    const atScope = await assignments(`/subscriptions/${T.sub1}`, `atScope() and assignedTo('${ALICE}')`);
    expect(suffixes(atScope.json.value)).toEqual(["01"]);
    // principalId eq is exact: the group's grant is not the user's.
    const exact = await assignments(`/subscriptions/${T.sub1}`, `principalId eq '${ALICE}'`);
    expect(suffixes(exact.json.value)).toEqual(["21"]);
  });
});

describe("role definitions listed at a scope", () => {
  const customNames = (value: { properties: { roleName: string; type: string } }[]) =>
    value.filter((d) => d.properties.type === "CustomRole").map((d) => d.properties.roleName).sort();

  it("lists custom roles applicable at the subscription and above, not those assignable only below it", async () => {
    const res = await definitions(`/subscriptions/${T.sub1}`, "type eq 'CustomRole'");
    expect(customNames(res.json.value)).toEqual(["AKS Node Operator (custom)", "Platform storage operator"]);
    // sub2 is under no declared management group: the management-group role is not assignable there.
    expect(customNames((await definitions(`/subscriptions/${T.sub2}`, "type eq 'CustomRole'")).json.value)).toEqual([]);
  });

  it("atScopeAndBelow() adds the roles assignable only below the scope", async () => {
    const res = await definitions(`/subscriptions/${T.sub1}`, "atScopeAndBelow()");
    expect(customNames(res.json.value)).toEqual(["AKS Node Operator (custom)", "Platform storage operator", "Storage operator (resource groups only)"]);
    expect(res.json.value.some((d: { properties: { type: string } }) => d.properties.type === "BuiltInRole")).toBe(true);
  });

  it("refuses atScopeAndBelow() combined with another filter", async () => {
    const res = await definitions(`/subscriptions/${T.sub1}`, "atScopeAndBelow() and type eq 'CustomRole'");
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("UnsupportedQuery");
  });
});
