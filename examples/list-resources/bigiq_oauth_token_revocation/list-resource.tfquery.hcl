# list blocks live in files ending in .tfquery.hcl (this is one), beside the
# module's .tf files, which hold the provider configuration; terraform plan
# and apply ignore them. terraform query (Terraform 1.14+) reads them and
# lists BIG-IQ's revoke-tokens tasks:
#   terraform query
# and writes resources and import blocks for them:
#   terraform query -generate-config-out=revocations.tf
list "bigiq_oauth_token_revocation" "alice" {
  provider         = bigiq
  include_resource = true
  limit            = 50

  config {
    user_name     = "alice"
    status        = "FINISHED"
    started_after = "2026-01-01T00:00:00Z"
  }
}
