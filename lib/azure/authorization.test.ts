import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { buildTestTenant, ids, T } from "@/emulator/testdata/tenant";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { createAzureClients, type AzureClients } from "./clients";
import { listCustomRoleDefinitionsAtAndBelow, listRoleDefinitions } from "./authorization";

const RG_ONLY_ROLE = "9a0b1c2d-3e4f-4a5b-8c6d-000000000002";

let emulator: EmulatorHandle;
let clients: AzureClients;

beforeAll(async () => {
  const tenant = buildTestTenant();
  tenant.roleDefinitions!.push({
    id: `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${RG_ONLY_ROLE}`,
    name: RG_ONLY_ROLE,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: { roleName: "Storage operator (resource groups only)", type: "CustomRole", assignableScopes: [ids.rgApp], permissions: [{ actions: ["*"], notActions: [] }] },
  });
  emulator = await startEmulator({ tenant });
  clients = createAzureClients(scanConfigForEmulator(emulator));
});
afterAll(async () => {
  await emulator?.close();
});

describe("role definition readers", () => {
  it("the per-subscription list misses a custom role assignable only at a resource group", async () => {
    const custom = await listRoleDefinitions(clients, T.sub1, { customOnly: true });
    expect(custom.map((d) => d.name)).toEqual([T.customRole]);
  });

  it("listCustomRoleDefinitionsAtAndBelow finds it, and only custom roles", async () => {
    const custom = await listCustomRoleDefinitionsAtAndBelow(clients, T.sub1);
    expect(custom.map((d) => d.name).sort()).toEqual([RG_ONLY_ROLE, T.customRole].sort());
  });
});
