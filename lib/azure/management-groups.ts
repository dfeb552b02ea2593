import type { AzureClients } from "@/lib/azure/clients";
import { armGet, listArmPages } from "@/lib/azure/arm-get";
import { mapBounded } from "@/lib/azure/concurrency";
import type { ArmWireObject } from "@/lib/model/wire";

const managementGroupsApiVersion = "2021-04-01";

/**
 * Management groups the credential can read, each in its GET shape (the list omits
 * `details.parent`, so every group is fetched). No SDK for Microsoft.Management is a
 * dependency; the requests go through the same authenticated ARM pipeline.
 */
export async function listManagementGroups(clients: AzureClients, concurrency = 4): Promise<ArmWireObject[]> {
  const listed = await listArmPages(clients, `${clients.armEndpoint}/providers/Microsoft.Management/managementGroups?api-version=${managementGroupsApiVersion}`);
  return mapBounded(listed, concurrency, async (group) => {
    const full = await armGet(
      clients,
      `${clients.armEndpoint}${group.id}?api-version=${managementGroupsApiVersion}&$expand=children`,
    );
    return (typeof full.id === "string" ? full : group) as ArmWireObject;
  });
}
