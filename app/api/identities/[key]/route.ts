import { getInventory } from "@/lib/scan/load";
import { lookupRoute } from "../../lookup";

/** One identity of the current scan by its key: key, kind and name (404 when the scan has none with this key). */
export const GET = lookupRoute(
  "identity",
  async (actor, key) => (await getInventory(actor.viewer)).inventory.identities.find((i) => i.key === key),
  (i) => ({ key: i.key, kind: i.kind, displayName: i.displayName }),
);
