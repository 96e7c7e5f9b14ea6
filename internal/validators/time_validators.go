package validators

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// RFC3339 accepts a time in RFC 3339, such as 2026-11-20T10:00:00Z, the
// form Terraform's timestamp() returns.
func RFC3339() validator.String {
	return stringCheck{
		summary:     "Invalid time",
		description: "a time in RFC 3339 form, such as 2026-11-20T10:00:00Z",
		markdown:    "a time in RFC 3339 form, such as `2026-11-20T10:00:00Z`",
		check: func(s string) error {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				return fmt.Errorf("%q is not an RFC 3339 time", s)
			}
			return nil
		},
	}
}
