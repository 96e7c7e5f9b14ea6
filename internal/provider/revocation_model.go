package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// The resource's model, and its conversions to and from the client's
// revocation request and task.

type oauthTokenRevocationModel struct {
	revocationInputs
	ID             types.String   `tfsdk:"id"`
	Action         types.String   `tfsdk:"action"`
	Triggers       types.Map      `tfsdk:"triggers"`
	Status         types.String   `tfsdk:"status"`
	Result         types.String   `tfsdk:"result"`
	Outcome        types.String   `tfsdk:"outcome"`
	CurrentStep    types.String   `tfsdk:"current_step"`
	ErrorMessage   types.String   `tfsdk:"error_message"`
	StartDateTime  types.String   `tfsdk:"start_date_time"`
	EndDateTime    types.String   `tfsdk:"end_date_time"`
	SelfLink       types.String   `tfsdk:"self_link"`
	Failures       types.List     `tfsdk:"failures"`
	TargetDevices  types.List     `tfsdk:"target_devices"`
	ClientAppNames types.Set      `tfsdk:"client_app_names"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// revocationInputs are what to revoke and where: the arguments the
// resource and the bigiq_revoke_oauth_tokens action both take, with the
// same schema (the action copies the resource's, see actionAttribute) and
// the same validation (revocation_validate.go).
type revocationInputs struct {
	UserName          types.String `tfsdk:"user_name"`
	ClientID          types.String `tfsdk:"client_id"`
	PerDeviceOAuthIDs types.List   `tfsdk:"per_device_oauth_ids"`
	ClusterNames      types.Set    `tfsdk:"cluster_names"`
	AccessGroupNames  types.Set    `tfsdk:"access_group_names"`
	DeviceReferences  types.Set    `tfsdk:"device_references"`
	FailOnNotFound    types.Bool   `tfsdk:"fail_on_not_found"`
}

// perDeviceOAuthIDsModel is one per_device_oauth_ids entry, read by
// perDeviceEntries. oauth_ids stays a types.List so that validation can
// look at a configuration that is only partly known.
type perDeviceOAuthIDsModel struct {
	DeviceReference types.String
	OAuthIDs        types.List
}

// oauthIDModel is one oauth_ids entry, read by oauthIDEntries.
type oauthIDModel struct {
	ID       types.String
	ClientID types.String
}

// perDeviceEntries reads the entries of per_device_oauth_ids. It reads each
// object's attributes itself rather than through ElementsAs into tfsdk
// structs: the framework's reflection compiles a regexp per struct field
// and element, which took 0.3 s per read of 10,000 tokens. An entry that is
// unknown reads as one whose attributes are null.
func perDeviceEntries(list types.List) []perDeviceOAuthIDsModel {
	elements := list.Elements()
	entries := make([]perDeviceOAuthIDsModel, len(elements))
	for i, v := range elements {
		if obj, ok := v.(types.Object); ok {
			attrs := obj.Attributes()
			entries[i].DeviceReference, _ = attrs["device_reference"].(types.String)
			entries[i].OAuthIDs, _ = attrs["oauth_ids"].(types.List)
		}
	}
	return entries
}

// oauthIDEntries reads the entries of one oauth_ids list, the same way.
func oauthIDEntries(list types.List) []oauthIDModel {
	elements := list.Elements()
	ids := make([]oauthIDModel, len(elements))
	for j, v := range elements {
		if obj, ok := v.(types.Object); ok {
			attrs := obj.Attributes()
			ids[j].ID, _ = attrs["id"].(types.String)
			ids[j].ClientID, _ = attrs["client_id"].(types.String)
		}
	}
	return ids
}

// The types of the schema's nested objects, which the model builds values
// of. TestSchemaTypes checks each against oauthTokenRevocationSchema.

// perDeviceOAuthIDsType is one entry of per_device_oauth_ids.
func perDeviceOAuthIDsType() types.ObjectType {
	return types.ObjectType{AttrTypes: map[string]attr.Type{
		"device_reference": types.StringType,
		"oauth_ids":        types.ListType{ElemType: oauthIDType()},
	}}
}

// oauthIDType is one entry of oauth_ids.
func oauthIDType() types.ObjectType {
	return types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "client_id": types.StringType}}
}

// failureType is one entry of failures.
func failureType() types.ObjectType {
	return types.ObjectType{AttrTypes: map[string]attr.Type{
		"device_reference": types.StringType,
		"id":               types.StringType,
		"client_id":        types.StringType,
		"error_code":       types.Int64Type,
		"error":            types.StringType,
	}}
}

// revocationTimeoutsType is the timeouts block: create only.
func revocationTimeoutsType() types.ObjectType {
	return types.ObjectType{AttrTypes: map[string]attr.Type{"create": types.StringType}}
}

// chosenAction returns the action the configuration asks for. It is known
// as soon as one mode attribute is set (even to a value not yet known) and
// the other two are known to be unset.
func chosenAction(m revocationInputs) (bigiq.Action, bool) {
	var action bigiq.Action
	count := 0
	for _, mode := range []struct {
		value  attr.Value
		action bigiq.Action
	}{
		{m.UserName, bigiq.ActionRevokeForUser},
		{m.ClientID, bigiq.ActionRevokeForClientID},
		{m.PerDeviceOAuthIDs, bigiq.ActionRevokeList},
	} {
		if !mode.value.IsNull() {
			action = mode.action
			count++
		}
	}
	return action, count == 1
}

// revokeRequestFromInputs builds the task BIG-IQ is asked to run. Device
// references are sent as links, and names sorted so the request is the same
// on every run.
func revokeRequestFromInputs(ctx context.Context, m revocationInputs) (bigiq.RevokeRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	action, ok := chosenAction(m)
	if !ok {
		diags.AddError("Invalid revocation arguments",
			"Exactly one of user_name, client_id and per_device_oauth_ids must be set.")
		return bigiq.RevokeRequest{}, diags
	}
	req := bigiq.RevokeRequest{
		Action:   action,
		UserName: m.UserName.ValueString(),
	}
	// An unknown client id (from another resource) is set at apply; the
	// targets, and so the plan's devices, do not depend on it.
	if !m.ClientID.IsNull() && !m.ClientID.IsUnknown() {
		var err error
		if req.ClientID, err = bigiq.NormalizeHexID(m.ClientID.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("client_id"), "Invalid OAuth client id", err.Error())
		}
	}

	var d diag.Diagnostics
	req.PerDeviceOAuthIDs, d = perDeviceOAuthIDsFromList(m.PerDeviceOAuthIDs)
	diags.Append(d...)
	req.ClusterNames, d = sortedStrings(ctx, m.ClusterNames)
	diags.Append(d...)
	req.AccessGroupNames, d = sortedStrings(ctx, m.AccessGroupNames)
	diags.Append(d...)
	refs, d := sortedStrings(ctx, m.DeviceReferences)
	diags.Append(d...)
	for _, ref := range refs {
		device, err := bigiq.DeviceRef(ref)
		if err != nil {
			diags.AddAttributeError(path.Root("device_references"), "Invalid device reference", err.Error())
			continue
		}
		req.DeviceReferences = append(req.DeviceReferences, device)
	}
	return req, diags
}

// perDeviceOAuthIDsFromList converts per_device_oauth_ids to the wire form,
// with device references as links.
func perDeviceOAuthIDsFromList(list types.List) ([]bigiq.DeviceOAuthIDs, diag.Diagnostics) {
	var diags diag.Diagnostics
	if list.IsNull() || list.IsUnknown() {
		return nil, diags
	}
	entries := perDeviceEntries(list)
	out := make([]bigiq.DeviceOAuthIDs, 0, len(entries))
	for i, entry := range entries {
		device, err := bigiq.DeviceRef(entry.DeviceReference.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("per_device_oauth_ids").AtListIndex(i).AtName("device_reference"),
				"Invalid device reference", err.Error())
		}
		wire := bigiq.DeviceOAuthIDs{DeviceReference: device}
		for j, id := range oauthIDEntries(entry.OAuthIDs) {
			at := path.Root("per_device_oauth_ids").AtListIndex(i).AtName("oauth_ids").AtListIndex(j)
			oauthID, err := bigiq.NormalizeHexID(id.ID.ValueString())
			if err != nil {
				diags.AddAttributeError(at.AtName("id"), "Invalid OAuth id", err.Error())
			}
			clientID, err := bigiq.NormalizeHexID(id.ClientID.ValueString())
			if err != nil {
				diags.AddAttributeError(at.AtName("client_id"), "Invalid OAuth client id", err.Error())
			}
			wire.OAuthIDs = append(wire.OAuthIDs, bigiq.OAuthID{ID: oauthID, ClientID: clientID})
		}
		out = append(out, wire)
	}
	return out, diags
}

// hexID is an OAuth id or client id in the form BIG-IQ matches (see
// bigiq.NormalizeHexID), for comparing and listing; the HexID validator
// refuses any other value, and a request is built only from values
// NormalizeHexID accepts.
func hexID(v types.String) string {
	id, err := bigiq.NormalizeHexID(v.ValueString())
	if err != nil {
		return v.ValueString()
	}
	return id
}

func sortedStrings(ctx context.Context, set types.Set) ([]string, diag.Diagnostics) {
	if set.IsNull() || set.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := set.ElementsAs(ctx, &out, false)
	slices.Sort(out)
	return out, diags
}

// setTask records what BIG-IQ reports about the task in the computed
// attributes.
func (m *oauthTokenRevocationModel) setTask(task *bigiq.Task) diag.Diagnostics {
	m.ID = types.StringValue(task.ID)
	if task.Action != "" {
		m.Action = types.StringValue(string(task.Action))
	}
	m.Status = optionalString(task.Status)
	m.Result = optionalString(task.Result)
	outcome := task.Outcome()
	m.Outcome = optionalString(string(outcome.Name))
	m.CurrentStep = optionalString(task.CurrentStep)
	m.ErrorMessage = optionalString(task.ErrorMessage)
	m.StartDateTime = optionalString(task.StartDateTime)
	m.EndDateTime = optionalString(task.EndDateTime)
	m.SelfLink = optionalString(task.SelfLink)

	// Objects are built directly rather than from tfsdk structs, whose
	// reflection is slow on a task with thousands of failed tokens.
	var diags diag.Diagnostics
	failureType := failureType()
	failures := []attr.Value{}
	for _, f := range outcome.NotRevoked {
		failure, d := types.ObjectValue(failureType.AttrTypes, map[string]attr.Value{
			"device_reference": optionalString(f.Device),
			"id":               optionalString(f.ID),
			"client_id":        optionalString(f.ClientID),
			"error_code":       types.Int64Value(int64(f.ErrorCode)),
			"error":            optionalString(f.Error),
		})
		diags.Append(d...)
		failures = append(failures, failure)
	}
	var d diag.Diagnostics
	m.Failures, d = types.ListValue(failureType, failures)
	diags.Append(d...)
	return diags
}

// setInputsFromTask fills the arguments from what the task was asked to do,
// for import. Device references are BIG-IQ's links.
func (m *oauthTokenRevocationModel) setInputsFromTask(ctx context.Context, task *bigiq.Task) diag.Diagnostics {
	var diags diag.Diagnostics
	req := task.Input()
	m.Action = types.StringValue(string(req.Action))
	m.UserName = optionalString(req.UserName)
	m.ClientID = optionalString(req.ClientID)
	m.FailOnNotFound = types.BoolValue(false)
	m.Triggers = types.MapNull(types.StringType)

	perDeviceOAuthIDsType, oauthIDType := perDeviceOAuthIDsType(), oauthIDType()
	perDevice := types.ListNull(perDeviceOAuthIDsType)
	if len(req.PerDeviceOAuthIDs) > 0 {
		entries := make([]attr.Value, 0, len(req.PerDeviceOAuthIDs))
		for _, entry := range req.PerDeviceOAuthIDs {
			ids := make([]attr.Value, 0, len(entry.OAuthIDs))
			for _, id := range entry.OAuthIDs {
				obj, d := types.ObjectValue(oauthIDType.AttrTypes, map[string]attr.Value{
					"id":        types.StringValue(id.ID),
					"client_id": optionalString(id.ClientID),
				})
				diags.Append(d...)
				ids = append(ids, obj)
			}
			idList, d := types.ListValue(oauthIDType, ids)
			diags.Append(d...)
			obj, d := types.ObjectValue(perDeviceOAuthIDsType.AttrTypes, map[string]attr.Value{
				"device_reference": types.StringValue(entry.DeviceReference.Link),
				"oauth_ids":        idList,
			})
			diags.Append(d...)
			entries = append(entries, obj)
		}
		var d diag.Diagnostics
		perDevice, d = types.ListValue(perDeviceOAuthIDsType, entries)
		diags.Append(d...)
	}
	m.PerDeviceOAuthIDs = perDevice

	links := make([]string, 0, len(req.DeviceReferences))
	for _, ref := range req.DeviceReferences {
		links = append(links, ref.Link)
	}
	var d diag.Diagnostics
	m.ClusterNames, d = optionalStringSet(ctx, req.ClusterNames)
	diags.Append(d...)
	m.AccessGroupNames, d = optionalStringSet(ctx, req.AccessGroupNames)
	diags.Append(d...)
	m.DeviceReferences, d = optionalStringSet(ctx, links)
	diags.Append(d...)
	return diags
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func optionalStringSet(ctx context.Context, values []string) (types.Set, diag.Diagnostics) {
	if len(values) == 0 {
		return types.SetNull(types.StringType), nil
	}
	return types.SetValueFrom(ctx, types.StringType, values)
}

// sameTokens reports whether two per_device_oauth_ids values ask to revoke
// the same tokens on the same devices, whatever form each device reference
// is written in.
func sameTokens(_ context.Context, planned, prior types.List) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	a, d := perDeviceOAuthIDsFromList(planned)
	diags.Append(d...)
	b, d := perDeviceOAuthIDsFromList(prior)
	diags.Append(d...)
	return slices.EqualFunc(a, b, func(a, b bigiq.DeviceOAuthIDs) bool {
		return bigiq.SameDevice(a.DeviceReference.Link, b.DeviceReference.Link) && slices.Equal(a.OAuthIDs, b.OAuthIDs)
	}), diags
}
