package bigiq

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// collection is one page of a BIG-IQ collection. The items are decoded
// straight into their type: holding each as json.RawMessage first copied and
// scanned every byte twice more, which on 10,000 devices cost a quarter of a
// second and a copy of every page.
type collection[T any] struct {
	Items      []T    `json:"items"`
	TotalItems int    `json:"totalItems"`
	NextLink   string `json:"nextLink"`
}

func parseCollection[T any](body []byte) (*collection[T], error) {
	var page collection[T]
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("the response is not a BIG-IQ collection: %w", err)
	}
	return &page, nil
}

// query is an OData query. BIG-IQ writes the option names with a literal
// "$" and values form-encoded, so the string is built by hand rather than
// with url.Values, which would escape the "$".
type query struct {
	filter string
	selec  []string
}

func (q query) encode(top, skip int) string {
	var parts []string
	if q.filter != "" {
		parts = append(parts, "$filter="+url.QueryEscape(q.filter))
	}
	if len(q.selec) > 0 {
		parts = append(parts, "$select="+url.QueryEscape(strings.Join(q.selec, ",")))
	}
	parts = append(parts, "$top="+strconv.Itoa(top), "$skip="+strconv.Itoa(skip))
	return strings.Join(parts, "&")
}

// list reads every page of the collection at path and hands each page's
// items to each, so a caller can convert a page and let it go before the
// next one arrives. It pages with $top/$skip and follows nextLink when
// BIG-IQ gives one; nextLink names BIG-IQ as "localhost", so only its path
// and query are used, and only when the path is the collection's own.
func list[T any](ctx context.Context, c *Client, path string, q query, each func([]T) error) error {
	rawQuery := q.encode(c.pageSize, 0)
	seen := map[string]bool{}
	for read := 0; ; {
		if seen[rawQuery] {
			return fmt.Errorf("GET %s: BIG-IQ's paging repeats itself at %q after %d items", path, rawQuery, read)
		}
		seen[rawQuery] = true
		body, err := c.do(ctx, request{method: http.MethodGet, path: path, query: rawQuery})
		if err != nil {
			return err
		}
		page, err := parseCollection[T](body)
		if err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		if err := each(page.Items); err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		read += len(page.Items)
		switch {
		case len(page.Items) == 0:
			return nil
		case page.NextLink != "":
			next, err := url.Parse(page.NextLink)
			if err != nil || strings.TrimSuffix(next.Path, "/") != path {
				return fmt.Errorf("GET %s: BIG-IQ's nextLink %q does not continue this collection", path, page.NextLink)
			}
			rawQuery = next.RawQuery
		case read < page.TotalItems:
			rawQuery = q.encode(c.pageSize, read)
		default:
			return nil
		}
	}
}

// listInto reads every item of a collection.
func listInto[T any](ctx context.Context, c *Client, path string, q query) ([]T, error) {
	var out []T
	err := list(ctx, c, path, q, func(items []T) error {
		out = append(out, items...)
		return nil
	})
	return out, err
}

// addressesPerRequest keeps an address filter, and so the URL, to a size
// every proxy accepts.
const addressesPerRequest = 50

// ListDevices lists the managed devices (the MachineId Resolver), all of
// them or those whose address is one of addresses.
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
	err := list(ctx, c, PathDevices, q, func(page []deviceJSON) error {
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

// ListOAuthClientApps lists the APM OAuth client apps, of one device when
// machineID is not empty.
func (c *Client) ListOAuthClientApps(ctx context.Context, machineID string) ([]OAuthClientApp, error) {
	q := query{selec: []string{"appName", "name", "clientId"}}
	if machineID != "" {
		q.filter = ODataEq("lsoDeviceReference/machineId", machineID)
	}
	return listInto[OAuthClientApp](ctx, c, PathOAuthApps, q)
}

// ListAccessGroups lists the Access groups.
func (c *Client) ListAccessGroups(ctx context.Context) ([]AccessGroup, error) {
	return listInto[AccessGroup](ctx, c, PathDeviceGroups, query{
		filter: ODataEq("properties/cm:access:access_group", "true"),
		selec:  []string{"groupName", "displayName"},
	})
}
