package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The resource's identity, { id }: the revoke-tokens task. It lets
// Terraform 1.12+ import by identity, and `terraform query` name the
// revocations it lists. Terraform and OpenTofu versions without identity
// ignore it.

var _ resource.ResourceWithIdentity = &oauthTokenRevocationResource{}

func (r *oauthTokenRevocationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = revocationIdentitySchema
}

var revocationIdentitySchema = identityschema.Schema{
	Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{
			Description:       "ID of the BIG-IQ revoke-tokens task.",
			RequiredForImport: true,
		},
	},
}

// setRevocationIdentity records the task id as the identity. State written
// before the resource had an identity gets it on its next read, which
// changes nothing in the plan.
func setRevocationIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, taskID string) diag.Diagnostics {
	if identity == nil || taskID == "" {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root("id"), taskID)
}

// importedTaskID is the task named by `terraform import` / an import
// block's id, or else by an import block's identity.
func importedTaskID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return req.ID, nil
	}
	var id types.String
	diags := req.Identity.GetAttribute(ctx, path.Root("id"), &id)
	return id.ValueString(), diags
}
