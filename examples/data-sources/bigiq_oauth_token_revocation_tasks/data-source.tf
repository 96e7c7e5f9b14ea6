# The audit record: every revocation of alice's tokens this year, newest
# first, with who started it and what it achieved. outcome is the provider's
# verdict (REVOKED, NOTHING_TO_REVOKE, PARTIALLY_REVOKED; null when the task
# did not succeed or still runs); status alone calls a run that found no
# live token FAILED, as BIG-IQ does.
data "bigiq_oauth_token_revocation_tasks" "alice" {
  user_name     = "alice"
  started_after = "2026-01-01T00:00:00Z"
}

output "alice_revocations" {
  value = [for t in data.bigiq_oauth_token_revocation_tasks.alice.tasks :
  "${t.start_date_time} ${coalesce(t.outcome, "not revoked (${t.status})")} on ${join(", ", t.cluster_names)} by ${t.started_by}"]
}

# A pipeline guard: has a revocation for this user succeeded in the last 24
# hours? A run that found nothing left to revoke counts: its status is
# FAILED, its outcome NOTHING_TO_REVOKE.
data "bigiq_oauth_token_revocation_tasks" "recent" {
  user_name     = "alice"
  started_after = timeadd(plantimestamp(), "-24h")
}

output "alice_revoked_today" {
  value = anytrue([for t in data.bigiq_oauth_token_revocation_tasks.recent.tasks : t.outcome != null])
}
