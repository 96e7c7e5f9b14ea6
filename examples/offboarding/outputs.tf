output "task_id" {
  description = "ID of the BIG-IQ revoke-tokens task (kept on BIG-IQ for audit)."
  value       = bigiq_oauth_token_revocation.leaver.id
}

output "outcome" {
  description = "What the run achieved: REVOKED, NOTHING_TO_REVOKE (the leaver held no live token) or PARTIALLY_REVOKED."
  value       = bigiq_oauth_token_revocation.leaver.outcome
}

output "status" {
  description = "Status of the task as BIG-IQ reported it, e.g. FINISHED (FAILED when there was nothing to revoke; read outcome)."
  value       = bigiq_oauth_token_revocation.leaver.status
}

output "result" {
  description = "Result of the task as BIG-IQ reported it, e.g. COMPLETE."
  value       = bigiq_oauth_token_revocation.leaver.result
}

output "devices" {
  description = "The devices in the cluster, by host name."
  value = {
    for d in data.bigiq_devices.cluster.devices : d.hostname => {
      machine_id = d.machine_id
      address    = d.address
      state      = d.state
    }
  }
}

output "client_apps" {
  description = "OAuth client apps on each device of the cluster, by host name."
  value = {
    for host, apps in data.bigiq_oauth_client_apps.per_device : host => [for a in apps.client_apps : a.name]
  }
}

output "target_devices" {
  description = "Host names of the devices the revocation ran on, as BIG-IQ resolved the cluster when the plan was made."
  value       = [for d in bigiq_oauth_token_revocation.leaver.target_devices : d.hostname]
}
