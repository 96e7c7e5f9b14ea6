package bigiqmock

import (
	"errors"
	"fmt"
	"slices"
)

// estate is the managed estate as the mock serves it: the fixture's
// devices, OAuth client apps and groups, with their collections. An estate
// never changes; a change at run time (MoveDevice, AddDevice, RemoveDevice,
// UpdateDevice) builds a new one from an edited fixture and swaps it in, so
// every request pages through one consistent estate.
type estate struct {
	fixture     *Fixture // normalized
	devices     []*FixtureDevice
	deviceIndex map[string]int // uuid → position in resolver
	resolver    *collection
	apps        *collection
	appIndex    map[string]int // app id → position in apps
	groups      *collection
	groupIndex  map[string]int // group name → position in groups
}

func newEstate(f *Fixture) *estate {
	e := &estate{fixture: f, deviceIndex: map[string]int{}, appIndex: map[string]int{}, groupIndex: map[string]int{}}
	type deviceApp struct {
		device *FixtureDevice
		app    FixtureClientApp
	}
	var apps []deviceApp
	for i := range f.Devices {
		d := &f.Devices[i]
		e.devices = append(e.devices, d)
		e.deviceIndex[d.UUID] = i
		for _, a := range d.ClientApps {
			e.appIndex[appID(d.UUID, a.Name)] = len(apps)
			apps = append(apps, deviceApp{d, a})
		}
	}
	var groupItems [][]byte
	for _, g := range f.AccessGroups {
		e.groupIndex[g.Name] = len(groupItems)
		groupItems = append(groupItems, renderGroup(g.Name, g.DisplayName, "Access group "+g.DisplayName, true))
	}
	// Built-in groups that are not access groups, so the access-group
	// filter has something to leave out.
	for _, name := range []string{groupAllAccessDevices, "cm-bigip-allBigIpDevices"} {
		e.groupIndex[name] = len(groupItems)
		groupItems = append(groupItems, renderGroup(name, name, "Built-in device group", false))
	}
	// Generation and lastUpdateMicros of the resolver collection are zero
	// in F5's how-to; the others carry real values.
	e.resolver = newCollection(pathDevices, kindDeviceCollection, 0, 0,
		len(e.devices), func(i int) []byte { return renderDevice(e.devices[i], f.DeviceShape) })
	e.apps = newCollection(pathOAuthApps, kindAppCollection, int64(len(apps)), fixtureEpochMicros,
		len(apps), func(i int) []byte { return renderApp(apps[i].device, apps[i].app) })
	e.groups = newCollection(pathDeviceGroups, kindGroupCollection, int64(len(groupItems)), fixtureEpochMicros,
		len(groupItems), func(i int) []byte { return groupItems[i] })
	return e
}

// ErrUnknownDevice is returned for a machine id the estate does not have.
var ErrUnknownDevice = errors.New("bigiqmock: no such device")

// MoveDevice puts a device in another cluster and Access group at run
// time, as an administrator re-clustering BIG-IPs between a plan and its
// apply would; "" takes it out of any. A device joining a cluster that
// already has an active member joins as standby; one leaving a cluster
// becomes active. The device's live tokens stay with it.
func (m *Mock) MoveDevice(machineID, clusterName, accessGroupName string) error {
	return m.changeEstate(Move(machineID, clusterName, accessGroupName))
}

// EstateChange is a change to the estate, applied to a copy of the
// fixture: MoveDevice and the others, or one timed by ChangeEstateDuring.
type EstateChange func(f *Fixture) error

// Move is MoveDevice as an EstateChange.
func Move(machineID, clusterName, accessGroupName string) EstateChange {
	return func(f *Fixture) error {
		d := f.device(machineID)
		if d == nil {
			return fmt.Errorf("%w: %s", ErrUnknownDevice, machineID)
		}
		d.FailoverState = failoverActive
		if clusterName != "" && clusterName != d.ClusterName && f.hasActiveMember(clusterName) {
			d.FailoverState = failoverStandby
		}
		d.ClusterName, d.AccessGroupName, d.IsClustered = clusterName, accessGroupName, clusterName != ""
		return nil
	}
}

// UpdateDevice changes a device at run time: its trust, discovery and
// import state, say. The result must still be a valid fixture.
func (m *Mock) UpdateDevice(machineID string, update func(d *FixtureDevice)) error {
	return m.changeEstate(func(f *Fixture) error {
		d := f.device(machineID)
		if d == nil {
			return fmt.Errorf("%w: %s", ErrUnknownDevice, machineID)
		}
		update(d)
		return nil
	})
}

// AddDevice brings a new device under management at run time, with its
// client apps and live tokens. It must be valid in the estate as a
// fixture device would be.
func (m *Mock) AddDevice(d FixtureDevice) error {
	return m.changeEstate(func(f *Fixture) error {
		f.Devices = append(f.Devices, d)
		return nil
	})
}

// RemoveDevice takes a device out of management at run time; its apps
// and live tokens go with it.
func (m *Mock) RemoveDevice(machineID string) error {
	return m.changeEstate(Remove(machineID))
}

// Remove is RemoveDevice as an EstateChange.
func Remove(machineID string) EstateChange {
	return func(f *Fixture) error {
		n := len(f.Devices)
		f.Devices = slices.DeleteFunc(f.Devices, func(d FixtureDevice) bool { return d.UUID == machineID })
		if len(f.Devices) == n {
			return fmt.Errorf("%w: %s", ErrUnknownDevice, machineID)
		}
		return nil
	}
}

// TaskMoment is a moment in the life of a revoke-tokens task at which
// ChangeEstateDuring changes the estate.
type TaskMoment int

const (
	// BeforeResolve is after the POST, as the task leaves RESOLVE_DEVICES
	// but before it has resolved its targets: the change decides what it
	// revokes on.
	BeforeResolve TaskMoment = iota
	// AfterResolve is just after the task has resolved its targets: the
	// change no longer decides what it revokes on, but the estate after
	// the task shows it.
	AfterResolve
)

// timedChange is a change ChangeEstateDuring applies at a moment of the
// next task to reach it.
type timedChange struct {
	at     TaskMoment
	change EstateChange
}

// ChangeEstateDuring applies change once, at moment at of the next task
// that reaches it, on the mock's clock: a device joining or leaving a
// cluster in the window between a task's POST and its RESOLVE_DEVICES
// step (BeforeResolve), or while it revokes (AfterResolve). A change that
// fails (an unknown device) is logged and dropped, leaving the estate as
// it was, which the test then sees.
func (m *Mock) ChangeEstateDuring(at TaskMoment, change EstateChange) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.timedChanges = append(m.timedChanges, timedChange{at, change})
}

// applyTimedChanges applies, with the lock held, the changes due at
// moment at.
func (m *Mock) applyTimedChanges(at TaskMoment) {
	kept := m.timedChanges[:0]
	for _, c := range m.timedChanges {
		if c.at != at {
			kept = append(kept, c)
			continue
		}
		if err := m.changeEstateLocked(c.change); err != nil {
			m.logf("timed estate change failed: %v", err)
		}
	}
	m.timedChanges = kept
}

// changeEstate edits a copy of the fixture, checks it as a fixture file
// is checked and swaps the new estate in. A changed device's resolver item
// gets a new generation, and pinned properties give way to derived ones,
// which follow the change.
func (m *Mock) changeEstate(edit EstateChange) error {
	// Tasks are brought up to the clock first, so one whose RESOLVE_DEVICES
	// step is already past resolves against the estate it saw.
	m.lockAdvanced()
	defer m.mu.Unlock()
	return m.changeEstateLocked(edit)
}

func (m *Mock) changeEstateLocked(edit EstateChange) error {
	old := m.estate.Load()
	f := *old.fixture
	f.AccessGroups = slices.Clone(f.AccessGroups)
	f.Devices = slices.Clone(f.Devices)
	if err := edit(&f); err != nil {
		return err
	}
	for i := range f.Devices {
		d := &f.Devices[i]
		if prev := old.fixture.device(d.UUID); prev != nil && !sameDevice(prev, d) {
			d.Properties = nil
			d.Generation = prev.Generation + 1
			d.LastUpdateMicros = m.now().UnixMicro()
		}
	}
	if err := f.normalize(); err != nil {
		return fmt.Errorf("bigiqmock: %w", err)
	}
	next := newEstate(&f)
	tokens := make(map[string][]Token, len(f.Devices))
	for _, d := range next.devices {
		if live, ok := m.oauthTokens[d.UUID]; ok {
			tokens[d.UUID] = live
		} else {
			tokens[d.UUID] = slices.Clone(d.Tokens)
		}
	}
	m.oauthTokens = tokens
	m.estate.Store(next)
	return nil
}

func (f *Fixture) device(uuid string) *FixtureDevice {
	for i := range f.Devices {
		if f.Devices[i].UUID == uuid {
			return &f.Devices[i]
		}
	}
	return nil
}

func (f *Fixture) hasActiveMember(cluster string) bool {
	return slices.ContainsFunc(f.Devices, func(d FixtureDevice) bool {
		return d.ClusterName == cluster && d.FailoverState == failoverActive
	})
}

// sameDevice compares the fields a run-time change can touch.
func sameDevice(a, b *FixtureDevice) bool {
	return a.ClusterName == b.ClusterName && a.AccessGroupName == b.AccessGroupName &&
		a.FailoverState == b.FailoverState && a.TrustEstablished == b.TrustEstablished &&
		a.AccessDiscovered == b.AccessDiscovered && a.AccessImported == b.AccessImported &&
		a.Hostname == b.Hostname && a.Address == b.Address && a.State == b.State
}
