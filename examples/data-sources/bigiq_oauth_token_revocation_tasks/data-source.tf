# The audit record: every revocation of alice's tokens this year, newest
# first, with who started it and how it ended.
data "bigiq_oauth_token_revocation_tasks" "alice" {
  user_name     = "alice"
  started_after = "2026-01-01T00:00:00Z"
}

output "alice_revocations" {
  value = [for t in data.bigiq_oauth_token_revocation_tasks.alice.tasks :
  "${t.start_date_time} ${t.status} on ${join(", ", t.cluster_names)} by ${t.started_by}"]
}

# A pipeline guard: has a revocation for this user already finished in the
# last 24 hours?
data "bigiq_oauth_token_revocation_tasks" "recent" {
  user_name     = "alice"
  status        = "FINISHED"
  started_after = timeadd(plantimestamp(), "-24h")
}

output "alice_revoked_today" {
  value = length(data.bigiq_oauth_token_revocation_tasks.recent.tasks) > 0
}
