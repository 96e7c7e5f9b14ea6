package main

import (
	"context"
	"encoding/json"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/zclconf/go-cty/cty"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// The JSON must read back as terraform-json's ProviderSchemas (as
// tfplugindocs reads it) and hold what Terraform < 1.14 would leave out.
func TestProviderSchemasIncludeListResourcesAndIdentity(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := providerSchemas(context.Background(), server)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(schemas)
	if err != nil {
		t.Fatal(err)
	}
	var back tfjson.ProviderSchemas
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatalf("the JSON does not read back as terraform-json's ProviderSchemas: %v", err)
	}
	ps := back.Schemas[providerKey]
	if ps == nil {
		t.Fatalf("no schema under %q: %s", providerKey, data)
	}

	list := ps.ListResourceSchemas["bigiq_oauth_token_revocation"]
	if list == nil || list.Block.Attributes["started_after"] == nil || !list.Block.Attributes["started_after"].Optional {
		t.Errorf("list resource schema = %+v; want the filters", list)
	}
	identity := ps.ResourceIdentitySchemas["bigiq_oauth_token_revocation"]
	if identity == nil || !identity.Attributes["id"].RequiredForImport || !identity.Attributes["id"].IdentityType.Equals(cty.String) {
		t.Errorf("identity schema = %+v; want { id } required for import", identity)
	}

	res := ps.ResourceSchemas["bigiq_oauth_token_revocation"].Block
	perDevice := res.Attributes["per_device_oauth_ids"]
	if perDevice.AttributeNestedType == nil || perDevice.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeList ||
		perDevice.AttributeNestedType.Attributes["oauth_ids"].AttributeNestedType == nil {
		t.Errorf("per_device_oauth_ids = %+v; want a list of nested objects holding oauth_ids", perDevice)
	}
	if got := res.Attributes["cluster_names"].AttributeType; !got.Equals(cty.Set(cty.String)) {
		t.Errorf("cluster_names type = %#v; want set of string", got)
	}
	if res.NestedBlocks["timeouts"] == nil || res.NestedBlocks["timeouts"].NestingMode != tfjson.SchemaNestingModeSingle {
		t.Errorf("timeouts block = %+v; want a single nested block", res.NestedBlocks["timeouts"])
	}
	if res.Attributes["user_name"].DescriptionKind != tfjson.SchemaDescriptionKindMarkdown || ps.ConfigSchema.Block.Attributes["password"] == nil ||
		!ps.ConfigSchema.Block.Attributes["password"].Sensitive {
		t.Error("descriptions are not markdown, or the provider's password is not sensitive")
	}
}
