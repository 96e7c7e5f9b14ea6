package bigiq

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// NormalizeAddress turns a BIG-IQ address given as "host", "host:port" or
// "https://host[:port]" into "https://host[:port]". BIG-IQ's REST API is
// only served over HTTPS, and every path is absolute from the root, so
// anything else (another scheme, a path, a query, credentials) is refused
// rather than guessed at.
func NormalizeAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", errors.New("the address is empty")
	}
	if !strings.Contains(addr, "://") {
		addr = "https://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
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
