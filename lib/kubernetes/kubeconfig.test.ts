import { describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { aksEntraServerAppId, buildKubeConfig, tokenRequirement } from "./kubeconfig";
import { KubeConfig } from "@kubernetes/client-node";

function recordingCredential(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: async (scope) => {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token: `token-for-${String(scope)}`, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

const caData = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");

function kubeconfig(user: string, extraCluster = ""): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: aks-payments
  cluster:
    server: https://aks-payments.hcp.westeurope.azmk8s.io:443
    certificate-authority-data: ${caData}${extraCluster}
contexts:
- name: aks-payments
  context:
    cluster: aks-payments
    user: clusterUser_rg_aks-payments
current-context: aks-payments
users:
- name: clusterUser_rg_aks-payments
  user:
${user}
`;
}

// What listClusterUserCredential returns for an AKS-managed Entra cluster (kubelogin exec plugin).
const execUser = `    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args:
      - get-token
      - --environment
      - AzurePublicCloud
      - --server-id
      - ${aksEntraServerAppId}
      - --client-id
      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
      - --tenant-id
      - 72f988bf-86f1-41af-91ab-2d7cd011db47
      - --login
      - devicecode
      provideClusterInfo: false`;

describe("buildKubeConfig", () => {
  it("replaces the kubelogin exec plugin with a token for the AKS Entra server application", async () => {
    const credential = recordingCredential();
    const kc = await buildKubeConfig(kubeconfig(execUser), credential);
    expect(credential.scopes).toEqual([`${aksEntraServerAppId}/.default`]);
    const user = kc.getCurrentUser();
    expect(user?.exec).toBeUndefined();
    expect(user?.token).toBe(`token-for-${aksEntraServerAppId}/.default`);
    // The cluster's server and CA are untouched.
    expect(kc.getCurrentCluster()?.server).toBe("https://aks-payments.hcp.westeurope.azmk8s.io:443");
    expect(kc.getCurrentCluster()?.caData).toBe(caData);
  });

  it("uses the --server-id the exec plugin names", async () => {
    const credential = recordingCredential();
    const custom = execUser.replace(aksEntraServerAppId, "11111111-2222-3333-4444-555555555555");
    await buildKubeConfig(kubeconfig(custom.replace("- --server-id\n      - ", "- --server-id=")), credential);
    expect(credential.scopes).toEqual(["11111111-2222-3333-4444-555555555555/.default"]);
  });

  it("keeps a local-account client certificate user as it is and asks for no token", async () => {
    const credential = recordingCredential();
    const kc = await buildKubeConfig(kubeconfig(`    client-certificate-data: ${caData}\n    client-key-data: ${caData}\n    token: abc`), credential);
    expect(credential.scopes).toEqual([]);
    expect(kc.getCurrentUser()?.token).toBe("abc");
    expect(tokenRequirement(kc)).toBeUndefined();
  });

  it("refuses a kubeconfig that disables TLS verification", async () => {
    await expect(buildKubeConfig(kubeconfig("    token: abc", "\n    insecure-skip-tls-verify: true"), recordingCredential())).rejects.toThrow(
      /disables TLS verification/,
    );
  });

  it("names the problem when the kubeconfig has no cluster for its context", async () => {
    const text = kubeconfig("    token: abc").replace("current-context: aks-payments", "current-context: missing");
    await expect(buildKubeConfig(text, recordingCredential())).rejects.toThrow(/no cluster for its current context "missing"/);
  });

  it("detects the legacy azure auth-provider with its apiserver-id", () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig(`    auth-provider:\n      name: azure\n      config:\n        apiserver-id: 99999999-0000-0000-0000-000000000000`));
    expect(tokenRequirement(kc)).toEqual({ userName: "clusterUser_rg_aks-payments", serverId: "99999999-0000-0000-0000-000000000000" });
  });
});
