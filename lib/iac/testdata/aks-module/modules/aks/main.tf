resource "azurerm_kubernetes_cluster" "main" {
  name                = "${var.prefix}-aks"
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = var.prefix

  default_node_pool {
    name           = "nodepool"
    vm_size        = "Standard_D2s_v3"
    node_count     = 2
    vnet_subnet_id = var.vnet_subnet_id
  }

  identity {
    type = "SystemAssigned"
  }

  ingress_application_gateway {
    gateway_id = var.application_gateway_id
  }

  network_profile {
    network_plugin = "azure"
  }
}
