// Package validators holds the attribute validators the BIG-IQ provider
// shares between its provider, resource and data source schemas. Where a
// rule is about BIG-IQ's wire format (addresses, device references,
// certificates) the check is the client's own, so configuration is rejected
// at plan time for exactly the reasons the client would reject it later.
package validators

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

var (
	_ validator.String = stringCheck{}
)

// stringCheck is a validator.String built from a description and a check
// that returns a user-readable reason when the value is not acceptable.
// Null and unknown values are left alone: whether a value is required is the
// schema's business, and unknown values are checked once they are known.
type stringCheck struct {
	summary     string
	description string
	markdown    string
	check       func(string) error
}

func (v stringCheck) Description(_ context.Context) string {
	return v.description
}

func (v stringCheck) MarkdownDescription(_ context.Context) string {
	return v.markdown
}

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary,
			fmt.Sprintf("%s\n\nSet %s to %s.", err, req.Path, v.description))
	}
}

// NotBlank rejects empty strings and strings made only of whitespace, which
// BIG-IQ would otherwise accept as a name that matches nothing.
func NotBlank() validator.String {
	return stringCheck{
		summary:     "Blank value",
		description: "a non-empty string that is not only whitespace",
		markdown:    "a non-empty string that is not only whitespace",
		check: func(s string) error {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("the value is empty or only whitespace")
			}
			return nil
		},
	}
}

// ExactName rejects a name that cannot be the one BIG-IQ holds, though it
// looks like it: a control or format character anywhere (a zero-width
// space, a byte-order mark, a tab, a right-to-left mark) or Unicode space
// at either end. BIG-IQ compares user names, client ids, cluster and
// Access group names exactly, so such a name matches nothing, and a
// revocation by it would report nothing to revoke. The message shows the
// character as an escape and where it is, never the value: a user name is
// personal data.
func ExactName() validator.String {
	return stringCheck{
		summary: "Invisible or surrounding characters in a name",
		description: "the name exactly as BIG-IQ shows it, without control or format characters (such as a " +
			"zero-width space) and without leading or trailing space",
		markdown: "the name exactly as BIG-IQ shows it, without control or format characters (such as a " +
			"zero-width space) and without leading or trailing space",
		check: CheckExactName,
	}
}

// CheckExactName is ExactName's check: nil, or an error naming the first
// character that makes s look like a name it is not. A value that is empty
// or only whitespace is NotBlank's to refuse, so it gets one error, not two.
func CheckExactName(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("the value is not valid UTF-8")
	}
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case unicode.IsControl(r):
			return fmt.Errorf("the value holds the control character %s at character %d of %d; BIG-IQ compares names "+
				"exactly, so it would match nothing", escapedRune(r), i+1, len(runes))
		case r == utf8.RuneError:
			return fmt.Errorf("the value holds the replacement character %s at character %d of %d, left where "+
				"text lost a character in decoding; BIG-IQ compares names exactly, so it would match nothing",
				escapedRune(r), i+1, len(runes))
		case unicode.Is(unicode.Cf, r):
			return fmt.Errorf("the value holds the invisible format character %s at character %d of %d; BIG-IQ "+
				"compares names exactly, so it would match nothing", escapedRune(r), i+1, len(runes))
		case (i == 0 || i == len(runes)-1) && (unicode.IsSpace(r) || unicode.Is(unicode.Zs, r)):
			where := "begins"
			if i > 0 {
				where = "ends"
			}
			return fmt.Errorf("the value %s with the space character %s; BIG-IQ compares names exactly, so it "+
				"would match nothing", where, escapedRune(r))
		}
	}
	return nil
}

// escapedRune writes a character quoted, as an escape unless it is
// printable ASCII, with its code point: '\u200b' (U+200B) shows what the
// terminal would not.
func escapedRune(r rune) string {
	return fmt.Sprintf("%s (%U)", strconv.QuoteRuneToASCII(r), r)
}

// HTTPSAddress accepts a BIG-IQ address as a host, host:port or
// https://host[:port] URL.
func HTTPSAddress() validator.String {
	return stringCheck{
		summary:     "Invalid BIG-IQ address",
		description: `a host name or IP address, optionally with ":port", or an "https://host[:port]" URL without path, query or credentials`,
		markdown:    "a host name or IP address, optionally with `:port`, or an `https://host[:port]` URL without path, query or credentials",
		check: func(s string) error {
			_, err := bigiq.NormalizeAddress(s)
			return err
		},
	}
}

// DeviceReference accepts what a revocation task can target: a bare machine
// id or one of the two BIG-IQ device links.
func DeviceReference() validator.String {
	return stringCheck{
		summary: "Invalid device reference",
		description: "a machine id (UUID) or a BIG-IQ device reference link such as " +
			`"https://localhost/mgmt/cm/system/machineid-resolver/<machine id>"`,
		markdown: "a machine id (UUID) or a BIG-IQ device reference link such as " +
			"`https://localhost/mgmt/cm/system/machineid-resolver/<machine id>` (the `self_link` of a `bigiq_devices` entry)",
		check: func(s string) error {
			_, err := bigiq.NormalizeDeviceReference(s)
			return err
		},
	}
}

// HexID accepts an OAuth id or client id: a hex string, in either case (the
// provider sends it in BIG-IQ's lower case; see bigiq.NormalizeHexID).
func HexID() validator.String {
	return stringCheck{
		summary:     "Invalid OAuth id or client id",
		description: "a hexadecimal id such as \"e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457\"",
		markdown:    "a hexadecimal id such as `e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457`",
		check: func(s string) error {
			_, err := bigiq.NormalizeHexID(s)
			return err
		},
	}
}

// PEMCertificate accepts PEM text holding at least one parseable
// certificate.
func PEMCertificate() validator.String {
	return stringCheck{
		summary:     "Invalid CA certificate",
		description: "PEM-encoded text holding at least one X.509 certificate",
		markdown:    "PEM-encoded text holding at least one X.509 certificate (`-----BEGIN CERTIFICATE-----` ...)",
		check:       bigiq.ValidateCACertificate,
	}
}

// PositiveDuration accepts a Go duration string greater than zero, such as
// "30s" or "2m".
func PositiveDuration() validator.String {
	return stringCheck{
		summary:     "Invalid duration",
		description: `a positive duration such as "30s", "2m" or "1m30s"`,
		markdown:    "a positive duration such as `30s`, `2m` or `1m30s`",
		check: func(s string) error {
			d, err := ParseDuration(s)
			if err != nil {
				return err
			}
			if d <= 0 {
				return fmt.Errorf("the duration %q is not positive", s)
			}
			return nil
		},
	}
}

// ParseDuration parses a duration string with an error message that suits a
// diagnostic. The provider uses it to read the value PositiveDuration
// accepted.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (use a number with a unit: ms, s, m or h)", s)
	}
	return d, nil
}

// MachineID accepts a bare BIG-IQ machine id (a UUID), as the OAuth client
// app filter needs it.
func MachineID() validator.String {
	return stringCheck{
		summary:     "Invalid machine id",
		description: `a BIG-IQ machine id, a UUID such as "98901455-6384-47cd-bc41-00a39dfe338f"`,
		markdown:    "a BIG-IQ machine id, a UUID such as `98901455-6384-47cd-bc41-00a39dfe338f` (`machine_id` in `bigiq_devices`)",
		check: func(s string) error {
			if !bigiq.IsMachineID(s) {
				return fmt.Errorf("%q is not a machine id", s)
			}
			return nil
		},
	}
}
