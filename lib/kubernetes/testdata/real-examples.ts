import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeWireObject } from "@/lib/model/wire";

/** Shell-style placeholders in the upstream manifests, filled with values of their type. */
const PLACEHOLDERS: Record<string, string> = {
  RESOURCE_ID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/demo",
  CLIENT_ID: "00000000-0000-0000-0000-000000000001",
};

/** Every Kubernetes object of the public manifests in lib/kubernetes/testdata (PROVENANCE.md). */
export function realKubernetesObjects(): KubeWireObject[] {
  const dir = path.join(import.meta.dirname);
  const files = ["aadpodidentity.yaml", "aadpodidentity-sp.yaml", "aadpodidentitybinding.yaml", "deployment.yaml", "deployment-rbac.yaml", "managed-mode-deployment.yaml", "quick-start-pod.yaml", "quick-start-serviceaccount.yaml", "azure-wi-webhook.yaml"];
  const out: KubeWireObject[] = [];
  for (const file of files) {
    let text = readFileSync(path.join(dir, file), "utf8");
    for (const [k, v] of Object.entries(PLACEHOLDERS)) text = text.replaceAll(k, v);
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as KubeWireObject | null;
      if (o && typeof o.kind === "string") out.push(o);
    }
  }
  return out;
}
