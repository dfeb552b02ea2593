# Kubelet identity: AcrPull on each attached registry.
resource "azurerm_role_assignment" "acr" {
  for_each = var.attached_acr_id_map

  principal_id                     = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
  scope                            = each.value
  role_definition_name             = "AcrPull"
  skip_service_principal_aad_check = true
}

# Control-plane identity: Network Contributor on the node pool subnet.
resource "azurerm_role_assignment" "network_contributor" {
  for_each = toset([var.vnet_subnet_id])

  principal_id         = azurerm_kubernetes_cluster.main.identity[0].principal_id
  scope                = each.value
  role_definition_name = "Network Contributor"
}

# Application Gateway ingress add-on identity: Contributor on the existing gateway.
resource "azurerm_role_assignment" "existing_application_gateway_contributor" {
  principal_id         = azurerm_kubernetes_cluster.main.ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id
  scope                = var.application_gateway_id
  role_definition_name = "Contributor"
}

# ... and Reader on the gateway's resource group.
resource "azurerm_role_assignment" "application_gateway_resource_group_reader" {
  principal_id         = azurerm_kubernetes_cluster.main.ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id
  scope                = "/subscriptions/4a0f3f1e-7c1b-4d44-9f2a-2b8d6c1e5a90/resourceGroups/rg-aks"
  role_definition_name = "Reader"
}
