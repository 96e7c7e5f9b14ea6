package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// providerSchemas asks server for its schemas and converts them to
// terraform-json's form, as Terraform would print them.
func providerSchemas(ctx context.Context, server tfprotov6.ProviderServer) (*tfjson.ProviderSchemas, error) {
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(resp.Diagnostics); err != nil {
		return nil, err
	}
	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(identities.Diagnostics); err != nil {
		return nil, err
	}

	var c converter
	ps := &tfjson.ProviderSchema{
		ConfigSchema:             c.schema(resp.Provider),
		ResourceSchemas:          c.schemas(resp.ResourceSchemas),
		DataSourceSchemas:        c.schemas(resp.DataSourceSchemas),
		EphemeralResourceSchemas: c.schemas(resp.EphemeralResourceSchemas),
		ListResourceSchemas:      c.schemas(resp.ListResourceSchemas),
	}
	if len(resp.ActionSchemas) > 0 {
		ps.ActionSchemas = map[string]*tfjson.ActionSchema{}
		for name, s := range resp.ActionSchemas {
			ps.ActionSchemas[name] = &tfjson.ActionSchema{Block: c.block(s.Schema.Block)}
		}
	}
	if len(identities.IdentitySchemas) > 0 {
		ps.ResourceIdentitySchemas = map[string]*tfjson.IdentitySchema{}
		for name, s := range identities.IdentitySchemas {
			is := &tfjson.IdentitySchema{Version: uint64(s.Version), Attributes: map[string]*tfjson.IdentityAttribute{}}
			for _, a := range s.IdentityAttributes {
				is.Attributes[a.Name] = &tfjson.IdentityAttribute{
					IdentityType:      c.ctyType(a.Type),
					Description:       a.Description,
					RequiredForImport: a.RequiredForImport,
					OptionalForImport: a.OptionalForImport,
				}
			}
			ps.ResourceIdentitySchemas[name] = is
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	return &tfjson.ProviderSchemas{
		FormatVersion: "1.0",
		Schemas:       map[string]*tfjson.ProviderSchema{providerKey: ps},
	}, nil
}

func diagnosticsError(diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

// converter converts protocol schemas, keeping the first error.
type converter struct{ err error }

func (c *converter) schemas(in map[string]*tfprotov6.Schema) map[string]*tfjson.Schema {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]*tfjson.Schema, len(in))
	for name, s := range in {
		out[name] = c.schema(s)
	}
	return out
}

func (c *converter) schema(s *tfprotov6.Schema) *tfjson.Schema {
	if s == nil {
		return nil
	}
	return &tfjson.Schema{Version: uint64(s.Version), Block: c.block(s.Block)}
}

func (c *converter) block(b *tfprotov6.SchemaBlock) *tfjson.SchemaBlock {
	out := &tfjson.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		out.Attributes = c.attributes(b.Attributes)
	}
	for _, nb := range b.BlockTypes {
		if out.NestedBlocks == nil {
			out.NestedBlocks = map[string]*tfjson.SchemaBlockType{}
		}
		out.NestedBlocks[nb.TypeName] = &tfjson.SchemaBlockType{
			NestingMode: blockNesting[nb.Nesting],
			Block:       c.block(nb.Block),
			MinItems:    uint64(nb.MinItems),
			MaxItems:    uint64(nb.MaxItems),
		}
	}
	return out
}

func (c *converter) attributes(in []*tfprotov6.SchemaAttribute) map[string]*tfjson.SchemaAttribute {
	out := make(map[string]*tfjson.SchemaAttribute, len(in))
	for _, a := range in {
		attr := &tfjson.SchemaAttribute{
			Description:     a.Description,
			DescriptionKind: descriptionKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		}
		if a.NestedType != nil {
			attr.AttributeNestedType = &tfjson.SchemaNestedAttributeType{
				Attributes:  c.attributes(a.NestedType.Attributes),
				NestingMode: objectNesting[a.NestedType.Nesting],
			}
		} else {
			attr.AttributeType = c.ctyType(a.Type)
		}
		out[a.Name] = attr
	}
	return out
}

// ctyType is the cty type Terraform prints for a protocol type.
func (c *converter) ctyType(t tftypes.Type) cty.Type {
	switch {
	case t.Is(tftypes.String):
		return cty.String
	case t.Is(tftypes.Number):
		return cty.Number
	case t.Is(tftypes.Bool):
		return cty.Bool
	case t.Is(tftypes.DynamicPseudoType):
		return cty.DynamicPseudoType
	}
	switch t := t.(type) {
	case tftypes.List:
		return cty.List(c.ctyType(t.ElementType))
	case tftypes.Set:
		return cty.Set(c.ctyType(t.ElementType))
	case tftypes.Map:
		return cty.Map(c.ctyType(t.ElementType))
	case tftypes.Tuple:
		elems := make([]cty.Type, len(t.ElementTypes))
		for i, e := range t.ElementTypes {
			elems[i] = c.ctyType(e)
		}
		return cty.Tuple(elems)
	case tftypes.Object:
		attrs := make(map[string]cty.Type, len(t.AttributeTypes))
		for name, a := range t.AttributeTypes {
			attrs[name] = c.ctyType(a)
		}
		if len(t.OptionalAttributes) > 0 {
			return cty.ObjectWithOptionalAttrs(attrs, slices.Collect(maps.Keys(t.OptionalAttributes)))
		}
		return cty.Object(attrs)
	}
	c.err = cmp.Or(c.err, fmt.Errorf("unsupported type %s", t))
	return cty.NilType
}

func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

var blockNesting = map[tfprotov6.SchemaNestedBlockNestingMode]tfjson.SchemaNestingMode{
	tfprotov6.SchemaNestedBlockNestingModeSingle: tfjson.SchemaNestingModeSingle,
	tfprotov6.SchemaNestedBlockNestingModeGroup:  tfjson.SchemaNestingModeGroup,
	tfprotov6.SchemaNestedBlockNestingModeList:   tfjson.SchemaNestingModeList,
	tfprotov6.SchemaNestedBlockNestingModeSet:    tfjson.SchemaNestingModeSet,
	tfprotov6.SchemaNestedBlockNestingModeMap:    tfjson.SchemaNestingModeMap,
}

var objectNesting = map[tfprotov6.SchemaObjectNestingMode]tfjson.SchemaNestingMode{
	tfprotov6.SchemaObjectNestingModeSingle: tfjson.SchemaNestingModeSingle,
	tfprotov6.SchemaObjectNestingModeList:   tfjson.SchemaNestingModeList,
	tfprotov6.SchemaObjectNestingModeSet:    tfjson.SchemaNestingModeSet,
	tfprotov6.SchemaObjectNestingModeMap:    tfjson.SchemaNestingModeMap,
}
