package fhirexport_test

import (
	"strings"
	"testing"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
)

// TestRoundTripPatientStatus: an inactive minor with a guardian beside an
// emergency contact goes out as Patient.active false and a GUARD contact,
// and comes back the same; an active patient goes out active.
func TestRoundTripPatientStatus(t *testing.T) {
	orig := chartgen.New(7, testNow, chartgen.Options{Records: 5}).Chart()
	p := &orig.Patient
	p.Deceased, p.DeceasedDate, p.Inactive = false, "", true
	p.Email = "ann.doe@example.org"
	p.EmergencyContact = chart.EmergencyContact{Name: "Cy Doe", Relationship: "uncle", Phone: "555 0102"}
	p.Guardian = chart.Guardian{Name: "Bo Doe", Relationship: "Mother", Phone: "555 0101"}
	raw, err := fhirexport.PatientBundle(orig, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"active": false`, `"code": "GUARD"`, `"text": "Mother"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("bundle lacks %s", want)
		}
	}
	back := reimport(t, raw)
	if g := back.Patient; !g.Inactive || g.Guardian != p.Guardian || g.EmergencyContact != p.EmergencyContact || g.Email != p.Email {
		t.Errorf("came back inactive %v guardian %+v contact %+v email %q; want %+v %+v %q",
			g.Inactive, g.Guardian, g.EmergencyContact, g.Email, p.Guardian, p.EmergencyContact, p.Email)
	}
	p.Inactive = false
	raw, _ = fhirexport.PatientBundle(orig, testOptions())
	if !strings.Contains(string(raw), `"active": true`) {
		t.Error("an active patient should go out as active")
	}
}
