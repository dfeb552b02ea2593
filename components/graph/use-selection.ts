"use client";

import { useCallback, useEffect, useState, type SetStateAction } from "react";

/**
 * The selected node, mirrored into the URL's `select` parameter (replacing the history entry),
 * so a link or a reload opens the same node's details.
 */
export function useSelectionInUrl(initial: string | undefined): [string | null, (next: SetStateAction<string | null>) => void] {
  const [selected, setSelected] = useState<string | null>(initial ?? null);
  useEffect(() => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("select") ?? null) === selected) return;
    if (selected) url.searchParams.set("select", selected);
    else url.searchParams.delete("select");
    window.history.replaceState(window.history.state, "", url);
  }, [selected]);
  return [selected, useCallback((next: SetStateAction<string | null>) => setSelected(next), [])];
}
