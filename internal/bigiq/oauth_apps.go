package bigiq

import (
	"context"
	"slices"
)

// PathOAuthApps holds the APM OAuth client apps.
const PathOAuthApps = "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app"

// OAuthClientApp is an APM OAuth client application.
type OAuthClientApp struct {
	Name     string `json:"name"`
	AppName  string `json:"appName"`
	ClientID string `json:"clientId"`
}

// ListOAuthClientApps lists the APM OAuth client apps, of one device when
// machineID is not empty. BIG-IQ matches the machine id case-sensitively, so
// it is sent in its lower-case form.
//
// BIG-IQ API: GET /mgmt/cm/access/working-config/apm/oauth/oauth-client-app
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html
func (c *Client) ListOAuthClientApps(ctx context.Context, machineID string) ([]OAuthClientApp, error) {
	q := query{selec: []string{"appName", "name", "clientId"}}
	if machineID != "" {
		q.filter = ODataEq("lsoDeviceReference/machineId", NormalizeMachineID(machineID))
	}
	return listInto[OAuthClientApp](ctx, c, PathOAuthApps, q)
}

// clientAppOnDevice is an app with the device that holds it.
type clientAppOnDevice struct {
	AppName            string `json:"appName"`
	LSODeviceReference struct {
		MachineID string `json:"machineId"`
	} `json:"lsoDeviceReference"`
}

// ClientAppNames returns the appNames, sorted and without repeats, of the
// OAuth client apps that carry clientID on the devices machineIDs. It lists
// the apps of that client id in one request (paged), whatever the number
// of devices, and keeps those on the devices asked for: a filter naming
// every device would grow with the estate. The whole lsoDeviceReference is
// selected because BIG-IQ's $select names top-level fields.
//
// BIG-IQ API: GET /mgmt/cm/access/working-config/apm/oauth/oauth-client-app
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html
func (c *Client) ClientAppNames(ctx context.Context, clientID string, machineIDs []string) ([]string, error) {
	apps, err := listInto[clientAppOnDevice](ctx, c, PathOAuthApps, query{
		filter: ODataEq("clientId", clientID),
		selec:  []string{"appName", "lsoDeviceReference"},
	})
	if err != nil {
		return nil, err
	}
	wanted := make(map[string]bool, len(machineIDs))
	for _, id := range machineIDs {
		wanted[NormalizeMachineID(id)] = true
	}
	var names []string
	for _, a := range apps {
		if wanted[NormalizeMachineID(a.LSODeviceReference.MachineID)] && !slices.Contains(names, a.AppName) {
			names = append(names, a.AppName)
		}
	}
	slices.Sort(names)
	return names, nil
}
