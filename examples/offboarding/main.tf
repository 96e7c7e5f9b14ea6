# Offboarding: revoke every OAuth token a leaver holds on the BIG-IP devices
# of one BIG-IQ cluster, and report what was done.
#
# Connection settings come from the environment (BIGIQ_ADDRESS,
# BIGIQ_USERNAME, BIGIQ_PASSWORD or BIGIQ_TOKEN, BIGIQ_CA_CERTIFICATE), so
# this module holds no secrets. Run it with:
#
#   terraform apply -var user_name=alice
#
# and re-run a finished offboarding by changing `triggers`:
#
#   terraform apply -var user_name=alice -var 'triggers={ticket="HR-1234",run="2"}'

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    bigiq = {
      source = "bigiq-community/bigiq"
    }
  }
}

provider "bigiq" {}

# The devices the revocation will reach, for the plan reviewer and the
# outputs. An empty list means the cluster name is wrong (or the devices are
# not yet discovered), which the precondition below turns into a plan error.
data "bigiq_devices" "cluster" {
  cluster_name = var.cluster_name
}

# The OAuth client apps on each of those devices: the apps whose tokens the
# user may hold.
data "bigiq_oauth_client_apps" "per_device" {
  for_each = { for d in data.bigiq_devices.cluster.devices : d.hostname => d.machine_id }

  machine_id = each.value
}

resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = var.user_name
  cluster_names = [var.cluster_name]
  triggers      = var.triggers

  timeouts {
    create = var.timeout
  }

  lifecycle {
    precondition {
      condition     = length(data.bigiq_devices.cluster.devices) > 0
      error_message = "BIG-IQ manages no device in cluster \"${var.cluster_name}\": check the cluster name, and that the devices are discovered with APM."
    }
  }
}
