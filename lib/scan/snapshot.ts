import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { buildInventory } from "@/lib/inventory/build";
import type { Inventory } from "@/lib/model/types";
import type { RawCollection } from "@/lib/model/wire";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * What a scan read, kept with it in the store: its wire collection (the same seam tenant files
 * use) and the time it was taken, gzipped and base64-encoded. Any process, after any restart,
 * rebuilds the scan's Inventory from it with the pure builder.
 */
export const SNAPSHOT_ENCODING = "raw-collection+json+gzip+base64";

export async function encodeSnapshot(raw: RawCollection, scannedAt: string): Promise<{ encoding: string; data: string }> {
  const zipped = await gzipAsync(Buffer.from(JSON.stringify({ scannedAt, raw })));
  return { encoding: SNAPSHOT_ENCODING, data: zipped.toString("base64") };
}

export async function decodeSnapshot(snapshot: { encoding: string; data: string }): Promise<Inventory> {
  if (snapshot.encoding !== SNAPSHOT_ENCODING) throw new Error(`unknown snapshot encoding "${snapshot.encoding}"`);
  const { scannedAt, raw } = JSON.parse((await gunzipAsync(Buffer.from(snapshot.data, "base64"))).toString("utf8")) as { scannedAt: string; raw: RawCollection };
  return buildInventory(raw, { scannedAt });
}
