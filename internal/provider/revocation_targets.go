package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// The devices a revocation will touch, shown in the plan (target_devices)
// and checked again just before the task is started, so that an apply
// never revokes on a device its reviewer did not see.

// targetDeviceAttributes are the attributes of bigiq_devices that
// target_devices shows for each device.
var targetDeviceAttributes = deviceAttributes.only("machine_id", "hostname", "address", "cluster_name", "access_group_name", "self_link")

// targetDeviceType is the object type of one element of target_devices,
// from the table its schema (targetDevicesSchema) is built from.
func targetDeviceType() types.ObjectType { return targetDeviceAttributes.frameworkType() }

// targetDevicesValue is devices as target_devices, each built from the
// same table bigiq_devices uses.
func targetDevicesValue(ctx context.Context, devices []bigiq.Device) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	targetDeviceType := targetDeviceType()
	tfType := targetDeviceAttributes.terraformType()
	elements := make([]attr.Value, 0, len(devices))
	for i := range devices {
		element, err := targetDeviceType.ValueFromTerraform(ctx, targetDeviceAttributes.object(tfType, &devices[i]))
		if err != nil {
			diags.AddError("Could not build target_devices", "This is a bug in the provider, please report it.\n\n"+err.Error())
			return types.ListUnknown(targetDeviceType), diags
		}
		elements = append(elements, element)
	}
	list, d := types.ListValue(targetDeviceType, elements)
	diags.Append(d...)
	return list, diags
}

// targetsKnown reports whether every target argument is known, so the
// devices they select can be resolved.
func targetsKnown(ctx context.Context, m revocationInputs) bool {
	for _, v := range []attr.Value{m.ClusterNames, m.AccessGroupNames, m.DeviceReferences, m.PerDeviceOAuthIDs} {
		tf, err := v.ToTerraformValue(ctx)
		if err != nil || !tf.IsFullyKnown() {
			return false
		}
	}
	return true
}

// resolveTargetsAtPlanTime resolves the devices a revocation's targets
// select, for a plan: the resource's and the action's. A target that names
// nothing BIG-IQ manages is an error; a device BIG-IQ will skip is a
// warning. resolved is false when the targets cannot be resolved yet (not
// known, or no client).
func resolveTargetsAtPlanTime(ctx context.Context, pd *providerData, in revocationInputs) (devices []bigiq.Device, resolved bool, diags diag.Diagnostics) {
	if pd == nil || !targetsKnown(ctx, in) {
		return nil, false, diags
	}
	req, d := revokeRequestFromInputs(ctx, in)
	if d.HasError() {
		return nil, false, diags // the arguments' own errors are reported at validation
	}
	listed, err := pd.listings.forPlan(ctx)
	if bigiq.IsAuthFailure(err) {
		diags.Append(credentialsRefused("the plan cannot show which devices the revocation would touch", err))
		return nil, false, diags
	}
	if err != nil {
		diags.AddError("Could not resolve the revocation targets",
			"Listing BIG-IQ's managed devices (its MachineId Resolver) failed, so the plan cannot show which devices "+
				"the revocation would touch. Check that BIG-IQ is reachable and try again.\n\n"+err.Error())
		return nil, false, diags
	}
	res := bigiq.ResolveTargets(listed, req)
	diags.Append(targetMissDiagnostics(res, req)...)
	diags.Append(skippedDeviceWarnings(res)...)
	tflog.Debug(ctx, "Resolved revocation targets", map[string]any{"devices": len(res.Devices), "skipped": len(res.Skipped)})
	return res.Devices, true, diags
}

// knownNamesShown caps the names an error lists.
const knownNamesShown = 20

func targetMissDiagnostics(res bigiq.Resolution, req bigiq.RevokeRequest) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, miss := range res.Misses {
		switch miss.Kind {
		case bigiq.TargetCluster:
			diags.AddAttributeError(path.Root("cluster_names"), "Unknown cluster",
				fmt.Sprintf("cluster_names contains %q, which is the cluster of no device BIG-IQ manages; BIG-IQ would fail "+
					"the task with %q. BIG-IQ knows these clusters: %s.", miss.Value, bigiq.MessageNoMatchingDevices, someNames(res.Clusters)))
		case bigiq.TargetAccessGroup:
			diags.AddAttributeError(path.Root("access_group_names"), "Unknown Access group",
				fmt.Sprintf("access_group_names contains %q, which is the Access group of no device BIG-IQ manages; BIG-IQ "+
					"would fail the task with %q. BIG-IQ's devices are in these Access groups: %s.", miss.Value,
					bigiq.MessageNoMatchingDevices, someNames(res.AccessGroups)))
		case bigiq.TargetDeviceReference:
			diags.AddAttributeError(path.Root("device_references"), "Unknown device",
				fmt.Sprintf("device_references contains %q: BIG-IQ manages no device with machine id %s. The bigiq_devices "+
					"data source lists the devices it does manage.", miss.Value, bigiq.MachineIDOf(miss.Value)))
		case bigiq.TargetTokenDevice:
			diags.AddAttributeError(path.Root("per_device_oauth_ids"), "Unknown device",
				fmt.Sprintf("per_device_oauth_ids names device %q: BIG-IQ manages no device with machine id %s, so it cannot "+
					"revoke tokens there. The bigiq_devices data source lists the devices it does manage.",
					miss.Value, bigiq.MachineIDOf(miss.Value)))
		}
	}
	// Without targets the listed devices are the targets, so a device is
	// unreached only because BIG-IQ skips it: the advice about targets
	// would name arguments the user never gave.
	targetsGiven := len(req.ClusterNames) > 0 || len(req.AccessGroupNames) > 0 || len(req.DeviceReferences) > 0
	for _, ref := range res.UnreachedTokenDevices {
		why := "cluster_names, access_group_names and device_references do not select it, or BIG-IQ skips it " +
			"(see the warnings)"
		next := "Add the device to the targets, or leave the targets out so that the listed devices are the targets."
		if !targetsGiven {
			why = "BIG-IQ skips it (see the warning for why)"
			next = "Fix what the warning names on the device, or remove its entry from per_device_oauth_ids."
		}
		diags.AddAttributeError(path.Root("per_device_oauth_ids"), "Listed tokens on a device the revocation does not reach",
			fmt.Sprintf("per_device_oauth_ids lists tokens on device %q (machine id %s), but BIG-IQ will not revoke on that "+
				"device: %s. BIG-IQ would leave those tokens live and report nothing about them. %s",
				ref, bigiq.MachineIDOf(ref), why, next))
	}
	return diags
}

func skippedDeviceWarnings(res bigiq.Resolution) diag.Diagnostics {
	var diags diag.Diagnostics
	attribute := map[bigiq.TargetKind]string{
		bigiq.TargetCluster: "cluster_names", bigiq.TargetAccessGroup: "access_group_names",
		bigiq.TargetDeviceReference: "device_references", bigiq.TargetTokenDevice: "per_device_oauth_ids",
	}
	for _, d := range res.ClusterMemberReferences {
		diags.AddAttributeWarning(path.Root("device_references"), "Device reference to a cluster member: "+d.Hostname,
			fmt.Sprintf("device_references names %s (machine id %s), a member of cluster %q. BIG-IQ revokes tokens on a "+
				"cluster's active member; if %s is the standby, the task finishes without revoking anything, and BIG-IQ "+
				"does not report which member is active. Name the cluster in cluster_names instead.",
				d.Hostname, d.MachineID, d.ClusterName, d.Hostname))
	}
	for _, s := range res.Skipped {
		name := attribute[s.Kind]
		diags.AddAttributeWarning(path.Root(name), "No token will be revoked on "+s.Device.Hostname,
			fmt.Sprintf("%s names device %s (machine id %s) through %s %q, but BIG-IQ will skip it: %s. No token will be "+
				"revoked on it, and it is not in target_devices.", name, s.Device.Hostname, s.Device.MachineID, s.Kind, s.Value, s.Reason))
	}
	return diags
}

func someNames(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	if len(names) <= knownNamesShown {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:knownNamesShown], ", "), len(names)-knownNamesShown)
}

// plannedDevices are the devices a plan showed, by machine id (lower
// case), with their hostnames.
type plannedDevices map[string]string

func plannedFromDevices(devices []bigiq.Device) plannedDevices {
	planned := plannedDevices{}
	for _, d := range devices {
		planned[strings.ToLower(d.MachineID)] = d.Hostname
	}
	return planned
}

func plannedFromTargetDevices(list types.List) plannedDevices {
	planned := plannedDevices{}
	for _, v := range list.Elements() {
		if obj, ok := v.(types.Object); ok {
			id, _ := obj.Attributes()["machine_id"].(types.String)
			host, _ := obj.Attributes()["hostname"].(types.String)
			planned[strings.ToLower(id.ValueString())] = host.ValueString()
		}
	}
	return planned
}

// checkTargetsUnchanged resolves the targets again just before the task
// starts, for the resource and the action alike, from a listing that began
// after moment since (deviceListings.moment). If the devices are not
// those of the plan, it fails: nothing may revoke on a device the plan did
// not show. With planned nil (targets not known at plan time) it checks
// what the plan would have. It returns the devices resolved now. The drift
// error is about the attribute at (path.Empty() for none) and ends with
// next, what the user should do.
func checkTargetsUnchanged(ctx context.Context, pd *providerData, since int, req bigiq.RevokeRequest, planned plannedDevices,
	at path.Path, next string,
) ([]bigiq.Device, diag.Diagnostics) {
	var diags diag.Diagnostics
	devices, err := pd.listings.since(ctx, since)
	if bigiq.IsAuthFailure(err) {
		diags.Append(credentialsRefused("the targets could not be checked against the plan and no task was started", err))
		return nil, diags
	}
	if err != nil {
		diags.AddError("Could not check the revocation targets",
			"Listing BIG-IQ's managed devices to check that the revocation still targets the devices of the plan "+
				"failed, so no task was started. Check that BIG-IQ is reachable, then try again.\n\n"+err.Error())
		return nil, diags
	}
	res := bigiq.ResolveTargets(devices, req)
	if planned == nil {
		diags.Append(targetMissDiagnostics(res, req)...)
		if diags.HasError() {
			return nil, diags
		}
		diags.Append(skippedDeviceWarnings(res)...)
		return res.Devices, diags
	}

	added, removed := planned.changes(res.Devices)
	if len(added) == 0 && len(removed) == 0 {
		return res.Devices, diags
	}
	summary := "Revocation targets changed since the plan"
	detail := "The clusters, Access groups and devices this revocation names now select other devices than the plan " +
		"showed, so no task was started:\n" +
		strings.Join(append(added, removed...), "\n") + "\n\n" + next
	if at.Equal(path.Empty()) {
		diags.AddError(summary, detail)
	} else {
		diags.AddAttributeError(at, summary, detail)
	}
	return nil, diags
}

// changes compares the devices resolved now with the planned ones: each
// device that is not planned, as "  + host (machine id)", and each planned
// device that is not among them, as "  - host (machine id)", sorted.
func (planned plannedDevices) changes(devices []bigiq.Device) (added, removed []string) {
	gone := maps.Clone(planned)
	for _, d := range devices {
		if _, ok := gone[strings.ToLower(d.MachineID)]; !ok {
			added = append(added, fmt.Sprintf("  + %s (%s)", d.Hostname, d.MachineID))
		}
		delete(gone, strings.ToLower(d.MachineID))
	}
	for id, host := range gone {
		removed = append(removed, fmt.Sprintf("  - %s (%s)", host, id))
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

// The OAuth client apps a client_id revocation touches, shown in the plan
// (client_app_names) so that a reviewer reads "Shutterfly", not a 48-digit
// client id.

// clientAppNamesValue is names as client_app_names, with a warning when
// there are none: a client id no target device knows is likely a mistake,
// but not certainly one, since BIG-IQ lists no app for a device whose
// Access configuration is not imported.
func clientAppNamesValue(clientID string, targets types.List, names []string) (types.Set, diag.Diagnostics) {
	var diags diag.Diagnostics
	if len(names) == 0 {
		diags.AddAttributeWarning(path.Root("client_id"), "No target device knows this client id",
			fmt.Sprintf("BIG-IQ lists no OAuth client app with client_id %q on %s. The revocation will run, and "+
				"finds nothing to revoke unless a device issued tokens to this client without BIG-IQ listing the "+
				"app (its Access configuration not imported). Check the client id against the bigiq_oauth_client_apps "+
				"data source.", clientID, targetHostnames(targets)))
	}
	elements := make([]attr.Value, len(names))
	for i, n := range names {
		elements[i] = types.StringValue(n)
	}
	set, d := types.SetValue(types.StringType, elements)
	diags.Append(d...)
	return set, diags
}

// targetMachineIDs and targetHostnames read target_devices.
func targetMachineIDs(targets types.List) []string { return targetDeviceStrings(targets, "machine_id") }

func targetHostnames(targets types.List) string {
	hosts := targetDeviceStrings(targets, "hostname")
	if len(hosts) == 0 {
		return "no device"
	}
	return someNames(hosts)
}

func targetDeviceStrings(targets types.List, name string) []string {
	var out []string
	for _, v := range targets.Elements() {
		if obj, ok := v.(types.Object); ok {
			if s, ok := obj.Attributes()[name].(types.String); ok {
				out = append(out, s.ValueString())
			}
		}
	}
	return out
}
