package bigiq

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// The managed devices (the MachineId Resolver) and the references by which
// a revocation task names them.

// PathDevices is the MachineId Resolver: the managed devices.
const PathDevices = "/mgmt/cm/system/machineid-resolver"

// DeviceLinkPrefix is how BIG-IQ writes a machineid-resolver device
// reference: it always names itself "localhost" in links.
const DeviceLinkPrefix = "https://localhost" + PathDevices + "/"

// Reference is BIG-IQ's link object, {"link": "https://localhost/..."}.
type Reference struct {
	Link string `json:"link"`
}

// Device is a managed BIG-IP as the machineid-resolver describes it,
// flattened to what the provider needs.
type Device struct {
	UUID              string
	MachineID         string
	Hostname          string
	Address           string
	ManagementAddress string
	DeviceURI         string
	HTTPSPort         int64
	State             string
	Product           string
	Version           string
	Build             string
	ClusterName       string
	AccessGroupName   string
	IsClustered       bool
	IsVirtual         bool
	TrustEstablished  bool
	AccessDiscovered  bool
	AccessImported    bool
	// SelfLink is the device reference a revocation task accepts.
	SelfLink string
}

// addressesPerRequest keeps an address filter, and so the URL, to a size
// every proxy accepts.
const addressesPerRequest = 50

// ListDevices lists the managed devices (the MachineId Resolver), all of
// them or those whose address is one of addresses.
//
// BIG-IQ API: GET /mgmt/cm/system/machineid-resolver
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v0.0/ApiReferences/bigiq_public_api_ref/r_machineid_resolver.html
func (c *Client) ListDevices(ctx context.Context, addresses []string) ([]Device, error) {
	if len(addresses) == 0 {
		return c.listDevices(ctx, query{})
	}
	var devices []Device
	seen := map[string]bool{}
	for chunk := range slices.Chunk(addresses, addressesPerRequest) {
		terms := make([]string, len(chunk))
		for i, addr := range chunk {
			terms[i] = ODataEq("address", addr)
		}
		found, err := c.listDevices(ctx, query{filter: "(" + strings.Join(terms, " or ") + ")"})
		if err != nil {
			return nil, err
		}
		for _, d := range found {
			if !seen[d.MachineID] {
				seen[d.MachineID] = true
				devices = append(devices, d)
			}
		}
	}
	return devices, nil
}

func (c *Client) listDevices(ctx context.Context, q query) ([]Device, error) {
	var devices []Device
	err := listPages(ctx, c, PathDevices, deviceQuery(q), parseDevicePage, func(page []deviceJSON) error {
		for i := range page {
			devices = append(devices, page[i].device())
		}
		return nil
	})
	return devices, err
}

// deviceJSON is the part of a machineid-resolver item the provider uses.
type deviceJSON struct {
	UUID              string `json:"uuid"`
	MachineID         string `json:"machineId"`
	DeviceURI         string `json:"deviceUri"`
	State             string `json:"state"`
	Address           string `json:"address"`
	HTTPSPort         int64  `json:"httpsPort"`
	Hostname          string `json:"hostname"`
	Version           string `json:"version"`
	Product           string `json:"product"`
	Build             string `json:"build"`
	ManagementAddress string `json:"managementAddress"`
	IsClustered       bool   `json:"isClustered"`
	IsVirtual         bool   `json:"isVirtual"`
	SelfLink          string `json:"selfLink"`
	Properties        struct {
		GUIModules []string `json:"cm:gui:module"`
		Access     struct {
			ClusterName     string `json:"clusterName"`
			AccessGroupName string `json:"cm:access:access-group-name"`
			Imported        bool   `json:"imported"`
		} `json:"cm-access-allBigIpDevices"`
	} `json:"properties"`
}

func (d *deviceJSON) device() Device {
	return Device{
		UUID:              d.UUID,
		MachineID:         d.MachineID,
		Hostname:          d.Hostname,
		Address:           d.Address,
		ManagementAddress: d.ManagementAddress,
		DeviceURI:         d.DeviceURI,
		HTTPSPort:         d.HTTPSPort,
		State:             d.State,
		Product:           d.Product,
		Version:           d.Version,
		Build:             d.Build,
		ClusterName:       d.Properties.Access.ClusterName,
		AccessGroupName:   d.Properties.Access.AccessGroupName,
		IsClustered:       d.IsClustered,
		IsVirtual:         d.IsVirtual,
		// BIG-IQ lists a device under "BigIPDevice" once trust is
		// established, and under "Access" once APM is discovered.
		TrustEstablished: slices.Contains(d.Properties.GUIModules, "BigIPDevice"),
		AccessDiscovered: slices.Contains(d.Properties.GUIModules, "Access"),
		AccessImported:   d.Properties.Access.Imported,
		SelfLink:         d.SelfLink,
	}
}

var machineIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// deviceGroupLinkPrefix is the other form in which BIG-IQ refers to a
// managed device: its membership of the all-Access-devices group.
const deviceGroupLinkPrefix = "https://localhost" + PathDeviceGroups + "/cm-access-allBigIpDevices/devices/"

// NormalizeDeviceReference returns the device reference link a revoke task
// accepts, given a bare machine id or one of the two link forms BIG-IQ
// itself writes. BIG-IQ's links always name the host "localhost"; a link to
// any other host or path is refused because BIG-IQ would not resolve it.
// The result is always the machineid-resolver link, the one form F5's
// revoke-tokens request shows (a device-groups link is BIG-IQ's answer, not
// a documented input), with the machine id in BIG-IQ's lower-case form
// (see NormalizeMachineID).
func NormalizeDeviceReference(ref string) (string, error) {
	if machineIDPattern.MatchString(ref) {
		return DeviceLinkPrefix + NormalizeMachineID(ref), nil
	}
	for _, prefix := range []string{DeviceLinkPrefix, deviceGroupLinkPrefix} {
		if id, ok := strings.CutPrefix(ref, prefix); ok {
			if !machineIDPattern.MatchString(id) {
				return "", fmt.Errorf("%q does not end in a machine id (a UUID such as 98901455-6384-47cd-bc41-00a39dfe338f)", ref)
			}
			return DeviceLinkPrefix + NormalizeMachineID(id), nil
		}
	}
	return "", fmt.Errorf("%q is neither a machine id (a UUID) nor a device link of the form %s<machine id>", ref, DeviceLinkPrefix)
}

// DeviceRef returns the reference a revoke task accepts for a device given
// by its machine id or by one of the link forms BIG-IQ writes.
func DeviceRef(ref string) (Reference, error) {
	link, err := NormalizeDeviceReference(ref)
	if err != nil {
		return Reference{}, err
	}
	return Reference{Link: link}, nil
}

// IsMachineID reports whether s is a bare machine id (a UUID), in either case.
func IsMachineID(s string) bool {
	return machineIDPattern.MatchString(s)
}

// NormalizeMachineID returns a machine id in the form BIG-IQ writes and
// matches it: lower case. BIG-IQ compares machine ids case-sensitively, so
// an upper-case id would match no device and the task would skip it in
// silence. A value that is not a machine id is returned unchanged.
func NormalizeMachineID(id string) string {
	if !machineIDPattern.MatchString(id) {
		return id
	}
	return strings.ToLower(id)
}

// MachineIDOf returns the machine id at the end of a device reference in any
// of the forms NormalizeDeviceReference accepts, in lower case, or "" if
// there is none.
func MachineIDOf(ref string) string {
	id := ref[strings.LastIndex(ref, "/")+1:]
	if !machineIDPattern.MatchString(id) {
		return ""
	}
	return NormalizeMachineID(id)
}

// SameDevice reports whether two device references name the same device.
func SameDevice(a, b string) bool {
	idA := MachineIDOf(a)
	return idA != "" && idA == MachineIDOf(b)
}

// SameDevices reports whether two lists of device references name the same
// devices, whatever form each reference is written in.
func SameDevices(a, b []string) bool {
	ids := func(refs []string) []string {
		out := make([]string, 0, len(refs))
		for _, ref := range refs {
			out = append(out, MachineIDOf(ref))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(ids(a), ids(b))
}

func links(refs []Reference) []string {
	out := make([]string, 0, len(refs))
	for _, ref := range refs {
		out = append(out, ref.Link)
	}
	return out
}

// deviceFields are the top-level fields of a machineid-resolver item the
// provider reads, sent as $select. BIG-IQ's $select names top-level fields
// only: "properties/cm:gui:module" would select nothing, so "properties"
// comes whole, with every service's block. On a BIG-IQ 7/8 item nearly
// all the bytes are properties, and $select drops about 2% of a page
// (slots, kind, generation and the like); parseDevicePage steps over the rest.
var deviceFields = []string{
	"uuid", "machineId", "deviceUri", "state", "address", "httpsPort", "hostname", "version",
	"product", "build", "managementAddress", "isClustered", "isVirtual", "selfLink", "properties",
}

func deviceQuery(q query) query {
	q.selec = deviceFields
	return q
}

// parseDevicePage reads a page of the machineid-resolver into the fields of
// deviceJSON, with the scanner: a BIG-IQ 7/8 item is 20 to 30 KB, nearly
// all of it properties the provider skips. Keys match exactly, as BIG-IQ
// writes them (encoding/json would also take "UUID" for "uuid").
func parseDevicePage(r io.Reader) (*collection[deviceJSON], error) {
	s := newScanner(r)
	var page collection[deviceJSON]
	err := s.object(func(key []byte) (err error) {
		switch string(key) {
		case "items":
			// A repeated key counts once, its last value, as encoding/json
			// reads it.
			page.Items = page.Items[:0]
			return s.array(func() error {
				page.Items = append(page.Items, deviceJSON{})
				return s.device(&page.Items[len(page.Items)-1])
			})
		case "totalItems":
			n, err := s.integer()
			page.TotalItems = int(n)
			return err
		case "nextLink":
			page.NextLink, err = s.str()
			return err
		}
		return s.skip()
	})
	if err == nil {
		err = s.end()
	}
	if s.err != nil {
		// The answer broke off: a transport error, not BIG-IQ's document.
		return nil, s.err
	}
	if err != nil {
		return nil, notACollection(err)
	}
	return &page, nil
}

func (s *scanner) device(d *deviceJSON) error {
	return s.object(func(key []byte) (err error) {
		var dst *string
		switch string(key) {
		case "uuid":
			dst = &d.UUID
		case "machineId":
			dst = &d.MachineID
		case "deviceUri":
			dst = &d.DeviceURI
		case "state":
			dst = &d.State
		case "address":
			dst = &d.Address
		case "hostname":
			dst = &d.Hostname
		case "version":
			dst = &d.Version
		case "product":
			dst = &d.Product
		case "build":
			dst = &d.Build
		case "managementAddress":
			dst = &d.ManagementAddress
		case "selfLink":
			dst = &d.SelfLink
		case "httpsPort":
			d.HTTPSPort, err = s.integer()
			return err
		case "isClustered":
			d.IsClustered, err = s.boolean()
			return err
		case "isVirtual":
			d.IsVirtual, err = s.boolean()
			return err
		case "properties":
			return s.object(func(key []byte) (err error) {
				switch string(key) {
				case "cm:gui:module":
					d.Properties.GUIModules, err = s.strings()
					return err
				case "cm-access-allBigIpDevices":
					return s.accessBlock(d)
				}
				return s.skip()
			})
		default:
			return s.skip()
		}
		*dst, err = s.str()
		return err
	})
}

func (s *scanner) accessBlock(d *deviceJSON) error {
	a := &d.Properties.Access
	return s.object(func(key []byte) (err error) {
		switch string(key) {
		case "clusterName":
			a.ClusterName, err = s.str()
		case "cm:access:access-group-name":
			a.AccessGroupName, err = s.str()
		case "imported":
			a.Imported, err = s.boolean()
		default:
			err = s.skip()
		}
		return err
	})
}
