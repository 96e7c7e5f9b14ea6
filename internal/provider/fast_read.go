package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
// toproto6.State would encode it with tfprotov6.NewDynamicValue and the
// schema's type - but writing the msgpack straight from the client's items
// (computedList.appendMsgPack, fast_read_msgpack.go) rather than building
// a tftypes value of every attribute first, which cost as much again as
// the pipeline did. Diagnostics, errors and deferrals come from the
// framework alone.
//
// What would make this unsafe: a block, a custom type (which may have
// semantic equality), or a dynamic attribute added to the schema, or a
// framework version whose post-Read pipeline does more. The first three
// are checked when the server starts (fastReadable): a data source whose
// schema has any of them is served entirely by the framework, and its
// setListState falls back to the response. The last is what
// TestFastReadByteIdentical catches: it compares the encoded state of both
// paths byte for byte. The msgpack writer is checked against tftypes'
// encoder by TestMsgPackMatchesTFTypes; should a list's attribute table
// and the schema's type ever disagree, stateMsgPack refuses to write it.

// fastReadServer is the provider's protocol server: the framework's, with
// ReadDataSource of the data sources that qualify served as above.
type fastReadServer struct {
	frameworkServer

	// stateTypes are the state's terraform type by data source type name,
	// for the data sources whose schema qualifies.
	stateTypes map[string]tftypes.Object
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
	s := &fastReadServer{frameworkServer: fw, stateTypes: map[string]tftypes.Object{}}
	for _, newDataSource := range p.DataSources(ctx) {
		ds := newDataSource()
		var meta datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: providerMeta.TypeName}, &meta)
		var schema datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &schema)
		if schema.Diagnostics.HasError() || !fastReadable(schema) {
			continue
		}
		if stateType, ok := schema.Schema.Type().TerraformType(ctx).(tftypes.Object); ok {
			s.stateTypes[meta.TypeName] = stateType
		}
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

// listState is a list data source's state: its configuration with the
// computed list attribute name set to list.
type listState struct {
	config tftypes.Value
	name   string
	list   stateList
	set    bool
}

// stateList is a computed list as a Read hands it over (a computedList).
type stateList interface {
	listType() tftypes.List
	value() tftypes.Value
	appendMsgPack([]byte) []byte
}

// setListState is how a list data source's Read delivers its state, the
// configuration with its computed attribute name set to list: to the fast
// path when the server took it (the schema qualifies), else in the
// response as usual. Read must return no error with it.
func setListState(ctx context.Context, resp *datasource.ReadResponse, config tfsdk.Config, name string, list stateList) error {
	if sink, ok := ctx.Value(listStateKey{}).(*listState); ok {
		*sink = listState{config: config.Raw, name: name, list: list, set: true}
		return nil
	}
	state, err := stateWith(config, name, list.value())
	if err != nil {
		return err
	}
	resp.State.Raw = state
	return nil
}

// ValidateListResourceConfig adds the check of the list block's limit,
// which the framework does not hand to the list resource.
func (s *fastReadServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	resp, err := s.frameworkServer.ValidateListResourceConfig(ctx, req)
	if err == nil && resp != nil {
		resp.Diagnostics = append(resp.Diagnostics, listLimitDiagnostics(req.Limit)...)
	}
	return resp, err
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
	state, diag := encodeState(stateType, sink)
	if diag != nil {
		resp.State = nil
		resp.Diagnostics = append(resp.Diagnostics, diag)
		return resp, nil
	}
	resp.State = state
	s.fastReads.Add(1)
	return resp, nil
}

// encodeState is the state encoded, or the error diagnostic toproto6.State
// would give for a state it cannot encode. It fails only when the list and
// the schema disagree: a bug, which TestFastReadByteIdentical shows.
func encodeState(stateType tftypes.Object, state *listState) (*tfprotov6.DynamicValue, *tfprotov6.Diagnostic) {
	encoded, err := stateMsgPack(stateType, state)
	if err != nil {
		return nil, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "Unable to Convert State",
			Detail: "An unexpected error was encountered when converting the state to the protocol type. " +
				"This is always an issue in the provider and should be reported to the provider developers.\n\n" +
				"Unable to create DynamicValue: " + err.Error(),
		}
	}
	return &tfprotov6.DynamicValue{MsgPack: encoded}, nil
}

// stateMsgPack is the state as tfprotov6.NewDynamicValue encodes it
// (msgpack of an object: a map of its attributes in the byte order of
// their names), with the configuration's values encoded by tftypes and the
// list written by the list itself.
func stateMsgPack(stateType tftypes.Object, state *listState) ([]byte, error) {
	if !state.config.Type().Equal(stateType) {
		return nil, fmt.Errorf("the configuration is a %s, the state a %s", state.config.Type(), stateType)
	}
	if t := stateType.AttributeTypes[state.name]; t == nil || !t.Equal(state.list.listType()) {
		return nil, fmt.Errorf("attribute %q is a %v, the list a %s", state.name, t, state.list.listType())
	}
	var config map[string]tftypes.Value
	if err := state.config.As(&config); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(stateType.AttributeTypes))
	b := appendMsgPackMapLen(nil, len(names))
	for _, name := range names {
		b = appendMsgPackString(b, name)
		if name == state.name {
			b = state.list.appendMsgPack(b)
			continue
		}
		value, ok := config[name]
		if !ok {
			return nil, fmt.Errorf("the configuration has no %q", name)
		}
		encoded, err := value.MarshalMsgPack(stateType.AttributeTypes[name]) //nolint:staticcheck // what NewDynamicValue calls
		if err != nil {
			return nil, err
		}
		b = append(b, encoded...)
	}
	return b, nil
}

func hasErrorDiagnostic(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
