package fhir

import (
	"encoding/json"
	"testing"
)

// requestCases are Bundle entry requests as exporters write them and as
// they should not: plainRequest must read each as json.Unmarshal does.
var requestCases = []string{
	`{"method":"POST","url":"Patient"}`,
	`{"method":"PUT","url":"Patient/85","ifNoneExist":"identifier=a|b"}`,
	`{ "method" : "POST" , "url" : "Observation" , "extra" : {"a":[1,2,{"b":"}"}]} }`,
	`{"method":"POST","method":"PUT","url":"x"}`,
	`{"Method":"DELETE","url":"Patient/1"}`,
	`{"METHOD":"POST","URL":"Patient"}`,
	`{"ifnoneexist":"x","method":"POST"}`,
	`{"ifNoneExiſt":"folded","method":"POST"}`,
	`{"met\u0068od":"POST","url":"a\"b\\c\u00e9"}`,
	`{"method":5,"url":"Patient"}`,
	`{"method":null,"url":"Patient"}`,
	`{"method":"POST","url":"\xff\xfe"}`,
	`{}`,
	`null`,
	`"POST"`,
	`[{"method":"POST"}]`,
}

func TestPlainRequestReadsAsJSONUnmarshal(t *testing.T) {
	for _, c := range requestCases {
		checkPlainRequest(t, []byte(c))
	}
}

func FuzzPlainRequest(f *testing.F) {
	for _, c := range requestCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if json.Valid(raw) { // the reader hands out only valid JSON
			checkPlainRequest(t, raw)
		}
	})
}

func checkPlainRequest(t *testing.T, raw []byte) {
	t.Helper()
	var want BundleRequest
	wantErr := json.Unmarshal(raw, &want)
	var got BundleRequest
	if !plainRequest(raw, &got) {
		return // json.Unmarshal decides, as before
	}
	if wantErr != nil || got != want {
		t.Errorf("%s: plainRequest read %+v, json.Unmarshal %+v (err %v)", raw, got, want, wantErr)
	}
}
