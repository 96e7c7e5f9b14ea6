terraform {
  required_providers {
    bigiq = {
      source = "bigiq-community/bigiq"
    }
  }
}

# Username and password: the provider logs in to BIG-IQ
# (POST /mgmt/shared/authn/login) and renews the 5-minute access token with
# the refresh token the login returned.
# Keep secrets out of the configuration: every setting below can come from an
# environment variable instead (BIGIQ_ADDRESS, BIGIQ_USERNAME, BIGIQ_PASSWORD,
# BIGIQ_LOGIN_PROVIDER, BIGIQ_TOKEN, BIGIQ_REFRESH_TOKEN, BIGIQ_INSECURE,
# BIGIQ_CA_CERTIFICATE),
# and a value set here wins over the environment.
provider "bigiq" {
  address  = "https://bigiq.example.com"
  username = "offboarding-bot"
  password = var.bigiq_password

  # BIG-IQ's own user store is "local" (the default); give the name of a
  # RADIUS, LDAP or TACACS+ login provider for a remote user.
  login_provider_name = "local"

  # TLS verification is always on. Trust a private CA or a self-signed BIG-IQ
  # certificate by giving it here (PEM); `insecure = true` turns verification
  # off and is meant for lab systems only.
  ca_certificate = file("${path.module}/bigiq-ca.pem")

  # Per-request limits; waiting for a revocation task is bounded by the
  # resource's `timeouts` instead.
  request_timeout = "60s"
  max_retries     = 5
}

# A pre-issued refresh token instead of username and password, for a
# pipeline that should not hold a password: the provider exchanges it for
# access tokens as they expire, for up to the refresh token's 10 hours. A
# pre-issued access token (`token`) alone lasts at most 5 minutes and is not
# renewed, so it suits only quick runs.
#
#   provider "bigiq" {
#     address       = "https://bigiq.example.com"
#     refresh_token = var.bigiq_refresh_token
#   }
#
# Everything from the environment, nothing in the configuration:
#
#   export BIGIQ_ADDRESS=https://bigiq.example.com
#   export BIGIQ_USERNAME=offboarding-bot
#   export BIGIQ_PASSWORD=...            # or BIGIQ_REFRESH_TOKEN=...
#   export BIGIQ_LOGIN_PROVIDER=corp-ldap
#   export BIGIQ_CA_CERTIFICATE="$(cat bigiq-ca.pem)"
#
#   provider "bigiq" {}

variable "bigiq_password" {
  description = "Password of the BIG-IQ user the provider logs in as."
  type        = string
  sensitive   = true
}
