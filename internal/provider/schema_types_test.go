package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestSchemaTypes: the types the code builds values of, declared beside
// that code, are the types the schemas declare. A mismatch fails here,
// naming the attribute, rather than as a type error deep in a plan.
func TestSchemaTypes(t *testing.T) {
	ctx := context.Background()
	resource := oauthTokenRevocationSchema(ctx)
	tasks := oauthTokenRevocationTasksSchema()
	listOf := func(t attr.Type) tftypes.Type { return tftypes.List{ElementType: t.TerraformType(ctx)} }

	for _, tc := range []struct {
		name       string
		schema     func() attr.Type // nil when the schema has no such attribute
		codeBuilds tftypes.Type
	}{
		{"bigiq_oauth_token_revocation per_device_oauth_ids", func() attr.Type {
			return typeOf(resource.Attributes["per_device_oauth_ids"])
		}, listOf(perDeviceOAuthIDsType())},
		{"bigiq_oauth_token_revocation per_device_oauth_ids oauth_ids", func() attr.Type {
			entries, _ := typeOf(resource.Attributes["per_device_oauth_ids"]).(types.ListType)
			entry, _ := entries.ElemType.(types.ObjectType)
			return entry.AttrTypes["oauth_ids"]
		}, listOf(oauthIDType())},
		{"bigiq_oauth_token_revocation failures", func() attr.Type {
			return typeOf(resource.Attributes["failures"])
		}, listOf(failureType())},
		{"bigiq_oauth_token_revocation target_devices", func() attr.Type {
			return typeOf(resource.Attributes["target_devices"])
		}, listOf(targetDeviceType())},
		{"bigiq_oauth_token_revocation timeouts", func() attr.Type {
			if b, ok := resource.Blocks["timeouts"]; ok {
				return b.Type()
			}
			return nil
		}, revocationTimeoutsType().TerraformType(ctx)},
		{"bigiq_oauth_token_revocation_tasks tasks", func() attr.Type {
			return typeOf(tasks.Attributes["tasks"])
		}, tftypes.List{ElementType: newRevocationTaskType().task}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			declared := tc.schema()
			if declared == nil {
				t.Fatal("the schema has no such attribute")
			}
			if got := declared.TerraformType(ctx); !got.Equal(tc.codeBuilds) {
				t.Errorf("the schema declares\n  %s\nthe code builds\n  %s", got, tc.codeBuilds)
			}
		})
	}
}

// typeOf is a schema attribute's type, nil for no attribute.
func typeOf(a interface{ GetType() attr.Type }) attr.Type {
	if a == nil {
		return nil
	}
	return a.GetType()
}
