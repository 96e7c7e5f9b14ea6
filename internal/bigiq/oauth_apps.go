package bigiq

import "context"

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
func (c *Client) ListOAuthClientApps(ctx context.Context, machineID string) ([]OAuthClientApp, error) {
	q := query{selec: []string{"appName", "name", "clientId"}}
	if machineID != "" {
		q.filter = ODataEq("lsoDeviceReference/machineId", NormalizeMachineID(machineID))
	}
	return listInto[OAuthClientApp](ctx, c, PathOAuthApps, q)
}
