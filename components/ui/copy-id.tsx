"use client";

import { useState } from "react";

/**
 * An id on demand: a small button that copies it (an ARM id, a principal's object id) to the
 * clipboard, so sentences can say names while the exact id stays one click away. The id is
 * also the button's tooltip.
 */
export function CopyId({ id, what }: { id: string; what: string }) {
  const [state, setState] = useState<string>("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(id);
      setState("Copied");
    } catch (err) {
      setState(`Could not copy: ${(err as Error).message}`);
    }
  }
  return (
    <span className="copy-id">
      <button type="button" className="button button-small" title={id} aria-label={`Copy id of ${what}`} onClick={copy}>
        Copy id
      </button>
      <span className="inline-status" role="status" aria-live="polite">
        {state}
      </span>
    </span>
  );
}
