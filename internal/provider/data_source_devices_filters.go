package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// unmatchedFilterDiagnostics warns about a cluster_name or
// access_group_name filter that no listed device carries, and lists the
// names that exist: an empty result in silence hides a misspelt name, or a
// display name ("Green Group") given for the name ("GreenGroup"). With
// addresses, devices are only those at the addresses, so the warning says
// that none of those is in the cluster or group, not that it does not
// exist: it may well hold devices at other addresses.
func unmatchedFilterDiagnostics(devices []bigiq.Device, byAddress bool, clusterName, accessGroupName types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, filter := range []struct {
		attribute, kind string
		value           types.String
		of              func(bigiq.Device) string
	}{
		{"cluster_name", "cluster", clusterName, func(d bigiq.Device) string { return d.ClusterName }},
		{"access_group_name", "Access group", accessGroupName, func(d bigiq.Device) string { return d.AccessGroupName }},
	} {
		if filter.value.IsNull() || filter.value.IsUnknown() {
			continue
		}
		var known []string
		for _, d := range devices {
			if name := filter.of(d); name != "" {
				known = append(known, name)
			}
		}
		slices.Sort(known)
		known = slices.Compact(known)
		if slices.Contains(known, filter.value.ValueString()) {
			continue
		}
		names := "none of the listed devices is in one"
		if len(known) > 0 {
			names = "\"" + strings.Join(known, "\", \"") + "\""
		}
		if byAddress {
			diags.AddAttributeWarning(path.Root(filter.attribute), "No device matches "+filter.attribute,
				fmt.Sprintf("None of the devices at the given addresses is in %s %q, so devices is empty. The %s "+
					"may hold devices at other addresses: both filters apply together. The devices at those "+
					"addresses are in these %s names: %s.",
					filter.kind, filter.value.ValueString(), filter.kind, filter.kind, names))
			continue
		}
		diags.AddAttributeWarning(path.Root(filter.attribute), "No device matches "+filter.attribute,
			fmt.Sprintf("No device BIG-IQ lists is in %s %q, so devices is empty. Names are compared exactly, case "+
				"included, and are BIG-IQ's names, not display names. Known %s names: %s.",
				filter.kind, filter.value.ValueString(), filter.kind, names))
	}
	return diags
}
