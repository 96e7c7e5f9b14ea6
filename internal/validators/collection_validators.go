package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	_ validator.List = noNullElements{}
	_ validator.Set  = noNullElements{}
)

// noNullElements rejects a list or set with a null element. The framework
// accepts one at validate and then fails at apply, when the collection is
// read into Go strings, with an error that blames the provider.
type noNullElements struct{}

// NoNullElements rejects a null element in a list or set, naming the
// attribute.
func NoNullElements() noNullElements { return noNullElements{} }

func (noNullElements) Description(context.Context) string {
	return "every element must be set (no null)"
}

func (v noNullElements) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (noNullElements) check(p path.Path, elements []attr.Value, add func(path.Path, string, string)) {
	for i, e := range elements {
		if e.IsNull() {
			add(p, "Null element",
				fmt.Sprintf("%s has a null element (element %d). Remove it, or give it a value; a null there is "+
					"usually a variable or attribute that is not set.", p, i))
		}
	}
}

func (v noNullElements) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, req.ConfigValue.Elements(), resp.Diagnostics.AddAttributeError)
}

func (v noNullElements) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, req.ConfigValue.Elements(), resp.Diagnostics.AddAttributeError)
}
