/** Documentation the rules cite (RULES.md "Sources"), one place so links stay consistent. */
export const Ref = {
  rbacBestPractices: { title: "Best practices for Azure RBAC", url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/best-practices" },
  rbacScope: { title: "Understand scope for Azure RBAC", url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/scope-overview" },
  builtinRoles: { title: "Azure built-in roles", url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles" },
  customRoles: { title: "Azure custom roles", url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles" },
  aksManagedIdentity: { title: "Use a managed identity in Azure Kubernetes Service", url: "https://learn.microsoft.com/en-us/azure/aks/use-managed-identity" },
  aksIdentityConcepts: { title: "Access and identity options for AKS", url: "https://learn.microsoft.com/en-us/azure/aks/concepts-identity" },
  aksAcr: { title: "Authenticate with Azure Container Registry from AKS", url: "https://learn.microsoft.com/en-us/azure/aks/cluster-container-registry-integration" },
  acrRoles: { title: "Azure Container Registry roles and permissions", url: "https://learn.microsoft.com/en-us/azure/container-registry/container-registry-roles" },
  aksNetworkPermissions: {
    title: "Delegate access to other Azure resources (AKS cluster identity)",
    url: "https://learn.microsoft.com/en-us/azure/aks/kubernetes-service-principal#delegate-access-to-other-azure-resources",
  },
  aksPrivateCluster: { title: "Create a private AKS cluster", url: "https://learn.microsoft.com/en-us/azure/aks/private-clusters" },
  dnsProtect: { title: "Protect Azure DNS zones and records", url: "https://learn.microsoft.com/en-us/azure/dns/dns-protect-zones-recordsets" },
  externalDnsAzure: { title: "ExternalDNS: setting up for Azure DNS", url: "https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/azure/" },
  podIdentityRoles: { title: "aad-pod-identity: role assignment", url: "https://azure.github.io/aad-pod-identity/docs/getting-started/role-assignment/" },
  podIdentityMigration: { title: "Migrate from pod-managed identity to workload identity", url: "https://learn.microsoft.com/en-us/azure/aks/workload-identity-migrate-from-pod-identity" },
  workloadIdentity: { title: "Use Microsoft Entra Workload ID with AKS", url: "https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview" },
  storageDataRoles: { title: "Assign an Azure role for access to blob data", url: "https://learn.microsoft.com/en-us/azure/storage/blobs/assign-azure-role-data-access" },
  serviceBusRbac: { title: "Authenticate an application to access Service Bus entities", url: "https://learn.microsoft.com/en-us/azure/service-bus-messaging/authenticate-application" },
  keyVaultRbac: { title: "Provide access to Key Vault keys, certificates, and secrets with Azure RBAC", url: "https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide" },
  managedIdentityOperator: {
    title: "Managed Identity Operator built-in role",
    url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/identity#managed-identity-operator",
  },
  vmContributor: {
    title: "Virtual Machine Contributor built-in role",
    url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/compute#virtual-machine-contributor",
  },
} as const;
