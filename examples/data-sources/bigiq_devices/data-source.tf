# Every managed device in a cluster.
data "bigiq_devices" "blue" {
  cluster_name = "BlueCluster"
}

# Devices by address (sent to BIG-IQ as an OData $filter).
data "bigiq_devices" "by_address" {
  addresses = ["10.255.4.124"]
}

# Devices of an access group.
data "bigiq_devices" "test_group" {
  access_group_name = "TestGroup"
}

# Device references (machineid-resolver links) by host name, for targeting
# devices with device_references.
output "blue_device_references" {
  value = { for d in data.bigiq_devices.blue.devices : d.hostname => d.self_link }
}
