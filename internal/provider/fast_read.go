package provider

import (
	"context"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The list data sources return tens of thousands of objects, and after a
// data source's Read terraform-plugin-framework (v1.19, fwserver
// ReadDataSource and toproto6.State) walks the whole result three times
// more before encoding it: it copies the configuration and the state and
// converts every value to a framework value for semantic equality, compares
// the result with tftypes.Value.Equal, and transforms every value looking
// for null list and set blocks to make empty (ReifyNullCollectionBlocks).
// For 10,000 devices that was about a third of the provider's CPU, plus
// most of its garbage collection.
//
// For a schema of base types without blocks none of that changes the
// state: semantic equality is a property of value types, and the base
// types (types.String, types.List, ...) have none; there are no blocks to
// reify. So for such a data source the provider serves ReadDataSource
// through the framework as usual - it looks the data source up, decodes
// the configuration, calls Configure and Read, and builds the diagnostics -
// but the data source's Read hands its state to the server directly
// (setListState) instead of through the response. The framework's
// post-Read pipeline then runs on the configuration it put in the response
// before Read (a few values), and the server encodes the state as
// toproto6.State would, with tfprotov6.NewDynamicValue and the schema's
// type. Diagnostics, errors and deferrals come from the framework alone.
//
// What would make this unsafe: a block, a custom type (which may have
// semantic equality), or a dynamic attribute added to the schema, or a
// framework version whose post-Read pipeline does more. The first three
// are checked when the server starts (fastReadable): a data source whose
// schema has any of them is served entirely by the framework, and its
// setListState falls back to the response. The last is what
// TestFastReadByteIdentical catches: it compares the encoded state of both
// paths byte for byte.

// fastReadServer is the provider's protocol server: the framework's, with
// ReadDataSource of the data sources that qualify served as above.
type fastReadServer struct {
	frameworkServer

	// stateTypes are the state's terraform type by data source type name,
	// for the data sources whose schema qualifies.
	stateTypes map[string]tftypes.Type
	// fastReads counts the reads served with the state set by
	// setListState, so tests can tell that the fast path ran.
	fastReads atomic.Int64
}

// frameworkServer is what terraform-plugin-framework's protocol 6 server
// implements. The optional interfaces matter: tf6server finds list
// resources, actions and state stores by type assertion, so a wrapper
// that embedded only tfprotov6.ProviderServer would hide them.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// NewProtocol6Server returns the provider as main serves it and the
// acceptance tests run it.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := New(version)()
		server := providerserver.NewProtocol6(p)()
		fw, ok := server.(frameworkServer)
		if !ok {
			// A framework version with another server shape: serve it as is.
			return server
		}
		return newFastReadServer(fw, p)
	}
}

// newFastReadServer wraps fw, the framework's server of p, checking each of
// p's data sources as the framework would see it.
func newFastReadServer(fw frameworkServer, p provider.Provider) *fastReadServer {
	ctx := context.Background()
	var providerMeta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &providerMeta)
	s := &fastReadServer{frameworkServer: fw, stateTypes: map[string]tftypes.Type{}}
	for _, newDataSource := range p.DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: providerMeta.TypeName}, &meta)
		var schema datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &schema)
		if schema.Diagnostics.HasError() || !fastReadable(schema) {
			continue
		}
		s.stateTypes[meta.TypeName] = schema.Schema.Type().TerraformType(ctx)
	}
	return s
}

// fastReadable reports whether the framework's post-Read pipeline leaves
// a state of this schema as it is: no blocks, and only base types.
func fastReadable(schema datasource.SchemaResponse) bool {
	return len(schema.Schema.Blocks) == 0 && isBaseType(schema.Schema.Type())
}

// isBaseType reports whether t and every type inside it is one of the
// framework's base types, which have no semantic equality. A custom type
// (an attribute's CustomType, or a nested object's) is another Go type and
// fails; so does dynamic, whose value can be of any type.
func isBaseType(t attr.Type) bool {
	switch t := t.(type) {
	case basetypes.StringType, basetypes.BoolType, basetypes.Int64Type, basetypes.Int32Type,
		basetypes.Float64Type, basetypes.Float32Type, basetypes.NumberType:
		return true
	case basetypes.ListType:
		return isBaseType(t.ElemType)
	case basetypes.SetType:
		return isBaseType(t.ElemType)
	case basetypes.MapType:
		return isBaseType(t.ElemType)
	case basetypes.ObjectType:
		for _, at := range t.AttrTypes {
			if !isBaseType(at) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// listStateKey is the context key of the listState a fast read's Read
// leaves its state in.
type listStateKey struct{}

type listState struct {
	value tftypes.Value
	set   bool
}

// setListState is how a list data source's Read delivers its state: to
// the fast path when the server took it (the schema qualifies), else in
// the response as usual. Read must return no error with it.
func setListState(ctx context.Context, resp *datasource.ReadResponse, state tftypes.Value) {
	if sink, ok := ctx.Value(listStateKey{}).(*listState); ok {
		sink.value, sink.set = state, true
		return
	}
	resp.State.Raw = state
}

// ReadDataSource serves a data source whose schema qualifies through the
// framework, with the state that Read hands over encoded directly.
func (s *fastReadServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	stateType, ok := s.stateTypes[req.TypeName]
	if !ok {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	sink := &listState{}
	resp, err := s.frameworkServer.ReadDataSource(context.WithValue(ctx, listStateKey{}, sink), req)
	if err != nil || resp == nil || !sink.set || hasErrorDiagnostic(resp.Diagnostics) {
		// No state was handed over (an error, a deferral, a Read that
		// does not use setListState): the framework's response stands.
		return resp, err
	}
	state, diag := encodeState(stateType, sink.value)
	if diag != nil {
		resp.State = nil
		resp.Diagnostics = append(resp.Diagnostics, diag)
		return resp, nil
	}
	resp.State = state
	s.fastReads.Add(1)
	return resp, nil
}

// encodeState is the state as toproto6.State encodes it, or its error as
// toproto6.DynamicValue reports it.
func encodeState(stateType tftypes.Type, value tftypes.Value) (*tfprotov6.DynamicValue, *tfprotov6.Diagnostic) {
	state, err := tfprotov6.NewDynamicValue(stateType, value)
	if err != nil {
		return nil, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "Unable to Convert State",
			Detail: "An unexpected error was encountered when converting the state to the protocol type. " +
				"This is always an issue in terraform-plugin-framework used to implement the provider and should be reported to the provider developers.\n\n" +
				"Please report this to the provider developer:\n\n" +
				"Unable to create DynamicValue: " + err.Error(),
		}
	}
	return &state, nil
}

func hasErrorDiagnostic(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
