import { createHash } from "node:crypto";
import { builtinCatalog } from "@/lib/roles/builtin-catalog";
import type { ArmWireObject, KubeWireObject, WireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * Generates large, realistic tenants (TENANT-FORMAT.md v1) for the scale benchmark and
 * scan tests: management groups over N subscriptions, resource groups with networks,
 * registries, storage and vaults, AKS clusters with kubelet and control-plane identities,
 * workload-identity apps (identity, federated credential, annotated service account,
 * Deployment and pods), and role assignments, most of them least-privilege and a known
 * share over-broad. Deterministic: the same options give the same bytes.
 */
export interface GenerateOptions {
  subscriptions: number;
  /** Role assignments in total (at least the ones the clusters and apps need; the rest are human / group grants). */
  assignments: number;
  clusters: number;
  /** Pods in total, spread over the clusters' apps. */
  pods: number;
  seed: number;
  /** Share of workload-identity grants made wider than needed (default 0.05). */
  overBroadShare?: number;
}

export interface GeneratedTenant {
  tenant: TenantFile;
  /** What was generated on purpose, so tests and the benchmark can check counts. */
  summary: {
    subscriptions: number;
    clusters: number;
    pods: number;
    roleAssignments: number;
    workloadIdentities: number;
    /** Workload-identity assignments deliberately granted at a wider scope or stronger role than the app needs. */
    overBroadAssignments: number;
  };
}

const LOCATION = "westeurope";
const PODS_PER_APP = 20;
const AUDIENCE = "api://AzureADTokenExchange";
const CREATED = "2025-01-20T10:00:00Z";

const roleGuid = new Map(builtinCatalog.map((r) => [r.roleName, r.name]));
function role(name: string): string {
  const guid = roleGuid.get(name);
  if (!guid) throw new Error(`generateTenant: "${name}" is not a built-in role in the catalog`);
  return guid;
}

/** Validates the options; messages name the option. */
export function checkGenerateOptions(o: Partial<GenerateOptions>): string[] {
  const problems: string[] = [];
  const positive = (name: keyof GenerateOptions, min: number) => {
    const v = o[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) problems.push(`--${name} must be an integer ≥ ${min}, got ${String(v)}`);
  };
  positive("subscriptions", 1);
  positive("assignments", 0);
  positive("clusters", 0);
  positive("pods", 0);
  positive("seed", 0);
  if (o.overBroadShare !== undefined && !(o.overBroadShare >= 0 && o.overBroadShare <= 1)) problems.push(`overBroadShare must be between 0 and 1, got ${o.overBroadShare}`);
  if ((o.pods ?? 0) > 0 && (o.clusters ?? 0) === 0) problems.push("--pods needs at least one cluster (--clusters)");
  return problems;
}

export function generateTenant(options: GenerateOptions): GeneratedTenant {
  const problems = checkGenerateOptions(options);
  if (problems.length) throw new Error(`generateTenant: ${problems.join("; ")}`);
  const { seed } = options;
  const overBroadShare = options.overBroadShare ?? 0.05;
  const rand = mulberry32(seed);
  const guid = (name: string) => nameGuid(`${seed}:${name}`);
  const tenantId = guid("tenant");

  const managementGroups: ArmWireObject[] = [];
  const mg = (name: string, displayName: string, parent: string | null) => {
    const id = `/providers/Microsoft.Management/managementGroups/${name}`;
    managementGroups.push({
      id,
      name,
      type: "Microsoft.Management/managementGroups",
      properties: { tenantId, displayName, details: { version: 1, updatedTime: CREATED, parent: parent ? { id: `/providers/Microsoft.Management/managementGroups/${parent}`, name: parent, displayName: parent } : null } },
    });
    return id;
  };
  mg(tenantId, "Tenant Root Group", null);
  const platformMg = mg("platform", "Platform", tenantId);
  const landingMg = mg("landing-zones", "Landing zones", tenantId);

  const subscriptions: TenantFile["subscriptions"] = [];
  const resourceGroups: ArmWireObject[] = [];
  const resources: ArmWireObject[] = [];
  const principals: (WireObject & { id: string })[] = [];
  const roleAssignments: ArmWireObject[] = [];
  const fics: ArmWireObject[] = [];
  const kubernetes: Record<string, KubeWireObject[]> = {};
  const assignmentKeys = new Set<string>();
  let overBroad = 0;

  const assign = (scope: string, roleName: string, principalId: string, principalType: string): boolean => {
    const roleId = role(roleName);
    const key = `${scope.toLowerCase()}|${roleId}|${principalId}`;
    // ARM refuses a second identical assignment (RoleAssignmentExists).
    if (assignmentKeys.has(key)) return false;
    assignmentKeys.add(key);
    const name = nameGuid(`ra:${key}`);
    const sub = /^\/subscriptions\/[^/]+/i.exec(scope)?.[0] ?? "";
    roleAssignments.push({
      id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      name,
      type: "Microsoft.Authorization/roleAssignments",
      properties: {
        roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
        principalId,
        principalType,
        scope,
        condition: null,
        conditionVersion: null,
        createdOn: CREATED,
        updatedOn: CREATED,
        createdBy: guid("user:bootstrap"),
        updatedBy: guid("user:bootstrap"),
        delegatedManagedIdentityResourceId: null,
        description: null,
      },
    });
    return true;
  };

  const identity = (rgId: string, name: string) => {
    const id = `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
    const principalId = guid(`principal:${id}`);
    const clientId = guid(`client:${id}`);
    resources.push({ id, name, type: "Microsoft.ManagedIdentity/userAssignedIdentities", location: LOCATION, tags: {}, properties: { tenantId, principalId, clientId, isolationScope: "None" } });
    principals.push({
      "@odata.type": "#microsoft.graph.servicePrincipal",
      id: principalId,
      appId: clientId,
      displayName: name,
      accountEnabled: true,
      servicePrincipalType: "ManagedIdentity",
      servicePrincipalNames: [clientId],
      alternativeNames: ["isExplicit=True", id],
    });
    return { id, principalId, clientId, name };
  };

  // Per subscription: app, data and network resource groups and their resources.
  interface SubShape {
    subscriptionId: string;
    id: string;
    rgApp: string;
    rgData: string;
    rgNet: string;
    vnet: string;
    subnets: string[];
    storage: string;
    vault: string;
    registry: string;
    dnsZone: string;
  }
  const subs: SubShape[] = [];
  for (let s = 0; s < options.subscriptions; s++) {
    const subscriptionId = guid(`subscription:${s}`);
    const id = `/subscriptions/${subscriptionId}`;
    subscriptions.push({
      id,
      authorizationSource: "RoleBased",
      managedByTenants: [],
      subscriptionId,
      tenantId,
      displayName: `${s % 5 === 0 ? "platform" : "lz"}-${String(s).padStart(3, "0")}`,
      state: "Enabled",
      subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
      managementGroupId: s % 5 === 0 ? platformMg : landingMg,
    });
    const rg = (name: string, extra: Partial<ArmWireObject> = {}) => {
      const rgId = `${id}/resourceGroups/${name}`;
      resourceGroups.push({ id: rgId, name, type: "Microsoft.Resources/resourceGroups", location: LOCATION, ...extra, properties: { provisioningState: "Succeeded" } });
      return rgId;
    };
    const rgApp = rg(`rg-app-${s}`);
    const rgData = rg(`rg-data-${s}`);
    const rgNet = rg(`rg-net-${s}`);
    const vnet = `${rgNet}/providers/Microsoft.Network/virtualNetworks/vnet-${s}`;
    const subnets = ["snet-aks", "snet-aks-2", "snet-endpoints"].map((n) => `${vnet}/subnets/${n}`);
    resources.push({
      id: vnet,
      name: `vnet-${s}`,
      type: "Microsoft.Network/virtualNetworks",
      location: LOCATION,
      properties: {
        provisioningState: "Succeeded",
        addressSpace: { addressPrefixes: [`10.${s % 250}.0.0/16`] },
        subnets: subnets.map((sid, i) => ({ id: sid, name: sid.split("/").pop(), type: "Microsoft.Network/virtualNetworks/subnets", properties: { addressPrefix: `10.${s % 250}.${i * 16}.0/20`, provisioningState: "Succeeded" } })),
      },
    });
    const named = (rgId: string, type: string, name: string, properties: Record<string, unknown>, sku?: Record<string, unknown>, kind?: string) => {
      const rid = `${rgId}/providers/${type}/${name}`;
      resources.push({ id: rid, name, type, location: type === "Microsoft.Network/privateDnsZones" ? "global" : LOCATION, ...(kind ? { kind } : {}), ...(sku ? { sku } : {}), tags: { workload: `wl-${s}` }, properties });
      return rid;
    };
    const short = subscriptionId.replace(/-/g, "").slice(0, 10);
    const storage = named(rgData, "Microsoft.Storage/storageAccounts", `st${short}`, { provisioningState: "Succeeded", allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_2" }, { name: "Standard_LRS", tier: "Standard" }, "StorageV2");
    const vault = named(rgData, "Microsoft.KeyVault/vaults", `kv-${short}`, { tenantId, enableRbacAuthorization: true, sku: { family: "A", name: "standard" }, vaultUri: `https://kv-${short}.vault.azure.net/` });
    const registry = named(rgApp, "Microsoft.ContainerRegistry/registries", `acr${short}`, { loginServer: `acr${short}.azurecr.io`, adminUserEnabled: false, provisioningState: "Succeeded" }, { name: "Premium", tier: "Premium" });
    const dnsZone = named(rgNet, "Microsoft.Network/privateDnsZones", `privatelink-${s}.westeurope.azmk8s.io`, { provisioningState: "Succeeded", numberOfRecordSets: 2 });
    subs.push({ subscriptionId, id, rgApp, rgData, rgNet, vnet, subnets, storage, vault, registry, dnsZone });
  }

  // Clusters, their identities and workload-identity apps.
  const apps = Math.ceil(options.pods / PODS_PER_APP);
  let workloadIdentities = 0;
  let podsLeft = options.pods;
  const appGrant = (s: SubShape, principalId: string, n: number) => {
    // Least privilege: the app's data role on its own storage account or vault. A known share
    // is granted wider: the same role on the resource group or the subscription, or Contributor.
    const onVault = n % 3 === 0;
    const dataRole = onVault ? "Key Vault Secrets User" : "Storage Blob Data Reader";
    const target = onVault ? s.vault : s.storage;
    if (overBroadShare > 0 && rand() < overBroadShare) {
      overBroad++;
      const variant = n % 3;
      if (variant === 0) assign(s.rgData, dataRole, principalId, "ServicePrincipal");
      else if (variant === 1) assign(s.id, dataRole, principalId, "ServicePrincipal");
      else assign(s.rgData, "Contributor", principalId, "ServicePrincipal");
    } else {
      assign(target, dataRole, principalId, "ServicePrincipal");
    }
  };
  for (let c = 0; c < options.clusters; c++) {
    const s = subs[c % subs.length]!;
    const name = `aks-${c}`;
    const rgId = `${s.id}/resourceGroups/rg-aks-${c}`;
    resourceGroups.push({ id: rgId, name: `rg-aks-${c}`, type: "Microsoft.Resources/resourceGroups", location: LOCATION, properties: { provisioningState: "Succeeded" } });
    const clusterId = `${rgId}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    const nodeRgName = `MC_rg-aks-${c}_${name}_${LOCATION}`;
    const nodeRg = `${s.id}/resourceGroups/${nodeRgName}`;
    resourceGroups.push({ id: nodeRg, name: nodeRgName, type: "Microsoft.Resources/resourceGroups", location: LOCATION, managedBy: clusterId, properties: { provisioningState: "Succeeded" } });
    const controlPlane = identity(rgId, `${name}-control-plane`);
    const kubelet = identity(nodeRg, `${name}-agentpool`);
    const subnet = s.subnets[c % 2]!;
    const issuer = `https://${LOCATION}.oic.prod-aks.azure.com/${tenantId}/${guid(`issuer:${c}`)}/`;
    resources.push({
      id: clusterId,
      name,
      type: "Microsoft.ContainerService/managedClusters",
      location: LOCATION,
      sku: { name: "Base", tier: "Standard" },
      identity: { type: "UserAssigned", userAssignedIdentities: { [controlPlane.id]: { principalId: controlPlane.principalId, clientId: controlPlane.clientId } } },
      properties: {
        provisioningState: "Succeeded",
        powerState: { code: "Running" },
        kubernetesVersion: "1.31.5",
        dnsPrefix: `${name}-dns`,
        fqdn: `${name}-dns-${guid(`fqdn:${c}`).slice(0, 8)}.hcp.${LOCATION}.azmk8s.io`,
        agentPoolProfiles: [{ name: "system", count: 3, vmSize: "Standard_D4ds_v5", mode: "System", osType: "Linux", type: "VirtualMachineScaleSets", vnetSubnetID: subnet }],
        servicePrincipalProfile: { clientId: "msi" },
        identityProfile: { kubeletidentity: { resourceId: kubelet.id, clientId: kubelet.clientId, objectId: kubelet.principalId } },
        nodeResourceGroup: nodeRgName,
        enableRBAC: true,
        oidcIssuerProfile: { enabled: true, issuerURL: issuer },
        securityProfile: { workloadIdentity: { enabled: true } },
        networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", serviceCidr: "10.0.0.0/16", dnsServiceIP: "10.0.0.10" },
      },
    });
    // What AKS needs: kubelet pulls from the registry, the control plane joins the subnet.
    // Every tenth cluster's kubelet got AcrPull on the whole subscription instead.
    if (c % 10 === 9) {
      assign(s.id, "AcrPull", kubelet.principalId, "ServicePrincipal");
      overBroad++;
    } else assign(s.registry, "AcrPull", kubelet.principalId, "ServicePrincipal");
    assign(subnet, "Network Contributor", controlPlane.principalId, "ServicePrincipal");

    const objects: KubeWireObject[] = [];
    const meta = (kind: string, namespace: string | undefined, objName: string, extra: Record<string, unknown> = {}) => ({
      name: objName,
      ...(namespace ? { namespace } : {}),
      uid: guid(`k8s:${c}:${kind}:${namespace ?? ""}/${objName}`),
      resourceVersion: String(1000 + objects.length),
      creationTimestamp: CREATED,
      ...extra,
    });
    const namespace = (ns: string) => {
      objects.push({ apiVersion: "v1", kind: "Namespace", metadata: meta("Namespace", undefined, ns, { labels: { "kubernetes.io/metadata.name": ns } }), spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
      objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta("ServiceAccount", ns, "default") });
    };
    namespace("kube-system");
    namespace("default");
    // This cluster's share of the apps (the first clusters take the remainder).
    const clusterApps = Math.floor(apps / options.clusters) + (c < apps % options.clusters ? 1 : 0);
    for (let a = 0; a < clusterApps; a++) {
      const ns = `team-${a % 8}`;
      if (a < 8) namespace(ns);
      const app = `app-${a}`;
      const uai = identity(s.rgApp, `id-${name}-${app}`);
      workloadIdentities++;
      const ficName = `fic-${name}-${app}`;
      fics.push({ id: `${uai.id}/federatedIdentityCredentials/${ficName}`, name: ficName, type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", properties: { issuer, subject: `system:serviceaccount:${ns}:${app}`, audiences: [AUDIENCE] } });
      objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta("ServiceAccount", ns, app, { annotations: { "azure.workload.identity/client-id": uai.clientId } }) });
      appGrant(s, uai.principalId, workloadIdentities);
      const replicas = Math.min(PODS_PER_APP, podsLeft);
      podsLeft -= replicas;
      const labels = { app, "azure.workload.identity/use": "true" };
      const container = { name: app, image: `acr${s.subscriptionId.replace(/-/g, "").slice(0, 10)}.azurecr.io/${ns}/${app}:1.${a % 7}.0`, resources: { requests: { cpu: "100m", memory: "128Mi" } } };
      objects.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta("Deployment", ns, app, { labels, generation: 1 }),
        spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: { serviceAccountName: app, containers: [container] } } },
        status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
      });
      const hash = guid(`rs:${c}:${app}`).replace(/-/g, "").slice(0, 10);
      const rsName = `${app}-${hash}`;
      const rsUid = guid(`rs-uid:${c}:${app}`);
      for (let p = 0; p < replicas; p++) {
        const podName = `${rsName}-${guid(`pod:${c}:${app}:${p}`).slice(0, 5)}`;
        objects.push({
          apiVersion: "v1",
          kind: "Pod",
          metadata: meta("Pod", ns, podName, {
            generateName: `${rsName}-`,
            labels: { ...labels, "pod-template-hash": hash },
            ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
          }),
          spec: {
            serviceAccountName: app,
            serviceAccount: app,
            nodeName: `aks-system-${String(c).padStart(8, "0")}-vmss00000${p % 3}`,
            containers: [{ ...container, env: [{ name: "AZURE_CLIENT_ID", value: uai.clientId }, { name: "AZURE_TENANT_ID", value: tenantId }, { name: "AZURE_FEDERATED_TOKEN_FILE", value: "/var/run/secrets/azure/tokens/azure-identity-token" }] }],
          },
          status: { phase: "Running", podIP: `10.244.${p % 250}.${(a % 250) + 1}` },
        });
      }
    }
    kubernetes[clusterId] = objects;
  }

  // People and groups: the bulk of a large tenant's assignments, mostly Reader-type grants
  // at resource-group scope, a few Contributor and a handful of subscription Owners.
  const people: { id: string; type: string }[] = [];
  for (let u = 0; u < 100; u++) {
    const id = guid(`user:${u}`);
    principals.push({ "@odata.type": "#microsoft.graph.user", id, displayName: `User ${u}`, userPrincipalName: `user${u}@contoso.example`, accountEnabled: true });
    people.push({ id, type: "User" });
  }
  for (let g = 0; g < 20; g++) {
    const id = guid(`group:${g}`);
    principals.push({ "@odata.type": "#microsoft.graph.group", id, displayName: `Team ${g}`, securityEnabled: true, mailEnabled: false, groupTypes: [] });
    people.push({ id, type: "Group" });
  }
  const scopes = subs.flatMap((s) => [s.rgApp, s.rgData, s.rgNet, s.storage, s.vault, s.registry]);
  const humanRoles = ["Reader", "Reader", "Reader", "Monitoring Reader", "Storage Blob Data Reader", "Contributor", "Log Analytics Reader", "Key Vault Reader"];
  for (let s = 0; s < subs.length && s < 5; s++) assign(subs[s]!.id, "Owner", people[s]!.id, people[s]!.type);
  const combinations = people.length * scopes.length * humanRoles.length;
  for (let n = 0; roleAssignments.length < options.assignments && n < combinations; n++) {
    const who = people[n % people.length]!;
    const scope = scopes[Math.floor(n / people.length) % scopes.length]!;
    const roleName = humanRoles[Math.floor(n / (people.length * scopes.length)) % humanRoles.length]!;
    assign(scope, roleName, who.id, who.type);
  }
  if (roleAssignments.length < options.assignments) {
    throw new Error(`generateTenant: only ${roleAssignments.length} distinct role assignments fit ${options.subscriptions} subscriptions; add subscriptions or ask for fewer assignments`);
  }

  const tenant: TenantFile = {
    version: 1,
    tenantId,
    managementGroups,
    subscriptions,
    resourceGroups,
    resources,
    federatedIdentityCredentials: fics,
    roleDefinitions: [],
    roleAssignments,
    principals,
    kubernetes,
  };
  return {
    tenant,
    summary: {
      subscriptions: subscriptions.length,
      clusters: options.clusters,
      pods: options.pods - podsLeft,
      roleAssignments: roleAssignments.length,
      workloadIdentities,
      overBroadAssignments: overBroad,
    },
  };
}

/** A name-derived GUID (version-5 layout over SHA-1), so generated ids are stable. */
function nameGuid(name: string): string {
  const h = createHash("sha1").update(`scopewise-generate:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Small seeded PRNG (mulberry32): deterministic choices per seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
