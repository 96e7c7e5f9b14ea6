package bigiqmock

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
)

// Fixture is the managed estate the mock serves: BIG-IP devices with their
// OAuth client apps and live OAuth tokens, and BIG-IQ access groups.
//
// Only the compact fields are required; everything else BIG-IQ reports about
// a device is derived from them (see renderDevice). Properties and Slots let
// a fixture pin a device's item exactly (the default fixture does so for the
// device of F5's revocation how-to); they must agree with the compact fields.
type Fixture struct {
	Clusters     []FixtureCluster     `json:"clusters,omitempty"`
	AccessGroups []FixtureAccessGroup `json:"accessGroups"`
	Devices      []FixtureDevice      `json:"devices"`
	// DeviceShape is how the machineid-resolver lists each device:
	// DeviceShape52 (the default) or DeviceShape8, the 20-30 KB item of a
	// BIG-IQ 7/8 that has discovered LTM, ASM, AFM and DNS beside Access.
	DeviceShape string `json:"deviceShape,omitempty"`
}

// FixtureCluster is a BIG-IP device cluster (an HA pair) as BIG-IQ knows
// it. A device can only name a cluster the fixture declares.
type FixtureCluster struct {
	Name string `json:"name"`
}

// FixtureAccessGroup is a BIG-IQ Access group.
type FixtureAccessGroup struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
}

// FixtureDevice is one managed BIG-IP. Its UUID is also its machineId.
type FixtureDevice struct {
	UUID              string `json:"uuid"`
	Hostname          string `json:"hostname"`
	Address           string `json:"address"`
	ManagementAddress string `json:"managementAddress,omitempty"` // default: Address
	HTTPSPort         int    `json:"httpsPort,omitempty"`         // default 443
	Version           string `json:"version,omitempty"`           // default 12.1.0
	Build             string `json:"build,omitempty"`             // default 0.0.1354
	Product           string `json:"product,omitempty"`           // default BIG-IP
	Edition           string `json:"edition,omitempty"`           // default Final
	State             string `json:"state,omitempty"`             // default ACTIVE

	ClusterName     string `json:"clusterName,omitempty"`
	AccessGroupName string `json:"accessGroupName,omitempty"`
	IsClustered     bool   `json:"isClustered"`
	IsVirtual       bool   `json:"isVirtual"`

	// A device is only reachable by revoke tasks when trust is established
	// and APM is discovered; access-group targeting also needs the APM
	// configuration imported (the how-to's prerequisites). APM discovered
	// without trust is a device whose trust broke after discovery.
	TrustEstablished bool `json:"trustEstablished"`
	AccessDiscovered bool `json:"accessDiscovered"`
	AccessImported   bool `json:"accessImported"`

	// FailoverState is "active" or "standby". BIG-IQ revokes on the active
	// member of a cluster; a task aimed at a standby member revokes nothing
	// there. BIG-IQ does not report this on the wire, so it lives only here.
	FailoverState string `json:"failoverState,omitempty"` // default active

	// Cosmetic fields of the resolver item; derived when empty.
	MCPDeviceName        string          `json:"mcpDeviceName,omitempty"`
	RestFrameworkVersion string          `json:"restFrameworkVersion,omitempty"`
	TrustDomainGUID      string          `json:"trustDomainGuid,omitempty"`
	Generation           int64           `json:"generation,omitempty"`
	LastUpdateMicros     int64           `json:"lastUpdateMicros,omitempty"`
	Properties           json.RawMessage `json:"properties,omitempty"`
	Slots                json.RawMessage `json:"slots,omitempty"`

	ClientApps []FixtureClientApp `json:"clientApps,omitempty"`
	Tokens     []Token            `json:"tokens,omitempty"`
}

// FixtureClientApp is an APM OAuth client application on a device.
type FixtureClientApp struct {
	Name     string `json:"name"`
	AppName  string `json:"appName"`
	ClientID string `json:"clientId"`
}

// Token is a live OAuth token on a device.
type Token struct {
	ID       string `json:"id"`
	ClientID string `json:"clientId"`
	UserName string `json:"userName"`
}

const (
	failoverActive  = "active"
	failoverStandby = "standby"
)

//go:embed testdata/default.json
var defaultFixtureJSON []byte

// DefaultFixture returns a fresh copy of the documented estate: the device
// of F5's revocation how-to in BlueCluster with its standby peer, the
// RedCluster device of the how-to's examples, a standalone device and one
// without APM, with tokens
// of user1, alice, Alice and bob spread across them.
func DefaultFixture() *Fixture {
	f, err := ParseFixture(defaultFixtureJSON)
	if err != nil {
		panic("bigiqmock: embedded default fixture is invalid: " + err.Error())
	}
	return f
}

// LoadFixture reads a fixture file (see ParseFixture); errors name the
// file, the line and the key.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ParseFixture decodes a fixture, fills in defaults and checks that it
// describes an estate BIG-IQ could have. It is strict, so a typo in a
// hand-written fixture cannot silently change a test: an unknown key (keys
// are case-sensitive), a missing required field and a dangling reference
// are errors that name the line and the key, such as
// "line 14: devices[1].accessGroupName: ...". Lines whose first non-blank
// characters are // are comments.
func ParseFixture(data []byte) (*Fixture, error) {
	data = blankComments(data)
	lines, err := checkKeys(data, reflect.TypeFor[Fixture]())
	if err != nil {
		return nil, err
	}
	var f Fixture
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, locate(data, err)
	}
	if err := f.normalize(); err != nil {
		var fe *fixtureError
		if errors.As(err, &fe) {
			fe.line = lines.of(fe.path)
		}
		return nil, err
	}
	return &f, nil
}

// fixtureError is a problem at a key path such as devices[2].accessGroupName,
// with the line it is on when the fixture came from text.
type fixtureError struct {
	line int
	path string
	msg  string
}

func (e *fixtureError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.line, e.path, e.msg)
	}
	return e.path + ": " + e.msg
}

func problem(path, format string, args ...any) error {
	return &fixtureError{path: path, msg: fmt.Sprintf(format, args...)}
}

// normalize applies defaults and validates; it is idempotent, so a Fixture
// built in Go goes through it too (New and every run-time change do).
func (f *Fixture) normalize() error {
	if err := CheckDeviceShape(f.DeviceShape); err != nil {
		return err
	}
	clusters, err := uniqueNames("clusters", len(f.Clusters), func(i int) string { return f.Clusters[i].Name })
	if err != nil {
		return err
	}
	groups, err := uniqueNames("accessGroups", len(f.AccessGroups), func(i int) string { return f.AccessGroups[i].Name })
	if err != nil {
		return err
	}
	for i := range f.AccessGroups {
		if g := &f.AccessGroups[i]; g.DisplayName == "" {
			g.DisplayName = g.Name
		}
	}
	seen := map[string]string{}
	activeInCluster := map[string]string{}
	for i := range f.Devices {
		d := &f.Devices[i]
		path := fmt.Sprintf("devices[%d]", i)
		if d.UUID == "" || d.Hostname == "" || d.Address == "" {
			return problem(path, "uuid, hostname and address are required")
		}
		if other, dup := seen[d.UUID]; dup {
			return problem(path+".uuid", "%s is also the uuid of %s", d.UUID, other)
		}
		seen[d.UUID] = path
		d.applyDefaults()
		if err := d.check(path, clusters, groups); err != nil {
			return err
		}
		if d.ClusterName != "" && d.FailoverState == failoverActive {
			if other, dup := activeInCluster[d.ClusterName]; dup {
				return problem(path+".failoverState", "cluster %s already has an active member, %s; make one of them standby", d.ClusterName, other)
			}
			activeInCluster[d.ClusterName] = d.UUID
		}
	}
	return nil
}

// uniqueNames checks that a list's names are set and distinct and returns them.
func uniqueNames(list string, n int, name func(i int) string) (map[string]bool, error) {
	names := map[string]bool{}
	for i := range n {
		switch v := name(i); {
		case v == "":
			return nil, problem(fmt.Sprintf("%s[%d].name", list, i), "is empty")
		case names[v]:
			return nil, problem(fmt.Sprintf("%s[%d].name", list, i), "%q is defined twice", v)
		default:
			names[v] = true
		}
	}
	return names, nil
}

// check validates one device (with defaults applied) against the estate's
// clusters and Access groups.
func (d *FixtureDevice) check(path string, clusters, groups map[string]bool) error {
	switch {
	case d.ClusterName != "" && !clusters[d.ClusterName]:
		return problem(path+".clusterName", "%q is not in clusters (%s)", d.ClusterName, known(clusters))
	case d.AccessGroupName != "" && !groups[d.AccessGroupName]:
		return problem(path+".accessGroupName", "%q is not in accessGroups (%s)", d.AccessGroupName, known(groups))
	case d.AccessImported && !d.AccessDiscovered:
		return problem(path+".accessImported", "APM cannot be imported without being discovered (accessDiscovered)")
	case d.FailoverState != failoverActive && d.FailoverState != failoverStandby:
		return problem(path+".failoverState", "%q is neither active nor standby", d.FailoverState)
	case d.FailoverState == failoverStandby && d.ClusterName == "":
		return problem(path+".failoverState", "only a cluster member can be standby")
	}
	apps := map[string]bool{}
	clientIDs := map[string]bool{}
	for i, a := range d.ClientApps {
		appPath := fmt.Sprintf("%s.clientApps[%d]", path, i)
		switch {
		case a.Name == "" || a.AppName == "" || a.ClientID == "":
			return problem(appPath, "name, appName and clientId are required")
		case apps[a.Name]:
			return problem(appPath+".name", "%q is defined twice on this device", a.Name)
		}
		apps[a.Name], clientIDs[a.ClientID] = true, true
	}
	tokenIDs := map[string]bool{}
	for i, t := range d.Tokens {
		tokenPath := fmt.Sprintf("%s.tokens[%d]", path, i)
		switch {
		case t.ID == "" || t.ClientID == "" || t.UserName == "":
			return problem(tokenPath, "id, clientId and userName are required")
		case tokenIDs[t.ID]:
			return problem(tokenPath+".id", "%q is repeated on this device", t.ID)
		case !clientIDs[t.ClientID]:
			return problem(tokenPath+".clientId", "%q is not the clientId of any of this device's clientApps", t.ClientID)
		}
		tokenIDs[t.ID] = true
	}
	if err := d.checkPinnedProperties(); err != nil {
		return problem(path+".properties", "%v", err)
	}
	return nil
}

func known(names map[string]bool) string {
	if len(names) == 0 {
		return "none defined"
	}
	return "known: " + strings.Join(slices.Sorted(maps.Keys(names)), ", ")
}

func (d *FixtureDevice) applyDefaults() {
	setDefault := func(field *string, value string) {
		if *field == "" {
			*field = value
		}
	}
	setDefault(&d.ManagementAddress, d.Address)
	setDefault(&d.Version, "12.1.0")
	setDefault(&d.Build, "0.0.1354")
	setDefault(&d.Product, "BIG-IP")
	setDefault(&d.Edition, "Final")
	setDefault(&d.State, "ACTIVE")
	setDefault(&d.FailoverState, failoverActive)
	setDefault(&d.MCPDeviceName, "/Common/"+strings.SplitN(d.Hostname, ".", 2)[0])
	setDefault(&d.RestFrameworkVersion, d.Version+"-"+d.Build)
	setDefault(&d.TrustDomainGUID, nameUUID("trust-domain/"+d.UUID))
	if d.HTTPSPort == 0 {
		d.HTTPSPort = 443
	}
	if d.Generation == 0 {
		d.Generation = 1
	}
}

// checkPinnedProperties keeps pinned properties from contradicting the
// compact fields, which are what task resolution uses.
func (d *FixtureDevice) checkPinnedProperties() error {
	if len(d.Properties) == 0 {
		return nil
	}
	var p struct {
		GUIModules []string `json:"cm:gui:module"`
		Access     *struct {
			ClusterName string `json:"clusterName"`
			AccessGroup string `json:"cm:access:access-group-name"`
			Discovered  bool   `json:"discovered"`
			Imported    bool   `json:"imported"`
		} `json:"cm-access-allBigIpDevices"`
	}
	if err := json.Unmarshal(d.Properties, &p); err != nil {
		return fmt.Errorf("properties: %w", err)
	}
	has := func(module string) bool {
		for _, m := range p.GUIModules {
			if m == module {
				return true
			}
		}
		return false
	}
	var problems []string
	if has("BigIPDevice") != d.TrustEstablished {
		problems = append(problems, "cm:gui:module BigIPDevice vs trustEstablished")
	}
	if has("Access") != d.AccessDiscovered {
		problems = append(problems, "cm:gui:module Access vs accessDiscovered")
	}
	if d.AccessDiscovered {
		a := p.Access
		switch {
		case a == nil:
			problems = append(problems, "cm-access-allBigIpDevices missing")
		case a.ClusterName != d.ClusterName || a.AccessGroup != d.AccessGroupName ||
			a.Discovered != d.AccessDiscovered || a.Imported != d.AccessImported:
			problems = append(problems, "cm-access-allBigIpDevices vs clusterName/accessGroupName/accessDiscovered/accessImported")
		}
	}
	if len(problems) > 0 {
		return errors.New("pinned properties disagree with the fixture: " + strings.Join(problems, "; "))
	}
	return nil
}
