variable "prefix" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "vnet_subnet_id" {
  type = string
}

variable "attached_acr_id_map" {
  type = map(string)
}

variable "application_gateway_id" {
  type = string
}
