import "server-only";
import { serverEnv } from "@/lib/env";
import { getStore, storeConfigOf, StorePart, type Store } from "@/lib/store/db";

/** This server's store, opened once per process, for `part` (named in errors). */
export function serverStore(part: StorePart = StorePart.File): Promise<Store> {
  return getStore(storeConfigOf(serverEnv()), part);
}
