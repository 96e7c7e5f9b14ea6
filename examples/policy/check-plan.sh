#!/usr/bin/env bash
# check-plan.sh PLAN_JSON LEAVER [ALLOWED_CLUSTER...]
#
# Policy check for an offboarding pipeline, on the output of
# `terraform show -json tfplan`. Fails (exit 1) when a token revocation the
# plan will run is not what an offboarding of LEAVER should do. It reviews
# both ways a plan revokes: a bigiq_oauth_token_revocation it creates or
# replaces (resource_changes), and each bigiq_revoke_oauth_tokens action it
# invokes, from an action_trigger or from `plan -invoke`
# (action_invocations, Terraform 1.14+). The same rules apply to both:
#   - it must revoke by user (REVOKE_TOKEN_FOR_USER), for LEAVER only;
#   - it must target clusters by name, and only the allowed clusters;
#   - it must not also target access groups or single devices;
#   - the devices it resolves to must be in the plan (target_devices), at
#     most MAX_DEVICES of them (default 10), each in an allowed cluster. An
#     action's plan lists no devices, so an action never passes this rule:
#     revocations a pipeline reviews go through the resource.
# Re-runs (replace) and removals from state are allowed but reported.
set -euo pipefail
plan="$1" leaver="$2"; shift 2
allowed="$(printf '%s\n' "${@:-BlueCluster}" | jq -R . | jq -s .)"
max_devices="${MAX_DEVICES:-10}"

out="$(jq -r --arg leaver "$leaver" --argjson allowed "$allowed" --argjson max "$max_devices" '
  def names(f): (f // []);
  # Every revocation the plan will run, in one shape: addr, the arguments
  # (a; an action has no computed action, so it is derived as the provider
  # does), whether its devices are listed, and which parts are unknown.
  def revocations:
    [ ( .resource_changes[]?
        | select(.type == "bigiq_oauth_token_revocation")
        | select(.change.actions | index("create"))
        | { addr: .address, a: .change.after, devices_listed: true,
            unknown: (.change.after_unknown.target_devices == true) } ),
      ( .action_invocations[]?
        | select(.type == "bigiq_revoke_oauth_tokens")
        | { addr: "\(.address) (\(if .lifecycle_action_trigger then "triggered \(.lifecycle_action_trigger.action_trigger_event) of \(.lifecycle_action_trigger.triggering_resource_address)" else "invoked" end))",
            a: ((.config_values // {})
                | .action = (if .user_name != null then "REVOKE_TOKEN_FOR_USER"
                             elif .client_id != null then "REVOKE_TOKEN_FOR_CLIENT_ID"
                             else "REVOKE_LIST_OF_TOKENS" end)),
            devices_listed: false,
            unknown: ([.config_unknown // {} | .. | select(. == true)] | length > 0) } ) ];
  revocations as $revs
  | [ $revs[]
    | .addr as $addr | .a as $a
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
      ( if .unknown and .devices_listed
          then "DENY \($addr): target_devices is not known until apply (a target comes from another resource); plan with known targets so the devices can be reviewed"
        elif .unknown
          then "DENY \($addr): its configuration is not known until apply (a value comes from another resource)" else empty end ),
      ( if .devices_listed | not
          then "DENY \($addr): an action'"'"'s plan does not list the devices it will revoke on (no target_devices), so they cannot be reviewed; revoke through bigiq_oauth_token_revocation" else empty end ),
      ( names($a.target_devices) | length | select(. > $max)
          | "DENY \($addr): revokes on \(.) devices, more than the \($max) one plan may touch" ),
      ( names($a.target_devices)[] | select(.cluster_name as $c | $allowed | index($c) | not)
          | "DENY \($addr): device \(.hostname) (\(.machine_id)) is in cluster \(.cluster_name | tojson), outside the clusters this pipeline may touch" )
  ] as $deny
  | [ ( .resource_changes[]?
        | select(.type == "bigiq_oauth_token_revocation")
        | if .change.actions == ["delete", "create"] or .change.actions == ["create", "delete"]
            then "NOTE \(.address): replaced, so the revocation runs again (changed: \(.change.replace_paths // [] | map(map(tostring) | join(".")) | join(", ")); recorded outcome: \(.change.before.outcome // "none, the recorded task did not succeed"))"
          elif .change.actions == ["delete"]
            then "NOTE \(.address): only removed from the state; nothing is sent to BIG-IQ and no revocation is undone"
          else empty end ),
      ( $revs[]
        | .addr as $addr | .a as $a
        | "PLAN \($addr): \($a.action) \($a.user_name // $a.client_id // "(listed tokens)" | tojson) on \([(names($a.cluster_names) | map("cluster " + .)), (names($a.access_group_names) | map("group " + .)), (names($a.device_references) | map("device " + .))] | add | if length == 0 then "the devices in per_device_oauth_ids" else join(", ") end): \(if .devices_listed then (names($a.target_devices) | map(.hostname) | if length == 0 then "devices known at apply" else join(", ") end) else "devices not in the plan" end)" )
    ] as $notes
  | ($notes + $deny)[], (if ($deny | length) > 0 then "policy: \($deny | length) violation(s)" else "policy: ok" end)
' "$plan")"
printf '%s\n' "$out"
[[ "$(tail -n 1 <<<"$out")" == "policy: ok" ]]
