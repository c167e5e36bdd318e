package chart

import (
	"strings"
	"testing"
)

// Names: what reorders the display is refused, what is invisible is
// stripped, and the joiners real scripts need are kept.
func TestPatientNamesInvisibleCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, given string
		want        string // the stored name, or "" when refused
		refusal     string
	}{
		{"right-to-left override displays the name reversed", "\u202Eeoj", "", "changes the direction"},
		{"left-to-right override", "Jo\u202Dhn", "", "changes the direction"},
		{"right-to-left embedding", "\u202BAnn\u202C", "", "changes the direction"},
		{"first-strong isolate", "\u2068Ann\u2069", "", "changes the direction"},
		{"tag character", "Ann\U000E0041", "", "invisible formatting character (U+E0041)"},
		{"invisible times", "Ann\u2062e", "", "invisible formatting character"},
		{"control character", "Ann\u0007", "", "control character"},
		{"C1 control", "An\u0085n", "", "control character"},
		{"zero-width space is stripped", "Ann\u200BMarie", "AnnMarie", ""},
		{"byte-order mark is stripped", "\uFEFFAnn", "Ann", ""},
		{"word joiner is stripped", "Ann\u2060e", "Anne", ""},
		{"soft hyphen is stripped", "Anne\u00ADMarie", "AnneMarie", ""},
		{"right-to-left mark is stripped", "Ann\u200F", "Ann", ""},
		{"a zero-width joiner in a Latin name is stripped", "Jo\u200Dhn", "John", ""},
		{"a zero-width non-joiner at the end is stripped", "John\u200C", "John", ""},
		{"stripping leaves nothing: still required", "\u200B\u200B", "", "required"},
		{"Arabic", "فاطمة", "فاطمة", ""},
		{"Arabic with vowel marks", "مُحَمَّد", "مُحَمَّد", ""},
		{"Hebrew", "אברהם", "אברהם", ""},
		{"Persian non-joiner is kept", "علی\u200Cزاده", "علی\u200Cزاده", ""},
		{"Arabic joiner after a vowel mark is kept", "مُ\u200Dحمد", "مُ\u200Dحمد", ""},
		{"Devanagari joiner is kept", "क्\u200Dष", "क्\u200Dष", ""},
		{"Malayalam chillu joiner is kept", "ന്\u200Dറ", "ന്\u200Dറ", ""},
		{"Sinhala joiner is kept", "ශ්\u200Dරී", "ශ්\u200Dරී", ""},
		{"accented Latin", "Zoë Núñez", "Zoë Núñez", ""},
		{"apostrophe and hyphen", "O'Brien-Smith", "O'Brien-Smith", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validPatient()
			p.GivenName = tc.given
			err := p.Validate(testNow)
			if tc.refusal != "" {
				if ErrorField(err) != "givenName" || !strings.Contains(ErrorMessage(err), tc.refusal) {
					t.Fatalf("Validate(%q) = %v, want a givenName error saying %q", tc.given, err, tc.refusal)
				}
				return
			}
			if err != nil || p.GivenName != tc.want {
				t.Fatalf("Validate(%q): name %q, %v; want %q", tc.given, p.GivenName, err, tc.want)
			}
		})
	}
}

func TestEveryNameFieldGetsTheNameRule(t *testing.T) {
	for field, set := range map[string]func(p *Patient, s string){
		"familyName":            func(p *Patient, s string) { p.FamilyName = s },
		"givenName":             func(p *Patient, s string) { p.GivenName = s },
		"preferredName":         func(p *Patient, s string) { p.PreferredName = s },
		"emergencyContact.name": func(p *Patient, s string) { p.EmergencyContact.Name = s },
	} {
		p := validPatient()
		set(&p, "Ann\u200B")
		if err := p.Validate(testNow); err != nil {
			t.Errorf("%s: zero-width space not stripped: %v", field, err)
		}
		p = validPatient()
		set(&p, "\u202Eeoj")
		if err := p.Validate(testNow); ErrorField(err) != field {
			t.Errorf("%s: override not refused: %v", field, err)
		}
	}
	u := NewUser{FullName: "Dr \u202Eeoj", Username: "joe", Role: RoleClinician, Passphrase: "long enough passphrase"}
	if err := u.Validate(); ErrorField(err) != "fullName" || !strings.Contains(ErrorMessage(err), "direction") {
		t.Errorf("user full name with an override: %v", err)
	}
	u = NewUser{FullName: "Dr\u200B Rivera", Username: "sam", Role: RoleClinician, Passphrase: "long enough passphrase"}
	if err := u.Validate(); err != nil || u.FullName != "Dr Rivera" {
		t.Errorf("user full name with a zero-width space: %q, %v", u.FullName, err)
	}
}

func TestOneLineFieldsRefuseDirectionOverrides(t *testing.T) {
	p := validPatient()
	p.Address.City = "\u202Enoslen"
	if err := p.Validate(testNow); ErrorField(err) != "address.city" {
		t.Errorf("city with an override: %v", err)
	}
	// Long text keeps isolates: mixed-direction prose may use them.
	p = validPatient()
	p.Address.Directions = "Turn at \u2067שער כחול\u2069 then left."
	if err := p.Validate(testNow); err != nil {
		t.Errorf("directions with an isolate: %v", err)
	}
}
