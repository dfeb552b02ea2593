# A root module calling a local copy of an AKS module shaped like Azure/terraform-azurerm-aks
# (the role assignments it makes are re-written here from their documented facts).
provider "azurerm" {
  features {}
  subscription_id = "4a0f3f1e-7c1b-4d44-9f2a-2b8d6c1e5a90"
}

module "aks" {
  source = "./modules/aks"

  prefix              = "shop"
  resource_group_name = "rg-aks"
  location            = "westeurope"
  vnet_subnet_id      = "/subscriptions/4a0f3f1e-7c1b-4d44-9f2a-2b8d6c1e5a90/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-aks"
  attached_acr_id_map = {
    main = "/subscriptions/4a0f3f1e-7c1b-4d44-9f2a-2b8d6c1e5a90/resourceGroups/rg-aks/providers/Microsoft.ContainerRegistry/registries/shopacr"
  }
  application_gateway_id = "/subscriptions/4a0f3f1e-7c1b-4d44-9f2a-2b8d6c1e5a90/resourceGroups/rg-aks/providers/Microsoft.Network/applicationGateways/agw-shop"
}
