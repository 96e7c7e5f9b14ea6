package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// The checks of a revocation's arguments that the schema cannot express,
// shared by the resource and the bigiq_revoke_oauth_tokens action so both
// refuse the same configurations before any request.

// revocationModePaths are the arguments that say what to revoke, of which
// exactly one must be set.
var revocationModePaths = []path.Expression{
	path.MatchRoot("user_name"),
	path.MatchRoot("client_id"),
	path.MatchRoot("per_device_oauth_ids"),
}

// validate checks what the schema cannot express: targets required by the
// mode, and the same device or token named twice.
func (in revocationInputs) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	noTargets := in.ClusterNames.IsNull() && in.AccessGroupNames.IsNull() && in.DeviceReferences.IsNull()
	if noTargets {
		for _, mode := range []struct {
			name  string
			value attr.Value
		}{{"user_name", in.UserName}, {"client_id", in.ClientID}} {
			if !mode.value.IsNull() {
				diags.AddAttributeError(path.Root(mode.name), "Missing revocation target",
					fmt.Sprintf("Revoking by %s needs to know where: set at least one of cluster_names, "+
						"access_group_names or device_references (see the bigiq_devices data source).", mode.name))
			}
		}
	}
	diags.Append(validateDeviceReferences(in.DeviceReferences)...)
	diags.Append(validatePerDeviceOAuthIDs(in.PerDeviceOAuthIDs)...)
	return diags
}

// positiveTimeout refuses a timeout that is not positive. The timeouts
// module only checks that the value parses (parsing holds its errors); a
// zero or negative one would fail every run the moment the task starts.
func positiveTimeout(at path.Path, timeout time.Duration, parsing diag.Diagnostics) diag.Diagnostics {
	var diags diag.Diagnostics
	if !parsing.HasError() && timeout <= 0 {
		diags.AddAttributeError(at, "Invalid timeout",
			fmt.Sprintf("%s is %s; set a positive duration such as \"15m\" (the default), long enough "+
				"for BIG-IQ to revoke the tokens on every targeted device.", at, timeout))
	}
	return diags
}

// validateDeviceReferences rejects one device named twice in different
// forms (a set already removes exact duplicates).
func validateDeviceReferences(refs types.Set) diag.Diagnostics {
	var diags diag.Diagnostics
	if refs.IsNull() || refs.IsUnknown() {
		return diags
	}
	seen := map[string]string{}
	for _, v := range refs.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		id := bigiq.MachineIDOf(s.ValueString())
		if id == "" {
			continue // the element validator reports it
		}
		if first, dup := seen[id]; dup {
			diags.AddAttributeError(path.Root("device_references").AtSetValue(s), "Duplicate device reference",
				fmt.Sprintf("%q and %q name the same device. Keep only one of them.", first, s.ValueString()))
			continue
		}
		seen[id] = s.ValueString()
	}
	return diags
}

// validatePerDeviceOAuthIDs rejects a device listed in two entries and an
// OAuth id listed twice for one device: BIG-IQ would report the second as a
// failure, and the intent is almost certainly a typo.
func validatePerDeviceOAuthIDs(list types.List) diag.Diagnostics {
	var diags diag.Diagnostics
	if list.IsNull() || list.IsUnknown() {
		return diags
	}
	root := path.Root("per_device_oauth_ids")
	devices := map[string]int{}
	for i, entry := range perDeviceEntries(list) {
		if !entry.DeviceReference.IsUnknown() {
			if id := bigiq.MachineIDOf(entry.DeviceReference.ValueString()); id != "" {
				if first, dup := devices[id]; dup {
					diags.AddAttributeError(root.AtListIndex(i).AtName("device_reference"), "Duplicate device",
						fmt.Sprintf("Entry %d names the same device as entry %d. Merge their oauth_ids into one entry.", i, first))
				} else {
					devices[id] = i
				}
			}
		}
		if entry.OAuthIDs.IsNull() || entry.OAuthIDs.IsUnknown() {
			continue
		}
		seen := map[string]int{}
		for j, id := range oauthIDEntries(entry.OAuthIDs) {
			if id.ID.IsNull() || id.ID.IsUnknown() {
				continue
			}
			if first, dup := seen[hexID(id.ID)]; dup {
				diags.AddAttributeError(root.AtListIndex(i).AtName("oauth_ids").AtListIndex(j).AtName("id"),
					"Duplicate OAuth id",
					fmt.Sprintf("OAuth id %q is already listed at oauth_ids[%d] for this device. Remove the duplicate.",
						id.ID.ValueString(), first))
				continue
			}
			seen[hexID(id.ID)] = j
		}
	}
	return diags
}
