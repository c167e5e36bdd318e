package wire

import (
	"bytes"
	"compress/gzip"
	"errors"
	"outpost/sync/clock"
	"strings"
	"testing"

	"outpost/chart"
)

func validChange() Change {
	return Change{
		ChangeID:  "0190f1a0-0000-7000-8000-000000000001",
		RecordID:  "0190f1a0-0000-7000-8000-000000000002",
		Kind:      "note",
		PatientID: "0190f1a0-0000-7000-8000-000000000003",
		Version:   1,
		Parents:   []chart.ChangeID{},
		HLC:       clock.Timestamp{Wall: 1732350000000, Logical: 3}.String(),
		DeviceID:  "0190f1a0-0000-7000-8000-000000000004",
		UserID:    "0190f1a0-0000-7000-8000-000000000005",
		Sealed:    []byte{1, 2, 3},
	}
}

func gz(t testing.TB, raw string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(raw))
	zw.Close()
	return b.Bytes()
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	in := PushRequest{Changes: []Change{validChange(), validChange()}}
	in.Changes[1].PatientID = "" // practice-wide
	in.Changes[1].Parents = []chart.ChangeID{in.Changes[0].ChangeID}
	var buf bytes.Buffer
	if err := Encode(&buf, &in); err != nil {
		t.Fatal(err)
	}
	var out PushRequest
	if err := Decode(&buf, &out, DefaultLimits); err != nil {
		t.Fatal(err)
	}
	if len(out.Changes) != 2 || out.Changes[1].Parents[0] != in.Changes[0].ChangeID ||
		!bytes.Equal(out.Changes[0].Sealed, in.Changes[0].Sealed) || out.Changes[0].HLC != in.Changes[0].HLC {
		t.Fatalf("round trip changed the message: %+v", out)
	}
}

func TestDecodeRefusesMalformedBodies(t *testing.T) {
	good := `{"changes":[{"changeId":"0190f1a0-0000-7000-8000-000000000001","recordId":"0190f1a0-0000-7000-8000-000000000002","kind":"note","patientId":"","version":1,"parents":[],"hlc":"001732350000000-0000000003","deviceId":"0190f1a0-0000-7000-8000-000000000004","userId":"0190f1a0-0000-7000-8000-000000000005","sealed":"AQID"}]}`
	var ok PushRequest
	if err := Decode(bytes.NewReader(gz(t, good)), &ok, DefaultLimits); err != nil {
		t.Fatalf("the baseline body must decode: %v", err)
	}
	full := gz(t, good)
	cases := map[string][]byte{
		"not gzip":            []byte(good),
		"empty":               nil,
		"truncated gzip":      full[:len(full)-6],
		"corrupt crc":         append(append([]byte{}, full[:len(full)-8]...), 0, 0, 0, 0, 0, 0, 0, 0),
		"trailing after gzip": append(append([]byte{}, full...), 'x'),
		"two gzip members":    append(append([]byte{}, full...), full...),
		"trailing json":       gz(t, good+`{}`),
		"unknown field":       gz(t, strings.Replace(good, `"kind"`, `"extra":1,"kind"`, 1)),
		"null":                gz(t, `null`),
		"no changes":          gz(t, `{"changes":[]}`),
		"bad uuid":            gz(t, strings.Replace(good, "0190f1a0-0000-7000-8000-000000000002", "not-a-uuid", 1)),
		"uppercase uuid":      gz(t, strings.Replace(good, "0190f1a0-0000-7000-8000-000000000002", "0190F1A0-0000-7000-8000-000000000002", 1)),
		"version 0":           gz(t, strings.Replace(good, `"version":1`, `"version":0`, 1)),
		"empty kind":          gz(t, strings.Replace(good, `"kind":"note"`, `"kind":""`, 1)),
		"long kind":           gz(t, strings.Replace(good, `"kind":"note"`, `"kind":"`+strings.Repeat("a", 33)+`"`, 1)),
		"bad hlc":             gz(t, strings.Replace(good, `"hlc":"001732350000000-0000000003"`, `"hlc":"yesterday"`, 1)),
		"empty sealed":        gz(t, strings.Replace(good, `"sealed":"AQID"`, `"sealed":""`, 1)),
		"bad parent":          gz(t, strings.Replace(good, `"parents":[]`, `"parents":["x"]`, 1)),
		"too many parents":    gz(t, strings.Replace(good, `"parents":[]`, `"parents":[`+strings.Repeat(`"0190f1a0-0000-7000-8000-000000000009",`, 65)+`"0190f1a0-0000-7000-8000-000000000009"]`, 1)),
		"string version":      gz(t, strings.Replace(good, `"version":1`, `"version":"1"`, 1)),
	}
	for name, body := range cases {
		var p PushRequest
		err := Decode(bytes.NewReader(body), &p, DefaultLimits)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
}

func TestDecodeEnforcesSizeLimits(t *testing.T) {
	c := validChange()
	c.Sealed = bytes.Repeat([]byte{0}, 100_000) // compresses very well: a small bomb
	var buf bytes.Buffer
	if err := Encode(&buf, &PushRequest{Changes: []Change{c}}); err != nil {
		t.Fatal(err)
	}
	body := buf.Bytes()
	var p PushRequest
	if err := Decode(bytes.NewReader(body), &p, Limits{Compressed: int64(len(body)) - 1, Uncompressed: 1 << 20}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the compressed limit: got %v", err)
	}
	if err := Decode(bytes.NewReader(body), &p, Limits{Compressed: 1 << 20, Uncompressed: 100_000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the uncompressed limit: got %v", err)
	}
	if err := Decode(bytes.NewReader(body), &p, Limits{Compressed: int64(len(body)), Uncompressed: 1 << 20}); err != nil {
		t.Errorf("exactly at the compressed limit: %v", err)
	}
	c.Sealed = make([]byte, MaxSealedLen+1)
	if err := c.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("sealed over 16 MiB: got %v", err)
	}
}

func TestPullRequestValidation(t *testing.T) {
	for _, p := range []PullRequest{
		{After: -1, Limit: 10},
		{Limit: 0},
		{Limit: MaxPullLimit + 1},
		{Limit: 10, Patients: []chart.PatientID{"nope"}},
	} {
		if err := p.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v", p, err)
		}
	}
	ok := PullRequest{After: 5, Limit: MaxPullLimit, Patients: []chart.PatientID{"0190f1a0-0000-7000-8000-000000000003"}}
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
}

func TestEnrollmentCodeRoundTrip(t *testing.T) {
	c := EnrollmentCode{Addr: "clinic-server.local:8443"}
	c.Fingerprint[0], c.Token[31] = 0xAB, 0xCD
	got, err := ParseEnrollmentCode(" " + c.String() + "\n")
	if err != nil || got != c {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, bad := range []string{"", "!!!", c.String()[:40], EnrollmentCode{Addr: "no-port"}.String(), EnrollmentCode{Addr: "a b:1"}.String()} {
		if _, err := ParseEnrollmentCode(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}

// Every record kind the chart names can travel: a kind the protocol
// refused would stop a workstation's sync at the first such change.
func TestEveryChartKindTravels(t *testing.T) {
	for _, k := range []string{chart.KindEncounter, chart.KindNote, chart.KindProblem, chart.KindMedication,
		chart.KindAllergy, chart.KindVitals, chart.KindResult, chart.KindImmunization, chart.KindAttachment,
		chart.KindChartFlags, chart.KindTemplate, chart.KindAppointment} {
		c := validChange()
		c.Kind = k
		if err := c.Validate(); err != nil {
			t.Errorf("kind %q: %v", k, err)
		}
	}
	c := validChange()
	c.Kind = "Note!"
	if err := c.Validate(); err == nil {
		t.Error("kind \"Note!\" was accepted")
	}
}
