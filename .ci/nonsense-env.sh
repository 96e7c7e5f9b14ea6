#!/usr/bin/env bash
# nonsense-env.sh CMD...: runs CMD with every BIG-IQ setting the provider
# reads, and the HTTP proxies, set to values that would break a test that
# looked at them. `make test` runs its test stages this way, so every CI run
# proves the tests hermetic: a developer's exported BIGIQ_TOKEN or
# BIGIQ_INSECURE must not change an outcome (internal/testenv scrubs them).
#
# Set this up after any tool is resolved (.ci/terraform.sh may build
# terraform through the module proxy); the go command itself finds its
# modules in the cache by then (go vet and lint ran first).
set -euo pipefail
export BIGIQ_ADDRESS=https://nonsense.invalid:1
export BIGIQ_USERNAME=nonsense-user
export BIGIQ_PASSWORD=nonsense-password
export BIGIQ_TOKEN=nonsense-token
export BIGIQ_REFRESH_TOKEN=nonsense-refresh-token
export BIGIQ_LOGIN_PROVIDER=nonsense-login-provider
export BIGIQ_INSECURE=nonsense
export BIGIQ_CA_CERTIFICATE=nonsense-certificate
export HTTPS_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
export HTTP_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
export TF_LOG=nonsense TF_CLI_ARGS=-nonsense TF_VAR_user_name=nonsense
exec "$@"
