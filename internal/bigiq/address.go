package bigiq

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// NormalizeAddress turns a BIG-IQ address given as "host", "host:port" or
// "https://host[:port]" into "https://host[:port]". A bare IPv6 address
// ("::1") is bracketed; with a port it must be written "[::1]:443". BIG-IQ's REST API is
// only served over HTTPS, and every path is absolute from the root, so
// anything else (another scheme, a path, a query, credentials) is refused
// rather than guessed at.
func NormalizeAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", errors.New("the address is empty")
	}
	if !strings.Contains(addr, "://") {
		// A bare IPv6 address ("::1") would read as a host and port.
		// With a port it must already be in brackets: "::1:8443" is
		// itself an IPv6 address.
		if ip, err := netip.ParseAddr(addr); err == nil && ip.Is6() && ip.Zone() == "" {
			addr = "[" + addr + "]"
		}
		addr = "https://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		if host, _, _ := strings.Cut(strings.SplitN(addr, "://", 2)[1], "/"); strings.Count(host, ":") > 1 && !strings.HasPrefix(host, "[") {
			return "", fmt.Errorf("%q is not a valid URL or host name: write an IPv6 address in brackets, for example [::1] or [::1]:443", addr)
		}
		return "", fmt.Errorf("%q is not a valid URL or host name: %w", addr, err)
	}
	switch {
	case u.Scheme != "https":
		return "", fmt.Errorf("scheme %q is not supported: BIG-IQ is reached over https", u.Scheme)
	case u.User != nil:
		return "", errors.New("the address must not carry credentials; use username and password")
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("%q has no host", addr)
	case u.Path != "" && u.Path != "/":
		return "", fmt.Errorf("the address must not have a path (got %q): give only the host and port", u.Path)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", errors.New("the address must not have a query or fragment")
	}
	return "https://" + u.Host, nil
}
