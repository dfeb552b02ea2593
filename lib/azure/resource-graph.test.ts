import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { buildTestTenant, T } from "@/emulator/testdata/tenant";
import { lastSegment } from "@/lib/model/scope";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { createAzureClients, type AzureClients } from "./clients";
import { listGraphRoleAssignments, listGraphRoleDefinitions, queryResourceGraph, ResourceGraphQuery } from "./resource-graph";

let emulator: EmulatorHandle;
let clients: AzureClients;

beforeAll(async () => {
  emulator = await startEmulator({ tenant: buildTestTenant(), pageSize: 3 });
  clients = createAzureClients(scanConfigForEmulator(emulator));
});
afterAll(async () => {
  await emulator?.close();
});

const suffixes = (rows: { id?: unknown }[]) => rows.map((r) => String(r.id).slice(-2)).sort();

describe("Resource Graph readers", () => {
  it("keeps the management-group and root assignments a subscription inherits", async () => {
    const { data } = await listGraphRoleAssignments(clients, [T.sub1]);
    // 01 is at the root, 02 at the management group above sub1; 03-09 at sub1 and below.
    expect(suffixes(data)).toEqual(["01", "02", "03", "04", "05", "06", "07", "08", "09"]);
  });

  it("would lose them with ARG's default filter (what the readers must not rely on)", async () => {
    const { rows } = await queryResourceGraph(clients, ResourceGraphQuery.roleAssignments, [T.sub1]);
    expect(suffixes(rows)).not.toContain("01");
    expect(suffixes(rows)).not.toContain("02");
  });

  it("lists built-in role definitions (stored at the root) with the subscription's custom roles", async () => {
    const { data } = await listGraphRoleDefinitions(clients, [T.sub1]);
    const names = new Set(data.map((d) => lastSegment(d.id).toLowerCase()));
    expect(names.has(T.ownerRole)).toBe(true);
    expect(names.has(T.customRole)).toBe(true);
    expect(data.find((d) => lastSegment(d.id).toLowerCase() === T.ownerRole)?.properties).toMatchObject({ type: "BuiltInRole" });
  });
});
