package bigiq

import "testing"

func TestNormalizeHexID(t *testing.T) {
	for in, want := range map[string]string{
		"e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457": "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457",
		"E3F3E7204D00D88AD92CBB970DD5005056B093ADFA6D7457": "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457",
		"Da6d57fF": "da6d57ff",
	} {
		if got, err := NormalizeHexID(in); err != nil || got != want {
			t.Errorf("NormalizeHexID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "da6d57ff ", " da6d57ff", "da6d-57ff", "da6d57ff\u200b", "ｄａ６"} {
		if got, err := NormalizeHexID(in); err == nil {
			t.Errorf("NormalizeHexID(%q) = %q, want an error", in, got)
		}
	}
}
