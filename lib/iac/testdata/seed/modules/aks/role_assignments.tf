# The kubelet pulls images from the registry.
resource "azurerm_role_assignment" "acr_pull" {
  scope                            = var.acr_id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
  skip_service_principal_aad_check = true
}

# external-dns runs with the kubelet identity and writes records in the apps zone.
resource "azurerm_role_assignment" "dns_zone" {
  scope                = var.dns_zone_id
  role_definition_name = "DNS Zone Contributor"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}

# aad-pod-identity's MIC assigns identities to the node scale sets in the node resource group.
resource "azurerm_role_assignment" "pod_identity_mio" {
  scope                = azurerm_kubernetes_cluster.main.node_resource_group_id
  role_definition_name = "Managed Identity Operator"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}

resource "azurerm_role_assignment" "pod_identity_vmc" {
  scope                = azurerm_kubernetes_cluster.main.node_resource_group_id
  role_definition_name = "Virtual Machine Contributor"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}

# The control plane manages load balancers and routes in the cluster's network.
resource "azurerm_role_assignment" "control_plane_network" {
  scope                = var.vnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.control_plane.principal_id
}
