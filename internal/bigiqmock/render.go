package bigiqmock

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"time"
)

// BIG-IQ writes links with itself as "localhost", whatever address the
// client used.
const selfHost = "https://localhost"

const (
	pathLogin        = "/mgmt/shared/authn/login"
	pathExchange     = "/mgmt/shared/authn/exchange"
	pathAuthTokens   = "/mgmt/shared/authz/tokens"
	pathAuthUsers    = "/mgmt/shared/authz/users"
	pathDevices      = "/mgmt/cm/system/machineid-resolver"
	pathDeviceGroups = "/mgmt/shared/resolver/device-groups"
	pathOAuthApps    = "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app"
	pathRevokeTasks  = "/mgmt/cm/access/tasks/revoke-tokens"

	// The device group every APM-discovered device belongs to; its member
	// links are the second form of device reference a task accepts.
	groupAllAccessDevices = "cm-access-allBigIpDevices"
)

const (
	kindDevice           = "shared:resolver:device-groups:restdeviceresolverdevicestate"
	kindDeviceCollection = "shared:resolver:device-groups:restdeviceresolverdevicecollectionstate"
	kindGroup            = "shared:resolver:device-groups:devicegroupstate"
	kindGroupCollection  = "shared:resolver:device-groups:devicegroupcollectionstate"
	kindApp              = "cm:access:working-config:apm:oauth:oauth-client-app:oauthclientappstate"
	kindAppCollection    = "cm:access:working-config:apm:oauth:oauth-client-app:oauthclientappcollectionstate"
	kindTask             = "cm:access:tasks:revoke-tokens:oauthrevoketokentaskitemstate"
	kindTaskCollection   = "cm:access:tasks:revoke-tokens:oauthrevoketokentaskcollectionstate"
	kindAuthToken        = "shared:authz:tokens:authtokenitemstate"
	kindError            = ":resterrorresponse"
)

// fixtureEpochMicros is when fixture objects last changed unless a fixture
// says otherwise (the how-to device's lastUpdateMicros), so rendered items are
// the same on every run.
const fixtureEpochMicros = 1479332833705505

// bigiqTimeLayout is how BIG-IQ writes task and token times,
// e.g. 2016-09-12T19:18:23.451-0700.
const bigiqTimeLayout = "2006-01-02T15:04:05.000-0700"

func deviceLink(uuid string) string { return selfHost + pathDevices + "/" + uuid }

// nameUUID derives a stable UUID-shaped id from a name, so generated ids do
// not change between runs.
func nameUUID(name string) string {
	h := sha1.Sum([]byte(name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

type link struct {
	Link string `json:"link"`
}

// deviceItem follows the field order of the machineid-resolver item in F5's
// revocation how-to.
type deviceItem struct {
	UUID                 string `json:"uuid"`
	DeviceURI            string `json:"deviceUri"`
	MachineID            string `json:"machineId"`
	State                string `json:"state"`
	Address              string `json:"address"`
	HTTPSPort            int    `json:"httpsPort"`
	Hostname             string `json:"hostname"`
	Version              string `json:"version"`
	Product              string `json:"product"`
	Edition              string `json:"edition"`
	Build                string `json:"build"`
	RestFrameworkVersion string `json:"restFrameworkVersion"`
	ManagementAddress    string `json:"managementAddress"`
	MCPDeviceName        string `json:"mcpDeviceName"`
	TrustDomainGUID      string `json:"trustDomainGuid"`
	Properties           any    `json:"properties"`
	IsClustered          bool   `json:"isClustered"`
	IsVirtual            bool   `json:"isVirtual"`
	IsLicenseExpired     bool   `json:"isLicenseExpired"`
	Slots                any    `json:"slots"`
	Generation           int64  `json:"generation"`
	LastUpdateMicros     int64  `json:"lastUpdateMicros"`
	Kind                 string `json:"kind"`
	SelfLink             string `json:"selfLink"`
}

// renderDevice lists a device in the given shape (DeviceShape52 when "").
func renderDevice(d *FixtureDevice, shape string) []byte {
	item := deviceItem{
		UUID:                 d.UUID,
		DeviceURI:            fmt.Sprintf("https://%s:%d", d.ManagementAddress, d.HTTPSPort),
		MachineID:            d.UUID,
		State:                d.State,
		Address:              d.Address,
		HTTPSPort:            d.HTTPSPort,
		Hostname:             d.Hostname,
		Version:              d.Version,
		Product:              d.Product,
		Edition:              d.Edition,
		Build:                d.Build,
		RestFrameworkVersion: d.RestFrameworkVersion,
		ManagementAddress:    d.ManagementAddress,
		MCPDeviceName:        d.MCPDeviceName,
		TrustDomainGUID:      d.TrustDomainGUID,
		IsClustered:          d.IsClustered,
		IsVirtual:            d.IsVirtual,
		Generation:           d.Generation,
		LastUpdateMicros:     lastUpdate(d.LastUpdateMicros),
		Kind:                 kindDevice,
		SelfLink:             deviceLink(d.UUID),
	}
	// Pinned values are used as they are; only their absence is filled in.
	item.Properties, item.Slots = d.Properties, d.Slots
	switch {
	case len(d.Properties) > 0:
	case shape == DeviceShape8:
		item.Properties = json.RawMessage(deviceProperties8(d))
	default:
		item.Properties = deviceProperties(d)
	}
	if len(d.Slots) == 0 {
		item.Slots = []map[string]any{{
			"volume": "HD1.1", "product": d.Product, "version": d.Version, "build": d.Build, "isActive": true,
		}}
	}
	return mustJSON(item)
}

func lastUpdate(micros int64) int64 {
	if micros == 0 {
		return fixtureEpochMicros
	}
	return micros
}

// deviceProperties builds the per-device-group properties BIG-IQ attaches to
// a resolver item, modeled on F5's how-to: "cm:gui:module" names BigIPDevice
// once trust is established and Access once APM is discovered, and the
// cm-access-allBigIpDevices block carries cluster and access group.
func deviceProperties(d *FixtureDevice) map[string]any {
	discovered := time.UnixMicro(lastUpdate(d.LastUpdateMicros)).UTC().Format("2006-01-02T15:04:05.000Z")
	discoverer := nameUUID("discoverer/" + d.UUID)
	guiModules := []string{}
	modules := []string{}
	props := map[string]any{}
	if d.AccessDiscovered {
		guiModules = append(guiModules, "Access")
		modules = append(modules, "All Access managed BIG-IP devices")
	}
	if d.TrustEstablished {
		guiModules = append(guiModules, "BigIPDevice")
		props["cm-bigip-allBigIpDevices"] = map[string]any{
			"shared:resolver:device-groups:discoverer": discoverer,
			"cm:gui:module": []string{"BigIPDevice"}, "modules": []string{},
		}
		props["cm-bigip-allDevices"] = map[string]any{
			"shared:resolver:device-groups:discoverer": discoverer,
			"cm:gui:module": []string{}, "modules": []string{},
		}
		if d.ClusterName != "" {
			props["cm-bigip-cluster_"+d.ClusterName] = map[string]any{
				"clusterName": d.ClusterName,
				"shared:resolver:device-groups:discoverer": discoverer,
				"cm:gui:module": []string{}, "modules": []string{},
			}
		}
	}
	props["cm:gui:module"] = guiModules
	props["modules"] = modules
	if !d.AccessDiscovered {
		return props
	}
	access := map[string]any{
		"discovered":                         true,
		"imported":                           d.AccessImported,
		"supportsRest":                       true,
		"lastDiscoveredDateTime":             discovered,
		"lastUserDiscoveredDateTime":         discovered,
		"cm:access:import-version":           d.Version,
		"cm:access:source-device":            d.FailoverState == failoverActive,
		"discoveryStatus":                    "FINISHED",
		"cm:gui:module":                      []string{"Access"},
		"modules":                            modules,
		"cm:access:access-group-device-link": selfHost + pathDeviceGroups + "/" + groupAllAccessDevices + "/devices/" + d.UUID,
	}
	if d.ClusterName != "" {
		access["clusterName"] = d.ClusterName
	}
	if d.AccessImported {
		access["importStatus"] = "FINISHED"
		access["importedDateTime"] = discovered
	}
	if d.AccessGroupName != "" {
		access["cm:access:access-group-name"] = d.AccessGroupName
		access["cm:access:access-group-link"] = selfHost + pathDeviceGroups + "/" + d.AccessGroupName
		props[d.AccessGroupName] = map[string]any{
			"discovered": true, "imported": d.AccessImported, "discoveryStatus": "FINISHED",
			"cm:access:all-bigip-device-link": selfHost + pathDeviceGroups + "/" + groupAllAccessDevices + "/devices/" + d.UUID,
			"cm:gui:module":                   []string{"Access"}, "modules": modules,
		}
	}
	props[groupAllAccessDevices] = access
	allDevices := map[string]any{"cm:gui:module": []string{"Access"}, "modules": modules}
	if d.ClusterName != "" {
		allDevices["clusterName"] = d.ClusterName
	}
	props["cm-access-allDevices"] = allDevices
	return props
}

type appItem struct {
	Name               string `json:"name"`
	AppName            string `json:"appName"`
	ClientID           string `json:"clientId"`
	Partition          string `json:"partition"`
	FullPath           string `json:"fullPath"`
	ID                 string `json:"id"`
	LSODeviceReference struct {
		Link      string `json:"link"`
		MachineID string `json:"machineId"`
	} `json:"lsoDeviceReference"`
	Generation       int64  `json:"generation"`
	LastUpdateMicros int64  `json:"lastUpdateMicros"`
	Kind             string `json:"kind"`
	SelfLink         string `json:"selfLink"`
}

func appID(deviceUUID, appName string) string {
	return nameUUID("oauth-client-app/" + deviceUUID + "/" + appName)
}

func renderApp(d *FixtureDevice, a FixtureClientApp) []byte {
	item := appItem{
		Name: a.Name, AppName: a.AppName, ClientID: a.ClientID,
		Partition: "Common", FullPath: "/Common/" + a.Name,
		ID:         appID(d.UUID, a.Name),
		Generation: 1, LastUpdateMicros: lastUpdate(d.LastUpdateMicros),
		Kind: kindApp,
	}
	item.LSODeviceReference.Link = deviceLink(d.UUID)
	item.LSODeviceReference.MachineID = d.UUID
	item.SelfLink = selfHost + pathOAuthApps + "/" + item.ID
	return mustJSON(item)
}

type groupItem struct {
	GroupName        string         `json:"groupName"`
	DisplayName      string         `json:"displayName"`
	Description      string         `json:"description"`
	DevicesReference link           `json:"devicesReference"`
	Properties       map[string]any `json:"properties"`
	Generation       int64          `json:"generation"`
	LastUpdateMicros int64          `json:"lastUpdateMicros"`
	Kind             string         `json:"kind"`
	SelfLink         string         `json:"selfLink"`
}

func renderGroup(name, displayName, description string, accessGroup bool) []byte {
	props := map[string]any{}
	if accessGroup {
		props["cm:access:access_group"] = true
	}
	self := selfHost + pathDeviceGroups + "/" + name
	return mustJSON(groupItem{
		GroupName: name, DisplayName: displayName, Description: description,
		DevicesReference: link{self + "/devices"},
		Properties:       props,
		Generation:       1, LastUpdateMicros: fixtureEpochMicros,
		Kind: kindGroup, SelfLink: self,
	})
}

// mustJSON is for values built by this package, which always encode.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("bigiqmock: " + err.Error())
	}
	return b
}
