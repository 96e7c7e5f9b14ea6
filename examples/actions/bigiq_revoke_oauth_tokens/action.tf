# Revoke every token of a compromised user on the devices of the Blue
# cluster, now, without touching the state (Terraform 1.14+):
#
#   terraform plan  -invoke=action.bigiq_revoke_oauth_tokens.alice
#   terraform apply -invoke=action.bigiq_revoke_oauth_tokens.alice
action "bigiq_revoke_oauth_tokens" "alice" {
  config {
    user_name     = "alice"
    cluster_names = ["BlueCluster"]

    timeouts {
      invoke = "15m"
    }
  }
}

# Revoke the tokens of one OAuth client on one device, the only member of
# RedCluster. Target a cluster of more devices by cluster_names instead:
# BIG-IQ revokes on the active member only, and the plan warns about a
# device reference to a member of such a cluster.
action "bigiq_revoke_oauth_tokens" "leaked_client" {
  config {
    client_id = "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"
    device_references = [
      "901695c8-f405-489f-9996-54f7b21da642",
    ]
    fail_on_not_found = true
  }
}
