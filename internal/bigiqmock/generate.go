package bigiqmock

import (
	hexpkg "encoding/hex"
	"fmt"
	"math/rand"
)

// GenerateFixture builds a large estate for scale tests, the same for the
// same arguments. Devices come in groups of four: an active/standby cluster
// pair and two standalone devices; every hundred devices share an access
// group. Each device has appsPerDevice client apps (a standby shares its
// active peer's apps) and each active device tokensPerDevice tokens, owned
// by users drawn from a pool about a tenth the size of the estate, so a
// user has tokens on several devices. Tokens need apps: it panics when
// tokensPerDevice > 0 and appsPerDevice is 0.
func GenerateFixture(devices, appsPerDevice, tokensPerDevice int, seed int64) *Fixture {
	if tokensPerDevice > 0 && appsPerDevice == 0 {
		panic("bigiqmock: GenerateFixture: a token belongs to a client app, so tokens need apps")
	}
	rng := rand.New(rand.NewSource(seed))
	hex := func(n int) string {
		b := make([]byte, (n+1)/2)
		_, _ = rng.Read(b)
		return hexpkg.EncodeToString(b)[:n]
	}
	users := max(10, devices/10)

	f := &Fixture{}
	for g := 0; g < (devices+99)/100; g++ {
		f.AccessGroups = append(f.AccessGroups, FixtureAccessGroup{Name: fmt.Sprintf("AccessGroup%03d", g)})
	}
	f.Devices = make([]FixtureDevice, devices)
	for i := range f.Devices {
		d := &f.Devices[i]
		*d = FixtureDevice{
			UUID:              fmt.Sprintf("%s-%s-4%s-a%s-%s", hex(8), hex(4), hex(3), hex(3), hex(12)),
			Hostname:          fmt.Sprintf("bigip%05d.gen.example.com", i),
			Address:           fmt.Sprintf("10.%d.%d.%d", 100+i>>16, i>>8&255, i&255),
			ManagementAddress: fmt.Sprintf("172.%d.%d.%d", 16+i>>16, i>>8&255, i&255),
			Version:           "14.1.0",
			Build:             "0.0.116",
			AccessGroupName:   f.AccessGroups[i/100].Name,
			IsVirtual:         true,
			TrustEstablished:  true,
			AccessDiscovered:  true,
			AccessImported:    true,
		}
		if i%4 == 1 || (i%4 == 0 && i+1 < devices) {
			d.ClusterName = fmt.Sprintf("Cluster%05d", i/4)
			d.IsClustered = true
			if i%4 == 0 {
				f.Clusters = append(f.Clusters, FixtureCluster{Name: d.ClusterName})
			}
		}
		if i%4 == 1 {
			d.FailoverState = failoverStandby
			d.ClientApps = f.Devices[i-1].ClientApps
			continue
		}
		for a := 0; a < appsPerDevice; a++ {
			d.ClientApps = append(d.ClientApps, FixtureClientApp{
				Name: fmt.Sprintf("app%02d-client", a), AppName: fmt.Sprintf("App%02d", a), ClientID: hex(48),
			})
		}
		for k := 0; k < tokensPerDevice; k++ {
			clientID := d.ClientApps[rng.Intn(len(d.ClientApps))].ClientID
			d.Tokens = append(d.Tokens, Token{ID: hex(48), ClientID: clientID, UserName: fmt.Sprintf("user%05d", rng.Intn(users))})
		}
	}
	if err := f.normalize(); err != nil {
		panic("bigiqmock: generated fixture is invalid: " + err.Error())
	}
	return f
}
