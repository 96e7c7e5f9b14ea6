#!/usr/bin/env bash
# check-plan.sh PLAN_JSON LEAVER [ALLOWED_CLUSTER...]
#
# Policy check for an offboarding pipeline, on the output of
# `terraform show -json tfplan`. Fails (exit 1) when a planned token
# revocation is not what an offboarding of LEAVER should do:
#   - it must revoke by user (REVOKE_TOKEN_FOR_USER), for LEAVER only;
#   - it must target clusters by name, and only the allowed clusters;
#   - it must not also target access groups or single devices;
#   - the devices it resolves to (target_devices) must be known, at most
#     MAX_DEVICES of them (default 10), each in an allowed cluster.
# Re-runs (replace) and removals from state are allowed but reported.
set -euo pipefail
plan="$1" leaver="$2"; shift 2
allowed="$(printf '%s\n' "${@:-BlueCluster}" | jq -R . | jq -s .)"
max_devices="${MAX_DEVICES:-10}"

out="$(jq -r --arg leaver "$leaver" --argjson allowed "$allowed" --argjson max "$max_devices" '
  def names(f): (f // []);
  [ .resource_changes[]?
    | select(.type == "bigiq_oauth_token_revocation")
    | select(.change.actions | index("create"))
    | .address as $addr | .change.after as $a
    | ( if $a.action != "REVOKE_TOKEN_FOR_USER"
          then "DENY \($addr): action \($a.action) revokes more than one user'"'"'s tokens; offboarding revokes by user_name only" else empty end ),
      ( if $a.action == "REVOKE_TOKEN_FOR_USER" and $a.user_name != $leaver
          then "DENY \($addr): revokes the tokens of \($a.user_name | tojson), not of the leaver \($leaver | tojson)" else empty end ),
      ( if (names($a.cluster_names) | length) == 0
          then "DENY \($addr): no cluster_names; target clusters by name" else empty end ),
      ( names($a.cluster_names)[] | select(. as $c | $allowed | index($c) | not)
          | "DENY \($addr): cluster \(. | tojson) is not one of \($allowed | join(", "))" ),
      ( if (names($a.access_group_names) | length) > 0 or (names($a.device_references) | length) > 0
          then "DENY \($addr): access_group_names/device_references widen or narrow the revocation; use cluster_names" else empty end ),
      ( if .change.after_unknown.target_devices == true
          then "DENY \($addr): target_devices is not known until apply (a target comes from another resource); plan with known targets so the devices can be reviewed" else empty end ),
      ( names($a.target_devices) | length | select(. > $max)
          | "DENY \($addr): revokes on \(.) devices, more than the \($max) one plan may touch" ),
      ( names($a.target_devices)[] | select(.cluster_name as $c | $allowed | index($c) | not)
          | "DENY \($addr): device \(.hostname) (\(.machine_id)) is in cluster \(.cluster_name | tojson), outside the clusters this pipeline may touch" )
  ] as $deny
  | [ .resource_changes[]?
      | select(.type == "bigiq_oauth_token_revocation")
      | if .change.actions == ["delete", "create"] or .change.actions == ["create", "delete"]
          then "NOTE \(.address): replaced, so the revocation runs again (changed: \(.change.replace_paths // [] | map(map(tostring) | join(".")) | join(", ")); recorded outcome: \(.change.before.outcome // "none, the recorded task did not succeed"))"
        elif .change.actions == ["delete"]
          then "NOTE \(.address): only removed from the state; nothing is sent to BIG-IQ and no revocation is undone"
        elif .change.actions == ["create"]
          then "PLAN \(.address): \(.change.after.action) \(.change.after.user_name // .change.after.client_id // "(listed tokens)" | tojson) on \([(.change.after.cluster_names // [] | map("cluster " + .)), (.change.after.access_group_names // [] | map("group " + .)), (.change.after.device_references // [] | map("device " + .))] | add | if length == 0 then "the devices in per_device_oauth_ids" else join(", ") end): \(.change.after.target_devices // [] | map(.hostname) | if length == 0 then "devices known at apply" else join(", ") end)"
        else empty end
    ] as $notes
  | ($notes + $deny)[], (if ($deny | length) > 0 then "policy: \($deny | length) violation(s)" else "policy: ok" end)
' "$plan")"
printf '%s\n' "$out"
[[ "$(tail -n 1 <<<"$out")" == "policy: ok" ]]
