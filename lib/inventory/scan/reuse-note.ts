import type { ScanStats } from "./config";

const count = (n: number) => n.toLocaleString("en-US");

/** The scan note that says, per source, what a rescan took over from the scan before it. */
export function reuseNote(previousStartedAt: string, reuse: NonNullable<ScanStats["reuse"]>): string {
  const parts: string[] = [];
  const { arm, kubernetes } = reuse;
  if (arm) {
    parts.push(
      `${count(arm.resources.reused)} of ${count(arm.resources.reused + arm.resources.readAgain)} resources and ${count(arm.resourceGroups.reused)} of ${count(arm.resourceGroups.reused + arm.resourceGroups.readAgain)} resource groups (no change in Resource Graph's change tables since ${arm.since}, which run up to 5 minutes behind)`,
      `${count(arm.federatedCredentials.reused)} of ${count(arm.federatedCredentials.reused + arm.federatedCredentials.listed)} federated-credential lists (identities with no change at or under them)`,
    );
  }
  parts.push(`the Kubernetes objects of ${count(kubernetes.reused)} of ${count(kubernetes.reused + kubernetes.read)} clusters (revision unchanged)`);
  const full = arm ? "role assignments, role definitions, management groups and directory objects" : "everything else";
  return `Rescan: taken over from the scan started ${previousStartedAt}: ${parts.join("; ")}. Read in full: ${full}.`;
}
