terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
}

resource "azurerm_resource_group" "main" {
  name     = "rg-seed"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                = "seedregistry"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "Standard"
}

resource "azurerm_dns_zone" "apps" {
  name                = "apps.seed.example"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-seed"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  address_space       = ["10.40.0.0/16"]
}

resource "azurerm_subnet" "aks" {
  name                 = "snet-aks"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.40.0.0/22"]
}

module "aks" {
  source = "./modules/aks"

  cluster_name        = "aks-seed"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  subnet_id           = azurerm_subnet.aks.id
  vnet_id             = azurerm_virtual_network.main.id
  acr_id              = azurerm_container_registry.acr.id
  dns_zone_id         = azurerm_dns_zone.apps.id
}
