# Conftest / OPA policy for the plan of an offboarding pipeline.
#
#   terraform show -json tfplan > plan.json
#   conftest test --policy examples/policy --data offboarding.json plan.json
#
# or with OPA alone, failing (exit 1) on any violation:
#   opa eval --fail-defined --format raw --data examples/policy/revocation.rego \
#     --data offboarding.json --input plan.json 'data.main.deny[_]'
#
# offboarding.json gives the leaver, the clusters the pipeline may touch and,
# optionally, how many devices one plan may revoke on (default 10):
#   {"offboarding": {"leaver": "alice", "allowed_clusters": ["BlueCluster"], "max_devices": 10}}
#
# It reviews both ways a plan revokes: a bigiq_oauth_token_revocation it
# creates or replaces (resource_changes), and each bigiq_revoke_oauth_tokens
# action it invokes, from an action_trigger or from `plan -invoke`
# (action_invocations, Terraform 1.14+), with the same rules.
#
# The device rules read target_devices: the devices the provider resolved
# the targets to at plan time. The apply revokes on exactly those devices or
# on none (a device that joined a cluster since the plan stops the apply),
# so what this policy approves is what runs. An action's plan lists no
# devices, so an action never passes them: revocations a pipeline reviews
# go through the resource.
package main

import rego.v1

leaver := data.offboarding.leaver

default allowed_cluster_names := ["BlueCluster"]

allowed_cluster_names := data.offboarding.allowed_clusters

allowed_clusters := {c | some c in allowed_cluster_names}

default max_devices := 10

max_devices := data.offboarding.max_devices

# Revocations this plan will run, in one shape: new resources and
# replacements (re-runs), and action invocations. addr names it, args are
# its arguments, devices_listed says whether the plan lists its devices,
# unknown whether a part the rules read is not known until apply.
revocations contains r if {
	some rc in input.resource_changes
	rc.type == "bigiq_oauth_token_revocation"
	"create" in rc.change.actions
	r := {
		"addr": rc.address,
		"args": rc.change.after,
		"devices_listed": true,
		"unknown": object.get(rc.change, ["after_unknown", "target_devices"], false) == true,
	}
}

revocations contains r if {
	some ai in input.action_invocations
	ai.type == "bigiq_revoke_oauth_tokens"
	config := object.get(ai, "config_values", {})
	r := {
		"addr": sprintf("%s (%s)", [ai.address, trigger(ai)]),
		"args": object.union(config, {"action": derived_action(config)}),
		"devices_listed": false,
		"unknown": true in [v | walk(object.get(ai, "config_unknown", {}), [_, v])],
	}
}

trigger(ai) := sprintf("triggered %s of %s", [t.action_trigger_event, t.triggering_resource_address]) if {
	t := ai.lifecycle_action_trigger
} else := "invoked"

# An action's configuration has no computed action; derived as the
# provider derives it.
derived_action(config) := "REVOKE_TOKEN_FOR_USER" if {
	is_string(config.user_name)
} else := "REVOKE_TOKEN_FOR_CLIENT_ID" if {
	is_string(config.client_id)
} else := "REVOKE_LIST_OF_TOKENS"

# A set-valued argument; null when not set.
names(args, key) := v if {
	v := args[key]
	is_array(v)
} else := []

deny contains "data.offboarding.leaver is not set: say whose tokens this pipeline may revoke" if {
	not leaver
}

deny contains msg if {
	some r in revocations
	r.args.action != "REVOKE_TOKEN_FOR_USER"
	msg := sprintf("%s: action %s revokes more than one user's tokens; offboarding revokes by user_name only", [r.addr, r.args.action])
}

deny contains msg if {
	some r in revocations
	r.args.action == "REVOKE_TOKEN_FOR_USER"
	r.args.user_name != leaver
	msg := sprintf("%s: revokes the tokens of %q, not of the leaver %q", [r.addr, r.args.user_name, leaver])
}

deny contains msg if {
	some r in revocations
	count(names(r.args, "cluster_names")) == 0
	msg := sprintf("%s: no cluster_names; target clusters by name", [r.addr])
}

deny contains msg if {
	some r in revocations
	some cluster in names(r.args, "cluster_names")
	not cluster in allowed_clusters
	msg := sprintf("%s: cluster %q is not one this pipeline may touch", [r.addr, cluster])
}

deny contains msg if {
	some r in revocations
	some key in ["access_group_names", "device_references"]
	count(names(r.args, key)) > 0
	msg := sprintf("%s: %s widens or narrows the revocation; use cluster_names", [r.addr, key])
}

deny contains msg if {
	some r in revocations
	r.unknown
	r.devices_listed
	msg := sprintf("%s: target_devices is not known until apply (a target comes from another resource); plan with known targets so the devices can be reviewed", [r.addr])
}

deny contains msg if {
	some r in revocations
	r.unknown
	not r.devices_listed
	msg := sprintf("%s: its configuration is not known until apply (a value comes from another resource)", [r.addr])
}

deny contains msg if {
	some r in revocations
	not r.devices_listed
	msg := sprintf("%s: an action's plan does not list the devices it will revoke on (no target_devices), so they cannot be reviewed; revoke through bigiq_oauth_token_revocation", [r.addr])
}

deny contains msg if {
	some r in revocations
	n := count(names(r.args, "target_devices"))
	n > max_devices
	msg := sprintf("%s: revokes on %d devices, more than the %d one plan may touch", [r.addr, n, max_devices])
}

deny contains msg if {
	some r in revocations
	some device in names(r.args, "target_devices")
	not device.cluster_name in allowed_clusters
	msg := sprintf("%s: device %s (%s) is in cluster %v, outside the clusters this pipeline may touch", [r.addr, device.hostname, device.machine_id, device.cluster_name])
}

warn contains msg if {
	some rc in input.resource_changes
	rc.type == "bigiq_oauth_token_revocation"
	"create" in rc.change.actions
	"delete" in rc.change.actions
	msg := sprintf("%s: replaced, so the revocation runs again (recorded outcome: %s)", [rc.address, recorded_outcome(rc)])
}

# What the replaced run achieved; null outcome means it did not succeed.
recorded_outcome(rc) := o if {
	o := rc.change.before.outcome
	is_string(o)
} else := "none, the recorded task did not succeed"

warn contains msg if {
	some rc in input.resource_changes
	rc.type == "bigiq_oauth_token_revocation"
	rc.change.actions == ["delete"]
	msg := sprintf("%s: only removed from the state; no revocation is undone", [rc.address])
}
