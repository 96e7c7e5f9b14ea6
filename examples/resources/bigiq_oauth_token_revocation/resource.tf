# Revoke every OAuth token of one user on the devices of a cluster
# (action REVOKE_TOKEN_FOR_USER). The user name is case-sensitive.
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = "alice"
  cluster_names = ["BlueCluster"]

  # Changing any value replaces the resource, which runs the revocation
  # again: that is how a pipeline re-runs an offboarding.
  triggers = {
    ticket = "HR-1234"
  }

  # How long to wait for BIG-IQ to finish the task (default 15m).
  timeouts {
    create = "20m"
  }
}

# Revoke every token issued to one OAuth client on the devices of an access
# group and of one more device (action REVOKE_TOKEN_FOR_CLIENT_ID). A device
# reference is a bare machine id or a machineid-resolver link.
resource "bigiq_oauth_token_revocation" "compromised_client" {
  client_id          = "89923892aed8eb142a8871058da9005056b09ae221df6a57"
  access_group_names = ["TestGroup"]
  device_references = [
    "https://localhost/mgmt/cm/system/machineid-resolver/901695c8-f405-489f-9996-54f7b21da642",
  ]
}

# Revoke individual tokens by OAuth id (action REVOKE_LIST_OF_TOKENS). With
# no target given, the devices named here are the targets. Fail instead of
# warning when BIG-IQ finds none of them (already revoked or expired).
resource "bigiq_oauth_token_revocation" "tokens" {
  per_device_oauth_ids = [
    {
      device_reference = "901695c8-f405-489f-9996-54f7b21da642"
      oauth_ids = [
        {
          id        = "da6d57ffab9decbe9d75b7fdd4440ad43bedc7a475f3105b"
          client_id = "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"
        },
      ]
    },
  ]
  fail_on_not_found = true
}
