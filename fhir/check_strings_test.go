package fhir

import (
	"slices"
	"strings"
	"testing"
)

// The string rules see each string's value, escaped or not, in an object
// or an array: control characters (escaped, as JSON requires, or raw),
// references, dates and an attachment's data.
func TestCheckStringRules(t *testing.T) {
	cases := []struct {
		name, json string
		warn, fail string // a rule's message must hold these ("" for none)
		refs       []string
	}{
		{"escaped control", `{"resourceType":"Basic","id":"a","code":{"text":"bell\u0007"}}`, "control characters", "", nil},
		{"control in an array", `{"resourceType":"Basic","id":"a","code":{"coding":[{"code":"x"}],"x":["a","b\u0001"]}}`, "control characters", "", nil},
		{"raw control", "{\"resourceType\":\"Basic\",\"id\":\"a\",\"code\":{\"text\":\"bell\x07\"}}", "control characters", "", nil},
		{"tab and newline are not", `{"resourceType":"Basic","id":"a","code":{"text":"a\tb\nc"}}`, "", "", nil},
		{"references", `{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p"},"performer":[{"reference":"urn:uuid:a\u002db"}]}`, "", "", []string{"Patient/p", "urn:uuid:a-b"}},
		{"a bad date", `{"resourceType":"Patient","id":"p","birthDate":"not a date"}`, "", `"not a date" is not a FHIR date`, nil},
		{"a bad escaped dateTime", `{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"effectiveDateTime":"2020\u002d13-45"}`, "", "is not a FHIR dateTime", nil},
		{"a period backwards", `{"resourceType":"Encounter","id":"e","status":"finished","class":{"code":"AMB"},"period":{"start":"2020-02-01","end":"2020-01-01"}}`, "start", "", nil},
		{"bad base64", `{"resourceType":"DocumentReference","id":"d","status":"current","content":[{"attachment":{"contentType":"text/plain","data":"!!!"}}]}`, "", "base64", nil},
	}
	for _, c := range cases {
		got := Check(Resource{Type: strings.Split(strings.Split(c.json, `"resourceType":"`)[1], `"`)[0], Raw: []byte(c.json)})
		var warns, fails []string
		for _, p := range got.Problems {
			if p.Severity == SeverityError {
				fails = append(fails, p.Message)
			} else {
				warns = append(warns, p.Message)
			}
		}
		if !holds(warns, c.warn) || !holds(fails, c.fail) || !slices.Equal(got.Refs, c.refs) {
			t.Errorf("%s: warnings %q, failures %q, refs %q; want %q, %q, %q", c.name, warns, fails, got.Refs, c.warn, c.fail, c.refs)
		}
	}
}

// holds: no message when want is "", else one message containing want.
func holds(msgs []string, want string) bool {
	if want == "" {
		return len(msgs) == 0
	}
	return slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, want) })
}
