import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getInventory, InventoryUnavailableError, SignInRequiredError, type InventoryResult } from "@/lib/scan/load";

export type LoadedInventory = { ok: true; result: InventoryResult } | { ok: false; message: string };

/**
 * The inventory for this request, deduplicated across the layout and the page. An unreachable
 * or unconfigured scan source is an expected state with a message for people, so it is
 * returned rather than thrown (a thrown server error loses its message in production). A
 * request without a session (when sign-in is configured) goes to sign-in; the proxy normally
 * sends it there before rendering.
 */
export const loadInventory = cache(async (): Promise<LoadedInventory> => {
  try {
    return { ok: true, result: await getInventory() };
  } catch (err) {
    if (err instanceof SignInRequiredError) redirect("/auth/sign-in");
    if (err instanceof InventoryUnavailableError) return { ok: false, message: err.message };
    throw err;
  }
});
