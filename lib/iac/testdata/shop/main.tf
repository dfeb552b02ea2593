# Grants for the existing aks-shop cluster (fixtures/tenants/minimal.json), planned against it.
data "azurerm_kubernetes_cluster" "shop" {
  name                = "aks-shop"
  resource_group_name = "rg-shop"
}

data "azurerm_user_assigned_identity" "api" {
  name                = "id-shop-api"
  resource_group_name = "rg-shop"
}

data "azurerm_container_registry" "shop" {
  name                = "fabrikamshop"
  resource_group_name = "rg-shop"
}

data "azurerm_storage_account" "shop" {
  name                = "stfabrikamshop"
  resource_group_name = "rg-shop"
}

# The release pipeline pushes with the cluster's kubelet identity.
resource "azurerm_role_assignment" "kubelet_acr_push" {
  scope                = data.azurerm_container_registry.shop.id
  role_definition_name = "AcrPush"
  principal_id         = data.azurerm_kubernetes_cluster.shop.kubelet_identity[0].object_id
}

# The api now writes blobs; the reader grant it had is removed from this file.
resource "azurerm_role_assignment" "api_blob" {
  scope                = data.azurerm_storage_account.shop.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = data.azurerm_user_assigned_identity.api.principal_id
}
