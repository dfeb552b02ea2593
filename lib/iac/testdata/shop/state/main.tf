# The configuration the shop state (state.json) was applied from.
resource "azurerm_user_assigned_identity" "api" {
  name                = "id-shop-api"
  resource_group_name = "rg-shop"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "api" {
  name                = "aks-shop-shop-api"
  resource_group_name = "rg-shop"
  parent_id           = azurerm_user_assigned_identity.api.id
  issuer              = "https://westeurope.oic.prod-aks.azure.com/631eb3b7-909b-522b-928c-b6de5f82ecae/0ac56131-a715-53b4-9154-01666274a10e/"
  subject             = "system:serviceaccount:shop:api"
  audience            = ["api://AzureADTokenExchange"]
}

resource "azurerm_role_assignment" "api_blob_reader" {
  scope                = "/subscriptions/662f1b12-49e5-5cad-a6a3-c02e01f4a9d6/resourceGroups/rg-shop/providers/Microsoft.Storage/storageAccounts/stfabrikamshop"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.api.principal_id
  condition_version    = "2.0"
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'orders'))"
}

resource "azurerm_role_assignment" "kubelet_acr" {
  scope                = "/subscriptions/662f1b12-49e5-5cad-a6a3-c02e01f4a9d6/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/fabrikamshop"
  role_definition_name = "AcrPull"
  principal_id         = "f5fcd3bf-4281-5c1e-bf60-18feb335b091"
}

resource "azurerm_role_assignment" "kubelet_acr_old" {
  scope                = "/subscriptions/662f1b12-49e5-5cad-a6a3-c02e01f4a9d6/resourceGroups/rg-shop"
  role_definition_name = "AcrPull"
  principal_id         = "f5fcd3bf-4281-5c1e-bf60-18feb335b091"
}
