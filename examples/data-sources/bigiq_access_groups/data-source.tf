# Every Access group, with how many devices each holds.
data "bigiq_access_groups" "all" {}

# One group, to check it exists before a revocation targets it.
data "bigiq_access_groups" "test_group" {
  name = "TestGroup"
}

output "access_group_sizes" {
  value = { for g in data.bigiq_access_groups.all.access_groups : g.name => g.device_count }
}
