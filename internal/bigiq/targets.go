package bigiq

import (
	"cmp"
	"slices"
	"strings"
)

// How BIG-IQ resolves the targets of a revoke-tokens task to managed
// devices, so that a plan can show them before the task runs. BIG-IQ does
// this itself when the task starts (its RESOLVE_DEVICES step); the rule
// here must agree with it, and the mock's, which a test checks.

// TargetKind names what a revocation target is.
type TargetKind string

// The kinds of target a revocation names devices by.
const (
	TargetCluster         TargetKind = "cluster"
	TargetAccessGroup     TargetKind = "Access group"
	TargetDeviceReference TargetKind = "device reference"
	// TargetTokenDevice is a device named in perDeviceOauthIds.
	TargetTokenDevice TargetKind = "token device"
)

// TargetMiss is a target that names no managed device: BIG-IQ would fail
// the task with MessageNoMatchingDevices, or leave the tokens alone.
type TargetMiss struct {
	Kind  TargetKind
	Value string
}

// Reasons BIG-IQ skips a device a target names.
const (
	skipTrustNotEstablished = "BIG-IQ has not established trust with it"
	SkipAccessNotDiscovered = "BIG-IQ has not discovered its Access (APM) service"
	SkipAccessNotImported   = "BIG-IQ has not imported its Access configuration, so its Access group does not cover it"
)

// SkippedDevice is a device a target names on which BIG-IQ revokes nothing.
type SkippedDevice struct {
	Device Device
	Kind   TargetKind // the target that named it
	Value  string
	Reason string
}

// Resolution is what a revocation's targets select among the managed
// devices.
type Resolution struct {
	// Devices are the devices BIG-IQ revokes on, sorted by hostname then
	// machine id.
	Devices []Device
	// Misses are targets that name no managed device, in request order.
	Misses []TargetMiss
	// Skipped are devices a target names that BIG-IQ will not revoke on,
	// sorted as Devices.
	Skipped []SkippedDevice
	// UnreachedTokenDevices are the devices of perDeviceOauthIds, as the
	// request writes them, that BIG-IQ manages but will not revoke on:
	// the other targets do not select them, or BIG-IQ skips them. BIG-IQ
	// leaves the tokens listed there alone, and says nothing of them.
	UnreachedTokenDevices []string
	// ClusterMemberReferences are the devices a device reference (the
	// user's, not ones derived from perDeviceOauthIds) names that are
	// members of a cluster of more than one device. BIG-IQ revokes on a cluster's active member;
	// a reference to the standby finishes without revoking anything, and
	// BIG-IQ does not say which member is active.
	ClusterMemberReferences []Device
	// Clusters and AccessGroups are the names BIG-IQ knows, sorted, for
	// telling the user what a missed name could have been.
	Clusters     []string
	AccessGroups []string
}

// ResolveTargets resolves req's targets (clusterNames, accessGroupNames,
// deviceReferences, or for a list action without them the devices of
// perDeviceOauthIds) among devices, the whole MachineId Resolver listing.
// The result is the union of what each target selects: a device whose
// trust is established and whose Access service is discovered, and through
// an Access group only one whose Access configuration is imported.
func ResolveTargets(devices []Device, req RevokeRequest) Resolution {
	derived := req.withDerivedTargets()
	refKind := TargetDeviceReference
	if len(derived.DeviceReferences) != len(req.DeviceReferences) {
		refKind = TargetTokenDevice
	}
	var res Resolution
	clusters, groups := map[string]bool{}, map[string]bool{}
	members := map[string]int{} // cluster name → number of its devices
	byID := make(map[string]*Device, len(devices))
	for i := range devices {
		d := &devices[i]
		byID[strings.ToLower(d.MachineID)] = d
		if d.ClusterName != "" {
			clusters[d.ClusterName] = true
			members[d.ClusterName]++
		}
		if d.AccessGroupName != "" {
			groups[d.AccessGroupName] = true
		}
	}
	res.Clusters = sortedKeys(clusters)
	res.AccessGroups = sortedKeys(groups)

	// named collects, per device, the first target naming it and whether
	// any target selects it.
	type naming struct {
		device   *Device
		kind     TargetKind
		value    string
		selected bool
		reason   string
	}
	named := map[*Device]*naming{}
	name := func(d *Device, kind TargetKind, value string, viaGroup bool) {
		n := named[d]
		if n == nil {
			n = &naming{device: d, kind: kind, value: value}
			named[d] = n
		}
		switch {
		case n.selected:
		case !d.TrustEstablished:
			n.reason = skipTrustNotEstablished
		case !d.AccessDiscovered:
			n.reason = SkipAccessNotDiscovered
		case viaGroup && !d.AccessImported:
			if n.reason == "" {
				n.kind, n.value, n.reason = kind, value, SkipAccessNotImported
			}
		default:
			n.selected = true
		}
	}

	for _, cluster := range req.ClusterNames {
		if !clusters[cluster] {
			res.Misses = append(res.Misses, TargetMiss{TargetCluster, cluster})
			continue
		}
		for i := range devices {
			if devices[i].ClusterName == cluster {
				name(&devices[i], TargetCluster, cluster, false)
			}
		}
	}
	for _, group := range req.AccessGroupNames {
		if !groups[group] {
			res.Misses = append(res.Misses, TargetMiss{TargetAccessGroup, group})
			continue
		}
		for i := range devices {
			if devices[i].AccessGroupName == group {
				name(&devices[i], TargetAccessGroup, group, true)
			}
		}
	}
	for _, ref := range derived.DeviceReferences {
		if d := byID[strings.ToLower(MachineIDOf(ref.Link))]; d != nil {
			name(d, refKind, ref.Link, false)
			if refKind == TargetDeviceReference && members[d.ClusterName] > 1 {
				res.ClusterMemberReferences = append(res.ClusterMemberReferences, *d)
			}
		} else {
			res.Misses = append(res.Misses, TargetMiss{refKind, ref.Link})
		}
	}
	// A token's device must be managed even when other targets are given:
	// BIG-IQ could not revoke the token otherwise.
	if refKind != TargetTokenDevice {
		for _, entry := range req.PerDeviceOAuthIDs {
			if ref := entry.DeviceReference.Link; byID[strings.ToLower(MachineIDOf(ref))] == nil {
				res.Misses = append(res.Misses, TargetMiss{TargetTokenDevice, ref})
			}
		}
	}

	for _, n := range named {
		if n.selected {
			res.Devices = append(res.Devices, *n.device)
		} else {
			res.Skipped = append(res.Skipped, SkippedDevice{Device: *n.device, Kind: n.kind, Value: n.value, Reason: n.reason})
		}
	}
	selected := make(map[string]bool, len(res.Devices))
	for _, d := range res.Devices {
		selected[strings.ToLower(d.MachineID)] = true
	}
	for _, entry := range req.PerDeviceOAuthIDs {
		id := strings.ToLower(MachineIDOf(entry.DeviceReference.Link))
		if byID[id] != nil && !selected[id] {
			res.UnreachedTokenDevices = append(res.UnreachedTokenDevices, entry.DeviceReference.Link)
		}
	}
	slices.SortFunc(res.Devices, compareDevices)
	slices.SortFunc(res.Skipped, func(a, b SkippedDevice) int { return compareDevices(a.Device, b.Device) })
	return res
}

// compareDevices orders devices by hostname, then machine id.
func compareDevices(a, b Device) int {
	return cmp.Or(cmp.Compare(a.Hostname, b.Hostname), cmp.Compare(a.MachineID, b.MachineID))
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
