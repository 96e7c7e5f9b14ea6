package bigiq

import "testing"

func TestODataString(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"10.1.1.1":                 "'10.1.1.1'",
		"O'Brien":                  "'O''Brien'",
		"x' or 'a' eq 'a":          "'x'' or ''a'' eq ''a'",
		"''":                       "''''''",
		"":                         "''",
		"a eq 'b') or (1 eq 1":     "'a eq ''b'') or (1 eq 1'",
		"lsoDeviceReference/machi": "'lsoDeviceReference/machi'",
	}
	for in, want := range cases {
		if got := ODataString(in); got != want {
			t.Errorf("ODataString(%q) = %s; want %s", in, got, want)
		}
	}
	if got := ODataEq("address", "10.255.4.124"); got != "'address' eq '10.255.4.124'" {
		t.Errorf("ODataEq = %s", got)
	}
}
