// Package planmodifiers holds the plan modifiers of the provider's
// attributes, as terraform-provider-random and -time keep theirs.
package planmodifiers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// RequiresReplaceUnlessSameDevices replaces the resource when a set of
// device references changes, but not when the same devices are written
// differently, for example bare machine ids in a configuration after an
// import recorded BIG-IQ's links.
func RequiresReplaceUnlessSameDevices(description, markdownDescription string) planmodifier.Set {
	return setplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.SetRequest, resp *setplanmodifier.RequiresReplaceIfFuncResponse) {
		if !canCompare(ctx, req.PlanValue, req.StateValue) {
			resp.RequiresReplace = true
			return
		}
		var planned, prior []string
		resp.Diagnostics.Append(req.PlanValue.ElementsAs(ctx, &planned, false)...)
		resp.Diagnostics.Append(req.StateValue.ElementsAs(ctx, &prior, false)...)
		resp.RequiresReplace = len(planned) != len(prior) || !bigiq.SameDevices(planned, prior)
	}, description, markdownDescription)
}

// ListRequiresReplaceUnless replaces the resource when a list changes,
// unless same says the planned and prior lists mean the same thing.
func ListRequiresReplaceUnless(same func(ctx context.Context, planned, prior types.List) (bool, diag.Diagnostics), description, markdownDescription string) planmodifier.List {
	return listplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
		if !canCompare(ctx, req.PlanValue, req.StateValue) {
			resp.RequiresReplace = true
			return
		}
		equal, diags := same(ctx, req.PlanValue, req.StateValue)
		resp.Diagnostics.Append(diags...)
		resp.RequiresReplace = !equal
	}, description, markdownDescription)
}

// canCompare reports whether a planned and a prior value can be compared:
// both set, and the plan fully known. A device reference that comes from
// another resource's output is unknown until apply; it cannot be compared,
// so the change is taken as a real one.
func canCompare(ctx context.Context, plan, state attr.Value) bool {
	return fullyKnown(ctx, plan) && !state.IsNull() && !plan.IsNull()
}

func fullyKnown(ctx context.Context, v attr.Value) bool {
	tfValue, err := v.ToTerraformValue(ctx)
	return err == nil && tfValue.IsFullyKnown()
}
