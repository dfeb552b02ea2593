import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { unreadParts } from "@/lib/model/vocabulary";
import { evaluateRules } from "@/lib/rules/evaluate";

export interface Verification {
  findingId: string;
  resolved: boolean;
  /** The finding as the rescan still reports it, when it is not resolved. */
  remaining?: Finding;
  /** Parts of the rescan that failed: a finding can only be called resolved if its sources were read. */
  scanErrors: number;
  message: string;
}

/** Re-evaluates the finding's rule on a fresh inventory: resolved when the same finding id no longer appears. */
export function verifyFinding(finding: Pick<Finding, "id" | "ruleId">, inventory: Inventory): Verification {
  const remaining = evaluateRules(inventory, { only: [finding.ruleId] }).find((f) => f.id === finding.id);
  const scanErrors = inventory.errors.length;
  if (remaining) {
    return { findingId: finding.id, resolved: false, remaining, scanErrors, message: `The rescan still reports this finding: ${remaining.message}` };
  }
  return {
    findingId: finding.id,
    resolved: scanErrors === 0,
    scanErrors,
    message:
      scanErrors === 0
        ? "The rescan no longer reports this finding."
        : `The rescan no longer reports this finding, but ${unreadParts(scanErrors)}, so it cannot be confirmed.`,
  };
}
