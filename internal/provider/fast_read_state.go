package provider

import (
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The list data sources can return tens of thousands of objects. They
// build them as terraform values (tftypes) rather than framework values
// and set the state's raw value: State.Set converts every framework object
// to a terraform value, rebuilding the object's type map each time, which
// took more time and memory than fetching the list from BIG-IQ.

// tfString is s as a terraform string, null when empty, as optionalString.
func tfString(s string) tftypes.Value {
	if s == "" {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, s)
}

// stateWithList is the configuration with its computed attribute name set
// to the list of elements.
func stateWithList(config tfsdk.Config, name string, elementType tftypes.Object, elements []tftypes.Value) (tftypes.Value, error) {
	return stateWith(config, name, tftypes.NewValue(tftypes.List{ElementType: elementType}, elements))
}

// stateWith is the configuration with its computed attribute name set to
// value.
func stateWith(config tfsdk.Config, name string, value tftypes.Value) (tftypes.Value, error) {
	var configAttrs map[string]tftypes.Value
	if err := config.Raw.As(&configAttrs); err != nil {
		return tftypes.Value{}, fmt.Errorf("reading the configuration: %w", err)
	}
	// As hands out the configuration's own map: change a copy.
	attrs := maps.Clone(configAttrs)
	attrs[name] = value
	return tftypes.NewValue(config.Raw.Type(), attrs), nil
}
