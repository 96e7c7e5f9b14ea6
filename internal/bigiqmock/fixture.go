package bigiqmock

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Fixture is the managed estate the mock serves: BIG-IP devices with their
// OAuth client apps and live OAuth tokens, and BIG-IQ access groups.
//
// Only the compact fields are required; everything else BIG-IQ reports about
// a device is derived from them (see renderDevice). Properties and Slots let
// a fixture pin a device's item exactly (the default fixture does so for the
// device documented in seed 001); they must agree with the compact fields.
type Fixture struct {
	AccessGroups []FixtureAccessGroup `json:"accessGroups"`
	Devices      []FixtureDevice      `json:"devices"`
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
	// configuration imported (seed 001's prerequisites). APM discovered
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
// of seed 001 in BlueCluster with its standby peer, the RedCluster device of
// the seed's examples, a standalone device and one without APM, with tokens
// of user1, alice, Alice and bob spread across them.
func DefaultFixture() *Fixture {
	f, err := ParseFixture(defaultFixtureJSON)
	if err != nil {
		panic("bigiqmock: embedded default fixture is invalid: " + err.Error())
	}
	return f
}

// LoadFixture reads a fixture from a JSON file.
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
// describes an estate BIG-IQ could have. Unknown fields are rejected so a
// typo in a hand-written fixture does not silently change a test.
func ParseFixture(data []byte) (*Fixture, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Fixture
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode fixture: %w", err)
	}
	if err := f.normalize(); err != nil {
		return nil, err
	}
	return &f, nil
}

// normalize applies defaults and validates; it is idempotent, so a Fixture
// built in Go can go through it too (New does).
func (f *Fixture) normalize() error {
	groups := map[string]bool{}
	for i := range f.AccessGroups {
		g := &f.AccessGroups[i]
		if g.Name == "" {
			return fmt.Errorf("accessGroups[%d]: name is empty", i)
		}
		if groups[g.Name] {
			return fmt.Errorf("access group %q defined twice", g.Name)
		}
		groups[g.Name] = true
		if g.DisplayName == "" {
			g.DisplayName = g.Name
		}
	}
	seen := map[string]bool{}
	activeInCluster := map[string]string{}
	for i := range f.Devices {
		d := &f.Devices[i]
		if d.UUID == "" || d.Hostname == "" || d.Address == "" {
			return fmt.Errorf("devices[%d]: uuid, hostname and address are required", i)
		}
		if seen[d.UUID] {
			return fmt.Errorf("device %s defined twice", d.UUID)
		}
		seen[d.UUID] = true
		d.applyDefaults()
		if d.AccessGroupName != "" && !groups[d.AccessGroupName] {
			return fmt.Errorf("device %s: access group %q is not in accessGroups", d.UUID, d.AccessGroupName)
		}
		if d.AccessImported && !d.AccessDiscovered {
			return fmt.Errorf("device %s: APM cannot be imported without being discovered", d.UUID)
		}
		switch d.FailoverState {
		case failoverActive:
			if d.ClusterName != "" {
				if other, dup := activeInCluster[d.ClusterName]; dup {
					return fmt.Errorf("cluster %s has two active members: %s and %s", d.ClusterName, other, d.UUID)
				}
				activeInCluster[d.ClusterName] = d.UUID
			}
		case failoverStandby:
			if d.ClusterName == "" {
				return fmt.Errorf("device %s: only a cluster member can be standby", d.UUID)
			}
		default:
			return fmt.Errorf("device %s: failoverState %q is neither active nor standby", d.UUID, d.FailoverState)
		}
		tokenIDs := map[string]bool{}
		for _, t := range d.Tokens {
			if t.ID == "" || tokenIDs[t.ID] {
				return fmt.Errorf("device %s: token id %q is empty or repeated", d.UUID, t.ID)
			}
			tokenIDs[t.ID] = true
		}
		if err := d.checkPinnedProperties(); err != nil {
			return fmt.Errorf("device %s: %w", d.UUID, err)
		}
	}
	return nil
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
