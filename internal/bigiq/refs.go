package bigiq

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"regexp"
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

var machineIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// deviceGroupLinkPrefix is the other form in which BIG-IQ refers to a
// managed device: its membership of the all-Access-devices group.
const deviceGroupLinkPrefix = "https://localhost" + PathDeviceGroups + "/cm-access-allBigIpDevices/devices/"

// NormalizeDeviceReference returns the device reference link a revoke task
// accepts, given a bare machine id or one of the two link forms BIG-IQ
// itself writes. BIG-IQ's links always name the host "localhost"; a link to
// any other host or path is refused because BIG-IQ would not resolve it.
func NormalizeDeviceReference(ref string) (string, error) {
	if machineIDPattern.MatchString(ref) {
		return DeviceLinkPrefix + ref, nil
	}
	for _, prefix := range []string{DeviceLinkPrefix, deviceGroupLinkPrefix} {
		if id, ok := strings.CutPrefix(ref, prefix); ok {
			if !machineIDPattern.MatchString(id) {
				return "", fmt.Errorf("%q does not end in a machine id (a UUID such as 98901455-6384-47cd-bc41-00a39dfe338f)", ref)
			}
			return ref, nil
		}
	}
	return "", fmt.Errorf("%q is neither a machine id (a UUID) nor a device link of the form %s<machine id>", ref, DeviceLinkPrefix)
}

// MachineIDOf returns the machine id at the end of a device reference in any
// of the forms NormalizeDeviceReference accepts, or "" if there is none.
func MachineIDOf(ref string) string {
	id := ref[strings.LastIndex(ref, "/")+1:]
	if !machineIDPattern.MatchString(id) {
		return ""
	}
	return id
}

// SameDevice reports whether two device references name the same device.
func SameDevice(a, b string) bool {
	idA := MachineIDOf(a)
	return idA != "" && strings.EqualFold(idA, MachineIDOf(b))
}

// ValidateCACertificate checks that pemData holds at least one PEM-encoded
// X.509 certificate and nothing that fails to parse as one.
func ValidateCACertificate(pemData string) error {
	_, err := parseCertificates(pemData)
	return err
}

func parseCertificates(pemData string) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := []byte(pemData)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("found a PEM block of type %q; only CERTIFICATE blocks belong in a CA bundle", block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d does not parse: %w", len(certs)+1, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate found: expected text beginning with -----BEGIN CERTIFICATE-----")
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, errors.New("unexpected text after the last PEM certificate")
	}
	return certs, nil
}

// ODataString quotes a value as an OData string literal. A quote inside the
// value is doubled, so no value can end the literal early and change the
// shape of the filter it is placed in.
func ODataString(v string) string {
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// ODataEq builds the filter term 'field' eq 'value' in BIG-IQ's style.
func ODataEq(field, value string) string {
	return ODataString(field) + " eq " + ODataString(value)
}
