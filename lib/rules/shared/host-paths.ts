/** Host paths a pod may mount and what they expose on an AKS node. Pure. */

/** The node file holding the cloud-provider config (and, on service-principal clusters, the secret). */
export const AZURE_JSON = "/etc/kubernetes/azure.json";
const EXPOSING = new Set([AZURE_JSON, "/etc/kubernetes", "/etc", "/"]);

/** Lexical POSIX normalisation as the kubelet sees the path: `//`, `.`, `..` and trailing slashes. */
export function normalizeHostPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.trim().split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}

export function exposesAzureJson(path: string): boolean {
  return EXPOSING.has(normalizeHostPath(path));
}
