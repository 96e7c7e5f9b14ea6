# Conftest / OPA policy for the plan of an offboarding pipeline.
#
#   terraform show -json tfplan > plan.json
#   conftest test --policy examples/policy --data offboarding.json plan.json
#
# offboarding.json gives the leaver, the clusters the pipeline may touch and,
# optionally, how many devices one plan may revoke on (default 10):
#   {"offboarding": {"leaver": "alice", "allowed_clusters": ["BlueCluster"], "max_devices": 10}}
#
# The device rules read target_devices: the devices the provider resolved
# the targets to at plan time. The apply revokes on exactly those devices or
# on none (a device that joined a cluster since the plan stops the apply),
# so what this policy approves is what runs.
package main

import rego.v1

leaver := data.offboarding.leaver

default allowed_cluster_names := ["BlueCluster"]

allowed_cluster_names := data.offboarding.allowed_clusters

allowed_clusters := {c | some c in allowed_cluster_names}

default max_devices := 10

max_devices := data.offboarding.max_devices

# Revocations this plan will run: new ones and replacements (re-runs).
revocations contains rc if {
	some rc in input.resource_changes
	rc.type == "bigiq_oauth_token_revocation"
	"create" in rc.change.actions
}

# A set-valued argument of the planned resource; null when not set.
names(after, key) := v if {
	v := after[key]
	is_array(v)
} else := []

deny contains "data.offboarding.leaver is not set: say whose tokens this pipeline may revoke" if {
	not leaver
}

deny contains msg if {
	some rc in revocations
	rc.change.after.action != "REVOKE_TOKEN_FOR_USER"
	msg := sprintf("%s: action %s revokes more than one user's tokens; offboarding revokes by user_name only", [rc.address, rc.change.after.action])
}

deny contains msg if {
	some rc in revocations
	rc.change.after.action == "REVOKE_TOKEN_FOR_USER"
	rc.change.after.user_name != leaver
	msg := sprintf("%s: revokes the tokens of %q, not of the leaver %q", [rc.address, rc.change.after.user_name, leaver])
}

deny contains msg if {
	some rc in revocations
	count(names(rc.change.after, "cluster_names")) == 0
	msg := sprintf("%s: no cluster_names; target clusters by name", [rc.address])
}

deny contains msg if {
	some rc in revocations
	some cluster in names(rc.change.after, "cluster_names")
	not cluster in allowed_clusters
	msg := sprintf("%s: cluster %q is not one this pipeline may touch", [rc.address, cluster])
}

deny contains msg if {
	some rc in revocations
	some key in ["access_group_names", "device_references"]
	count(names(rc.change.after, key)) > 0
	msg := sprintf("%s: %s widens or narrows the revocation; use cluster_names", [rc.address, key])
}

# The devices a planned revocation will touch, when the plan knows them.
target_devices(rc) := rc.change.after.target_devices

deny contains msg if {
	some rc in revocations
	rc.change.after_unknown.target_devices == true
	msg := sprintf("%s: target_devices is not known until apply (a target comes from another resource); plan with known targets so the devices can be reviewed", [rc.address])
}

deny contains msg if {
	some rc in revocations
	n := count(target_devices(rc))
	n > max_devices
	msg := sprintf("%s: revokes on %d devices, more than the %d one plan may touch", [rc.address, n, max_devices])
}

deny contains msg if {
	some rc in revocations
	some device in target_devices(rc)
	not device.cluster_name in allowed_clusters
	msg := sprintf("%s: device %s (%s) is in cluster %v, outside the clusters this pipeline may touch", [rc.address, device.hostname, device.machine_id, device.cluster_name])
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
