package bigiq

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
)

// The parsers read whatever arrives from the network: BIG-IQ, a proxy, or a
// truncated stream. They must return an error, never panic.

func FuzzParseTask(f *testing.F) {
	for _, seed := range []string{
		`{"id":"5b688828","status":"STARTED","currentStep":"RESOLVE_DEVICES"}`,
		`{"id":"x","status":"FAILED","failureDetails":[{"deviceReference":{"link":"l"},"failedIds":[{"errorCode":400,"id":"i"}]}]}`,
		`{"id":"x","perDeviceOauthIds":[{"oauthIds":[{"id":"a"}],"deviceReference":{"link":"l"}}]}`,
		// BIG-IQ's variations (bigiqmock.Quirks): both spellings of a cancel,
		// CREATED before STARTED, the client id in dbInstance, and the
		// device-groups link form.
		`{"id":"x","status":"CANCELED"}`, `{"id":"x","status":"CANCELLED","result":"FAILED"}`,
		`{"id":"x","status":"CREATED","currentStep":"CREATED"}`,
		`{"id":"x","status":"FINISHED","result":"FAILED"}`,
		`{"id":"x","status":"FAILED","resultDetails":[{"deviceReference":{"link":"https://localhost/mgmt/cm/system/machineid-resolver/901695c8-f405-489f-9996-54f7b21da642"},"failedIds":[{"errorCode":400,"id":"i","dbInstance":"e3f3e720","clientId":""}]}]}`,
		`{"id":"x","status":"FAILED","failureDetails":[{"deviceReference":{"link":"https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/901695c8-f405-489f-9996-54f7b21da642"},"failedIds":[{"id":"i","dbInstance":"/Common/oauthdb"}]}]}`,
		`{"id":"x","failureDetails":[{"deviceReference":{"link":"https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/not-a-uuid"}}]}`,
		// BIG-IQ's "Tokens not found" message, its accepted forms, and
		// messages that only begin like it.
		`{"id":"x","status":"FAILED","result":"FAILED","errorMessage":"Tokens not found in index. Possibly already revoked tokens."}`,
		`{"id":"x","status":"FAILED","result":"FAILED","errorMessage":"Tokens not found in index. Possibly already revoked tokens"}`,
		`{"id":"x","status":"FAILED","result":"FAILED","errorMessage":" Tokens not found in index. Possibly already revoked tokens.\n"}`,
		`{"id":"x","status":"FAILED","result":"FAILED","errorMessage":"Tokens not found in index. Possibly already revoked tokens. Revocation on 10.255.4.124 timed out."}`,
		`{"id":"x","status":"FAILED","result":"FAILED","errorMessage":"Tokens not found in index"}`,
		// The list action's form of the same answer (F5's sample): resultDetails, the
		// client id in dbInstance, the device in the device-groups form.
		`{"id":"x","action":"REVOKE_LIST_OF_TOKENS","status":"FAILED","result":"FAILED","errorMessage":"Tokens not found in index. Possibly already revoked tokens.","resultDetails":[{"failedIds":[{"id":"21548559","dbInstance":"e3f3e720","clientId":""}],"deviceReference":{"link":"https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/901695c8-f405-489f-9996-54f7b21da642"}}]}`,
		`{"id":"x","status":"FINISHED","result":"COMPLETE","currentStep":"DONE","errorMessage":"Revocation failed on 1 of 2 devices"}`,
		`{"id":"x","status":`, `<html>502</html>`, `null`, `[]`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		task, err := parseTask(body)
		if err == nil {
			if task.ID == "" {
				t.Fatal("accepted a task without an id")
			}
			for _, d := range task.failures() {
				if id, ok := strings.CutPrefix(d.DeviceReference.Link, deviceGroupLinkPrefix); ok && machineIDPattern.MatchString(id) {
					t.Fatalf("a device-groups link was left as it came: %q", d.DeviceReference.Link)
				}
			}
			if task.nothingLeftToRevoke() {
				if msg := strings.TrimSuffix(strings.TrimSpace(task.ErrorMessage), "."); msg != strings.TrimSuffix(MessageTokensNotFound, ".") {
					t.Fatalf("nothing left to revoke on the message %q", task.ErrorMessage)
				}
			}
			if task.succeeded() && !task.terminal() {
				t.Fatal("succeeded but not terminal")
			}
			_ = (&TaskError{Task: task}).Error()
		}
	})
}

func FuzzParseCollection(f *testing.F) {
	for _, seed := range []string{
		`{"items":[{"uuid":"a"}],"totalItems":3,"nextLink":"https://localhost/mgmt/x?$skip=1"}`,
		`{"items":null}`, `{"items":[1,2,"x"]}`, `{"items":[{"properties":{"a":[[{"b":"\\\""}]]}}]}`, `{"totalItems":"many"}`, `<html>`, `{"items":[`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, parse := range []func(io.Reader) (*collection[deviceJSON], error){parseCollection[deviceJSON], parseDevicePage} {
			page, err := parse(bytes.NewReader(body))
			if err != nil {
				continue
			}
			for _, d := range page.Items {
				_ = d.device()
			}
		}
		// The scanner reads the same page however the bytes arrive.
		whole, errWhole := parseDevicePage(bytes.NewReader(body))
		trickled, errTrickled := parseDevicePage(trickle(body))
		if (errWhole == nil) != (errTrickled == nil) || !reflect.DeepEqual(whole, trickled) {
			t.Errorf("whole: %+v, %v; a byte at a time: %+v, %v", whole, errWhole, trickled, errTrickled)
		}
	})
}

func FuzzParseAPIError(f *testing.F) {
	f.Add(400, []byte(notFoundBody))
	f.Add(502, []byte("<html><body>Bad Gateway</body></html>"))
	f.Add(500, []byte(`{"message":`))
	f.Add(401, []byte(strings.Repeat("{", 10000)))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		err := parseAPIError("GET", "/p", status, body)
		if len(err.Message) > maxMessageLen+len("…") {
			t.Fatalf("message of %d bytes", len(err.Message))
		}
		_ = err.Error()
	})
}

func FuzzNormalizeDeviceReference(f *testing.F) {
	for _, seed := range []string{
		"98901455-6384-47cd-bc41-00a39dfe338f",
		DeviceLinkPrefix + "98901455-6384-47cd-bc41-00a39dfe338f",
		"https://evil/mgmt/cm/system/machineid-resolver/98901455-6384-47cd-bc41-00a39dfe338f",
		"", "/", "../..",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		link, err := NormalizeDeviceReference(ref)
		if err != nil {
			return
		}
		if !strings.HasPrefix(link, "https://localhost/mgmt/") || MachineIDOf(link) == "" {
			t.Fatalf("accepted %q as %q", ref, link)
		}
		if again, err := NormalizeDeviceReference(link); err != nil || again != link {
			t.Fatalf("normalizing %q is not stable: %q, %v", link, again, err)
		}
	})
}

// FuzzODataString checks that a quoted value always stays one literal: after
// the opening quote, quotes come only in doubled pairs until the closing one.
func FuzzODataString(f *testing.F) {
	for _, seed := range []string{"10.1.1.1", "O'Brien", "x' or 'a' eq 'a", "'", "''", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		q := ODataString(v)
		if len(q) < 2 || q[0] != '\'' || q[len(q)-1] != '\'' {
			t.Fatalf("%q is not quoted", q)
		}
		inner := q[1 : len(q)-1]
		if strings.ReplaceAll(inner, "''", "") != strings.ReplaceAll(v, "'", "") {
			t.Fatalf("%q leaves a lone quote inside %q", v, q)
		}
		if strings.ReplaceAll(inner, "''", "'") != v {
			t.Fatalf("%q does not decode back to %q", q, v)
		}
	})
}
