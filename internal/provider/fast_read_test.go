package provider

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// fastReadFixture is a generated estate with what the encoding must get
// right: null attributes (a device in no cluster or Access group: BIG-IQ's
// empty strings), a device without client apps (an empty list), and names
// outside ASCII.
func fastReadFixture() (f *bigiqmock.Fixture, noApps string) {
	f = bigiqmock.GenerateFixture(40, 3, 0, 7)
	// Devices 2 and 3 of each four are standalone: no cluster, so a null
	// cluster_name. Take one out of its Access group too.
	f.Devices[2].AccessGroupName = ""
	f.Devices[3].Hostname = "bigip-ünïcødé-日本.example"
	f.Devices[2].ClientApps = []bigiqmock.FixtureClientApp{
		{Name: "アプリ-client", AppName: "アプリ", ClientID: "c0ffee"},
		{Name: "emoji-🙂-client", AppName: "Ünïcode App", ClientID: "c0ffee2"},
	}
	f.Devices[6].ClientApps = nil
	return f, f.Devices[6].UUID
}

// twoPaths are the framework's own server and the provider's, configured
// for the same mock.
func twoPaths(t *testing.T, m *bigiqmock.Server, configure bool) (framework tfprotov6.ProviderServer, fast *fastReadServer) {
	t.Helper()
	framework = providerserver.NewProtocol6(New("test")())()
	server, ok := NewProtocol6Server("test")().(*fastReadServer)
	if !ok {
		t.Fatal("NewProtocol6Server did not wrap the framework's server")
	}
	if configure {
		for _, s := range []tfprotov6.ProviderServer{framework, server} {
			configureForTest(t, s, m)
		}
	}
	return framework, server
}

func configureForTest(t *testing.T, s tfprotov6.ProviderServer, m *bigiqmock.Server) {
	t.Helper()
	ctx := context.Background()
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	config := schemaObject(t, schemas.Provider, map[string]tftypes.Value{
		"address":        tftypes.NewValue(tftypes.String, m.URL),
		"username":       tftypes.NewValue(tftypes.String, "admin"),
		"password":       tftypes.NewValue(tftypes.String, "admin"),
		"ca_certificate": tftypes.NewValue(tftypes.String, m.CACertPEM()),
		"max_retries":    tftypes.NewValue(tftypes.Number, 0),
	})
	resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("configuring the provider: %s: %s", resp.Diagnostics[0].Summary, resp.Diagnostics[0].Detail)
	}
}

func dataSourceConfig(t *testing.T, s tfprotov6.ProviderServer, typeName string, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	schemas, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return schemaObject(t, schemas.DataSourceSchemas[typeName], set)
}

// readOn reads the data source on s and returns the response with the
// BIG-IQ requests it made.
func readOn(t *testing.T, s tfprotov6.ProviderServer, m *bigiqmock.Server, typeName string, config *tfprotov6.DynamicValue) (*tfprotov6.ReadDataSourceResponse, []string) {
	t.Helper()
	m.ResetRequests()
	resp, err := s.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config})
	if err != nil {
		t.Fatal(err)
	}
	var requests []string
	for _, r := range m.Requests() {
		if r.Path != bigiq.PathLogin && !strings.HasPrefix(r.Path, bigiq.PathAuthTokens) {
			requests = append(requests, r.Method+" "+r.Path+"?"+r.RawQuery)
		}
	}
	return resp, requests
}

func TestFastReadByteIdentical(t *testing.T) {
	fixture, noApps := fastReadFixture()
	m := bigiqmock.Start(t, bigiqmock.Options{Fixture: fixture})
	framework, fast := twoPaths(t, m, true)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

	type readCase struct {
		typeName, name string
		config         map[string]tftypes.Value
		wantElements   int
	}
	cases := []readCase{
		{"bigiq_devices", "all", nil, 40},
		{"bigiq_devices", "cluster", map[string]tftypes.Value{"cluster_name": str("Cluster00001")}, 2},
		{"bigiq_devices", "access group", map[string]tftypes.Value{"access_group_name": str("AccessGroup000")}, 39},
		{"bigiq_devices", "addresses", map[string]tftypes.Value{
			"addresses": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("10.100.0.3"), str("10.100.0.2")}),
		}, 2},
		{"bigiq_devices", "matches nothing", map[string]tftypes.Value{"cluster_name": str("NoSuchCluster")}, 0},
		{"bigiq_oauth_client_apps", "all", nil, -1},
		{"bigiq_oauth_client_apps", "one device", map[string]tftypes.Value{"machine_id": str(fixture.Devices[2].UUID)}, 2},
		{"bigiq_oauth_client_apps", "device without apps", map[string]tftypes.Value{"machine_id": str(noApps)}, 0},
	}
	// Every list data source is compared unfiltered too, so a new one is
	// covered once it is in fastListDataSources.
	for _, typeName := range fastListDataSources {
		if !slices.ContainsFunc(cases, func(c readCase) bool { return c.typeName == typeName && c.config == nil }) {
			cases = append(cases, readCase{typeName, "all", nil, -1})
		}
	}
	sawNull, sawUnicode := false, false
	for _, tc := range cases {
		t.Run(tc.typeName+" "+tc.name, func(t *testing.T) {
			config := dataSourceConfig(t, framework, tc.typeName, tc.config)
			before := fast.fastReads.Load()
			want, wantRequests := readOn(t, framework, m, tc.typeName, config)
			got, gotRequests := readOn(t, fast, m, tc.typeName, config)
			if fast.fastReads.Load() != before+1 {
				t.Fatal("the read did not take the fast path")
			}
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics differ:\nfast:      %s\nframework: %s", diagsString(got.Diagnostics), diagsString(want.Diagnostics))
			}
			if !slices.Equal(gotRequests, wantRequests) || len(wantRequests) == 0 {
				t.Errorf("BIG-IQ requests differ or none:\nfast:      %q\nframework: %q", gotRequests, wantRequests)
			}
			if want.State == nil || got.State == nil {
				t.Fatalf("no state: fast %v, framework %v", got.State, want.State)
			}
			if got.State.JSON != nil || want.State.JSON != nil {
				t.Errorf("state as JSON, not msgpack")
			}
			if !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
				t.Fatalf("state differs: fast %d bytes, framework %d bytes", len(got.State.MsgPack), len(want.State.MsgPack))
			}

			// What was compared is the list the case is about.
			list := listInState(t, framework, tc.typeName, want.State)
			if tc.wantElements >= 0 && len(list) != tc.wantElements {
				t.Errorf("%d elements, want %d", len(list), tc.wantElements)
			}
			text := fmt.Sprint(list)
			sawUnicode = sawUnicode || strings.Contains(text, "日本") || strings.Contains(text, "アプリ")
			sawNull = sawNull || strings.Contains(text, "<null>")
		})
	}
	if !sawNull || !sawUnicode {
		t.Errorf("the fixture did not exercise null (%v) and unicode (%v) values", sawNull, sawUnicode)
	}
}

// listInState decodes the computed list of a data source's state.
func listInState(t *testing.T, s tfprotov6.ProviderServer, typeName string, state *tfprotov6.DynamicValue) []tftypes.Value {
	t.Helper()
	schemas, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := state.Unmarshal(schemas.DataSourceSchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var list []tftypes.Value
	if err := attrs[listAttributeName(t, schemas.DataSourceSchemas[typeName])].As(&list); err != nil {
		t.Fatal(err)
	}
	return list
}

// listAttributeName is the computed list attribute of a list data source.
func listAttributeName(t *testing.T, s *tfprotov6.Schema) string {
	t.Helper()
	for _, a := range s.Block.Attributes {
		if a.NestedType != nil && a.NestedType.Nesting == tfprotov6.SchemaObjectNestingModeList && a.Computed && !a.Optional {
			return a.Name
		}
	}
	t.Fatal("the data source has no computed list")
	return ""
}

func diagsString(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s %q %q %v] ", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return b.String()
}

// Errors come out of the framework on both paths: configuration that fails
// validation, a provider not configured yet, and BIG-IQ failing.
func TestFastReadSameErrors(t *testing.T) {
	m := bigiqmock.Start(t, bigiqmock.Options{})
	framework, fast := twoPaths(t, m, true)
	unconfiguredFramework, unconfiguredFast := twoPaths(t, m, false)
	ctx := context.Background()

	t.Run("blank filter", func(t *testing.T) {
		config := dataSourceConfig(t, framework, "bigiq_devices", map[string]tftypes.Value{"cluster_name": tftypes.NewValue(tftypes.String, " ")})
		want, err := framework.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "bigiq_devices", Config: config})
		if err != nil {
			t.Fatal(err)
		}
		got, err := fast.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "bigiq_devices", Config: config})
		if err != nil {
			t.Fatal(err)
		}
		if !hasErrorDiagnostic(want.Diagnostics) || !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
			t.Errorf("fast: %s\nframework: %s", diagsString(got.Diagnostics), diagsString(want.Diagnostics))
		}
	})

	sameFailure := func(t *testing.T, framework tfprotov6.ProviderServer, fast *fastReadServer, typeName, wantSummary string, setUp func()) {
		t.Helper()
		config := dataSourceConfig(t, framework, typeName, nil)
		setUp()
		want, wantRequests := readOn(t, framework, m, typeName, config)
		setUp()
		before := fast.fastReads.Load()
		got, gotRequests := readOn(t, fast, m, typeName, config)
		if fast.fastReads.Load() != before {
			t.Error("a failed read counted as served by the fast path")
		}
		if len(want.Diagnostics) != 1 || want.Diagnostics[0].Summary != wantSummary {
			t.Fatalf("framework: %s, want one error %q", diagsString(want.Diagnostics), wantSummary)
		}
		// BIG-IQ numbers each failed request.
		opID := regexp.MustCompile(`restOperationId \d+`)
		if a, b := opID.ReplaceAllString(diagsString(got.Diagnostics), "restOperationId N"), opID.ReplaceAllString(diagsString(want.Diagnostics), "restOperationId N"); a != b {
			t.Errorf("fast: %s\nframework: %s", a, b)
		}
		if !reflect.DeepEqual(got.State, want.State) {
			t.Errorf("state differs: fast %v, framework %v", got.State, want.State)
		}
		if !slices.Equal(gotRequests, wantRequests) {
			t.Errorf("BIG-IQ requests differ:\nfast:      %q\nframework: %q", gotRequests, wantRequests)
		}
	}
	t.Run("BIG-IQ fails", func(t *testing.T) {
		sameFailure(t, framework, fast, "bigiq_devices", "Could not list BIG-IQ devices", func() {
			m.FailNext("GET", bigiq.PathDevices, 1, 400)
		})
		sameFailure(t, framework, fast, "bigiq_oauth_client_apps", "Could not list OAuth client apps", func() {
			m.FailNext("GET", bigiq.PathOAuthApps, 1, 400)
		})
	})
	t.Run("provider not configured", func(t *testing.T) {
		sameFailure(t, unconfiguredFramework, unconfiguredFast, "bigiq_devices", "BIG-IQ provider is not configured", func() {})
	})
}

// fastListDataSources are the data sources whose Read hands its state to
// setListState (a computedAttributes table's list): the fast path must
// serve each, and TestFastReadByteIdentical compares each on both paths.
var fastListDataSources = []string{"bigiq_devices", "bigiq_oauth_client_apps", "bigiq_access_groups"}

func TestFastReadServesTheListDataSources(t *testing.T) {
	fast, ok := NewProtocol6Server("test")().(*fastReadServer)
	if !ok {
		t.Fatal("NewProtocol6Server did not wrap the framework's server")
	}
	// If a schema stops qualifying the reads stay correct but slow: say so.
	for _, name := range fastListDataSources {
		if _, ok := fast.stateTypes[name]; !ok {
			t.Errorf("%s is not served by the fast path: its schema has a block or a non-base type", name)
		}
	}
	// tf6server finds list resources, actions and state stores by type
	// assertion: the wrapper must have every method the framework has.
	fw := reflect.TypeOf(providerserver.NewProtocol6(New("test")())())
	wrapper := reflect.TypeOf(fast)
	for i := range fw.NumMethod() {
		if _, ok := wrapper.MethodByName(fw.Method(i).Name); !ok {
			t.Errorf("the wrapper hides the framework server's %s", fw.Method(i).Name)
		}
	}
}

type customStringType struct{ basetypes.StringType }

func TestFastReadableRejectsWhatThePipelineChanges(t *testing.T) {
	str := schema.StringAttribute{Computed: true}
	withAttr := func(a schema.Attribute) datasource.SchemaResponse {
		return datasource.SchemaResponse{Schema: schema.Schema{Attributes: map[string]schema.Attribute{"id": str, "x": a}}}
	}
	nested := func(attrs map[string]schema.Attribute, custom basetypes.ObjectTypable) schema.NestedAttributeObject {
		return schema.NestedAttributeObject{Attributes: attrs, CustomType: custom}
	}
	customObject := basetypes.ObjectType{AttrTypes: map[string]attr.Type{"s": types.StringType}}

	if !fastReadable(withAttr(schema.ListNestedAttribute{Computed: true, NestedObject: nested(map[string]schema.Attribute{
		"s": str, "n": schema.Int64Attribute{Computed: true}, "m": schema.MapAttribute{ElementType: types.BoolType, Computed: true},
	}, nil)})) {
		t.Error("a schema of base types does not qualify")
	}
	for name, s := range map[string]datasource.SchemaResponse{
		"block": {Schema: schema.Schema{
			Attributes: map[string]schema.Attribute{"id": str},
			Blocks:     map[string]schema.Block{"b": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{"s": str}}}},
		}},
		"custom type":                {Schema: withAttr(schema.StringAttribute{Computed: true, CustomType: customStringType{}}).Schema},
		"custom element type":        {Schema: withAttr(schema.ListAttribute{Computed: true, ElementType: customStringType{}}).Schema},
		"custom type in nested":      {Schema: withAttr(schema.SetNestedAttribute{Computed: true, NestedObject: nested(map[string]schema.Attribute{"s": schema.StringAttribute{Computed: true, CustomType: customStringType{}}}, nil)}).Schema},
		"custom nested object type":  {Schema: withAttr(schema.ListNestedAttribute{Computed: true, NestedObject: nested(map[string]schema.Attribute{"s": str}, customObjectType{customObject})}).Schema},
		"dynamic":                    {Schema: withAttr(schema.DynamicAttribute{Computed: true}).Schema},
		"object attribute, dynamic":  {Schema: withAttr(schema.ObjectAttribute{Computed: true, AttributeTypes: map[string]attr.Type{"d": types.DynamicType}}).Schema},
		"single nested, custom type": {Schema: withAttr(schema.SingleNestedAttribute{Computed: true, Attributes: map[string]schema.Attribute{"s": str}, CustomType: customObjectType{customObject}}).Schema},
	} {
		if fastReadable(s) {
			t.Errorf("a schema with a %s qualifies", name)
		}
	}
}

type customObjectType struct{ basetypes.ObjectType }

// A data source whose schema does not qualify is served by the framework
// alone, even when its Read uses setListState; and it has to be: with a
// block, the framework's state differs from what Read built.
func TestFastReadFallsBackForABlock(t *testing.T) {
	p := &blockProvider{}
	fw, ok := providerserver.NewProtocol6(p)().(frameworkServer)
	if !ok {
		t.Fatal("the framework's server lacks an optional interface")
	}
	fast := newFastReadServer(fw, p)
	if len(fast.stateTypes) != 0 {
		t.Fatalf("a schema with a block qualified: %v", fast.stateTypes)
	}
	read := func(s tfprotov6.ProviderServer) *tfprotov6.ReadDataSourceResponse {
		t.Helper()
		config := dataSourceConfig(t, s, "test_blocky", nil)
		resp, err := s.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "test_blocky", Config: config})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) > 0 {
			t.Fatalf("read: %s", diagsString(resp.Diagnostics))
		}
		return resp
	}
	want := read(providerserver.NewProtocol6(p)())
	got := read(fast)
	if !bytes.Equal(got.State.MsgPack, want.State.MsgPack) || fast.fastReads.Load() != 0 {
		t.Error("a data source with a block was served by the fast path")
	}

	// Forced through the fast path, the null block would stay null where
	// the framework makes it an empty list.
	blockyType, ok := blockySchema().Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema's type is not an object")
	}
	fast.stateTypes["test_blocky"] = blockyType
	forced := read(fast)
	if bytes.Equal(forced.State.MsgPack, want.State.MsgPack) {
		t.Error("the framework's post-Read pipeline changed nothing for a block; the fixture no longer shows why blocks are excluded")
	}
}

type blockProvider struct{}

func (blockProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (blockProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (blockProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (blockProvider) Resources(context.Context) []func() resource.Resource { return nil }
func (blockProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return blockyDataSource{} }}
}

type blockyDataSource struct{}

var blockyThingAttributes = computedAttributes[string]{
	computedString("s", "A thing.", func(s *string) string { return *s }),
}

func blockySchema() schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{"things": blockyThingAttributes.listAttribute("")},
		Blocks: map[string]schema.Block{"item": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{"s": schema.StringAttribute{Computed: true}},
		}}},
	}
}

func (blockyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_blocky"
}

func (blockyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = blockySchema()
}

func (blockyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if err := setListState(ctx, resp, req.Config, "things", blockyThingAttributes.list([]string{"x", ""})); err != nil {
		resp.Diagnostics.AddError("setting the state", err.Error())
	}
}
