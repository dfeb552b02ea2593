# One identity per workload, each trusted only by its own service account through the
# cluster's OIDC issuer (Azure Workload Identity).
locals {
  workloads = {
    orders = { namespace = "orders", service_account = "orders-api" }
    web    = { namespace = "web", service_account = "web-frontend" }
  }
}

resource "azurerm_user_assigned_identity" "app" {
  for_each = local.workloads

  name                = "id-${each.key}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
}

resource "azurerm_federated_identity_credential" "app" {
  for_each = local.workloads

  name                = "fic-${each.key}"
  resource_group_name = azurerm_resource_group.main.name
  parent_id           = azurerm_user_assigned_identity.app[each.key].id
  issuer              = module.aks.oidc_issuer_url
  subject             = "system:serviceaccount:${each.value.namespace}:${each.value.service_account}"
  audience            = ["api://AzureADTokenExchange"]
}
