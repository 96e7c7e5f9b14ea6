#!/usr/bin/env bash
# Reference script: revoke every OAuth token of one user on one BIG-IQ
# cluster the way the vendor's guide describes it, with curl and jq: log in,
# POST a revoke-tokens task, GET it every second until it is FINISHED,
# FAILED or CANCELLED, then free the auth token. The benchmark times it
# against `terraform apply` of the same revocation.
#
#   BIGIQ_ADDRESS=https://bigiq BIGIQ_USERNAME=admin BIGIQ_PASSWORD=... \
#   BIGIQ_CA_FILE=ca.pem revoke-tokens.sh <user_name> <cluster_name>
#
# Exit status 0 when the task FINISHED with result COMPLETE.
set -euo pipefail

user_name="${1:?usage: revoke-tokens.sh <user_name> <cluster_name>}"
cluster_name="${2:?usage: revoke-tokens.sh <user_name> <cluster_name>}"
bigiq="${BIGIQ_ADDRESS:?set BIGIQ_ADDRESS}"
curl_opts=(--silent --show-error --fail-with-body)
if [[ -n "${BIGIQ_CA_FILE:-}" ]]; then
  curl_opts+=(--cacert "$BIGIQ_CA_FILE")
fi

token="$(jq -n --arg u "${BIGIQ_USERNAME:?}" --arg p "${BIGIQ_PASSWORD:?}" \
    '{username: $u, password: $p, loginProviderName: "local"}' |
  curl "${curl_opts[@]}" -H 'Content-Type: application/json' --data @- \
    "$bigiq/mgmt/shared/authn/login" | jq -r .token.token)"
auth=(-H "X-F5-Auth-Token: $token")
trap 'curl "${curl_opts[@]}" "${auth[@]}" -X DELETE "$bigiq/mgmt/shared/authz/tokens/$token" >/dev/null' EXIT

task_id="$(jq -n --arg u "$user_name" --arg c "$cluster_name" \
    '{action: "REVOKE_TOKEN_FOR_USER", userName: $u, clusterNames: [$c]}' |
  curl "${curl_opts[@]}" "${auth[@]}" -H 'Content-Type: application/json' --data @- \
    "$bigiq/mgmt/cm/access/tasks/revoke-tokens" | jq -r .id)"

while :; do
  sleep 1
  task="$(curl "${curl_opts[@]}" "${auth[@]}" "$bigiq/mgmt/cm/access/tasks/revoke-tokens/$task_id")"
  status="$(jq -r .status <<<"$task")"
  case "$status" in
    FINISHED | FAILED | CANCELLED) break ;;
  esac
done

result="$(jq -r '.result // empty' <<<"$task")"
echo "task $task_id: $status $result"
[[ "$status" == FINISHED && "$result" == COMPLETE ]]
