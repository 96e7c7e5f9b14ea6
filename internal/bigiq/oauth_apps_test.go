package bigiq

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestListOAuthClientAppsOfOneDevice(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	apps, err := c.ListOAuthClientApps(context.Background(), bluebigip)
	if err != nil {
		t.Fatal(err)
	}
	want := []OAuthClientApp{
		{AppName: "Shutterfly", ClientID: "89923892aed8eb142a8871058da9005056b09ae221df6a57", Name: "shutterfly-client"},
		{AppName: "Maps", ClientID: "5b3e8851b1d872feed3086484141005056b09ae2d5277c57", Name: "maps-client"},
	}
	if !reflect.DeepEqual(apps, want) {
		t.Errorf("apps = %+v; want %+v", apps, want)
	}
	q := sent(s, http.MethodGet, PathOAuthApps)[0].Query
	if q.Get("$filter") != "'lsoDeviceReference/machineId' eq '"+bluebigip+"'" || q.Get("$select") != "appName,name,clientId" {
		t.Errorf("query = %v", q)
	}
}

// TestListOAuthClientAppsUpperCaseMachineID: BIG-IQ matches the machine id
// case-sensitively, so an upper-case id is sent lower-cased rather than
// returning no apps in silence.
func TestListOAuthClientAppsUpperCaseMachineID(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	apps, err := c.ListOAuthClientApps(context.Background(), strings.ToUpper(bluebigip))
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 {
		t.Errorf("got %d apps for the upper-case machine id; want the device's 2: %+v", len(apps), apps)
	}
	q := sent(s, http.MethodGet, PathOAuthApps)[0].Query
	if q.Get("$filter") != "'lsoDeviceReference/machineId' eq '"+bluebigip+"'" {
		t.Errorf("$filter = %q; want the lower-case machine id", q.Get("$filter"))
	}
}

// TestClientAppNamesOfTargetDevices: one listing filtered by client id,
// kept to the devices asked for (an upper-case machine id included), and
// nothing for a device that does not know the client id.
func TestClientAppNamesOfTargetDevices(t *testing.T) {
	t.Parallel()
	const shutterfly = "89923892aed8eb142a8871058da9005056b09ae221df6a57"
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	names, err := c.ClientAppNames(context.Background(), shutterfly, []string{strings.ToUpper(bluebigip), greenbigip, redbigip})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names, []string{"Shutterfly"}) {
		t.Errorf("names = %q; want [Shutterfly] once, though two of the devices carry it", names)
	}
	gets := sent(s, http.MethodGet, PathOAuthApps)
	if len(gets) != 1 {
		t.Fatalf("mock received %d GETs of the client apps; want one listing", len(gets))
	}
	if q := gets[0].Query; q.Get("$filter") != "'clientId' eq '"+shutterfly+"'" || q.Get("$select") != "appName,lsoDeviceReference" {
		t.Errorf("query = %v", q)
	}

	names, err = c.ClientAppNames(context.Background(), shutterfly, []string{redbigip})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 0 {
		t.Errorf("names on the red device, which does not carry the client = %q; want none", names)
	}
}
