package chart

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// testNow is a fixed "today" so birth-date rules do not drift with the clock.
var testNow = time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC)

func validPatient() Patient {
	return Patient{
		GivenName:  "Ann",
		FamilyName: "Smith",
		BirthDate:  "1980-05-12",
		Sex:        SexFemale,
		Phone:      "+1 (555) 123-4567",
		MRN:        "ABC-123",
		Address:    Address{Directions: "Third farm past the silo.\nBlue gate."},
	}
}

func TestPatientValidateAcceptsAndNormalises(t *testing.T) {
	p := validPatient()
	p.GivenName = "  Ann \u00a0"
	p.FamilyName = "\tSmith "
	p.MRN = "  abc-123 "
	p.Phone = " 555 0100 "
	p.BirthDate = " 1980-05-12 "
	p.Sex = ""
	p.EmergencyContact = EmergencyContact{Name: " Bob ", Phone: ""}
	if err := p.Validate(testNow); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for _, c := range []struct{ field, got, want string }{
		{"given name", p.GivenName, "Ann"},
		{"family name", p.FamilyName, "Smith"},
		{"MRN", p.MRN, "ABC-123"},
		{"phone", p.Phone, "555 0100"},
		{"birth date", p.BirthDate, "1980-05-12"},
		{"emergency contact", p.EmergencyContact.Name, "Bob"},
		{"sex", string(p.Sex), string(SexUnknown)},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
}

func TestPatientValidateEdges(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(p *Patient)
	}{
		{"name of exactly the limit in multi-byte letters", func(p *Patient) { p.GivenName = strings.Repeat("é", MaxNameLen) }},
		{"directions may span lines", func(p *Patient) { p.Address.Directions = "a\nb\tc" }},
		{"born today", func(p *Patient) { p.BirthDate = "2026-11-23" }},
		{"oldest accepted year", func(p *Patient) { p.BirthDate = "1896-01-01" }},
		{"leap day", func(p *Patient) { p.BirthDate = "2000-02-29" }},
		{"no MRN yet (the store assigns one)", func(p *Patient) { p.MRN = "" }},
		{"shortest MRN", func(p *Patient) { p.MRN = "A1B" }},
		{"longest MRN", func(p *Patient) { p.MRN = "A" + strings.Repeat("-", 19) }},
		{"no phone", func(p *Patient) { p.Phone = "" }},
		{"five-digit phone", func(p *Patient) { p.Phone = "12345" }},
		{"seventeen-digit phone", func(p *Patient) { p.Phone = strings.Repeat("1", 17) }},
		{"dotted phone", func(p *Patient) { p.Phone = "021.555.0100" }},
		{"every sex", func(p *Patient) { p.Sex = SexOther }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validPatient()
			tc.edit(&p)
			if err := p.Validate(testNow); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestPatientValidateRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, field, msg string
		edit             func(p *Patient)
	}{
		{"empty given name", "givenName", "required", func(p *Patient) { p.GivenName = "" }},
		{"blank given name", "givenName", "required", func(p *Patient) { p.GivenName = " \t " }},
		{"empty family name", "familyName", "required", func(p *Patient) { p.FamilyName = "" }},
		{"oversized given name", "givenName", "too long", func(p *Patient) { p.GivenName = strings.Repeat("é", MaxNameLen+1) }},
		{"oversized family name", "familyName", "too long", func(p *Patient) { p.FamilyName = strings.Repeat("x", MaxNameLen+1) }},
		{"oversized preferred name", "preferredName", "too long", func(p *Patient) { p.PreferredName = strings.Repeat("x", MaxNameLen+1) }},
		{"oversized gender identity", "genderIdentity", "too long", func(p *Patient) { p.GenderIdentity = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized language", "preferredLanguage", "too long", func(p *Patient) { p.PreferredLanguage = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized address line", "address.line1", "too long", func(p *Patient) { p.Address.Line1 = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized second address line", "address.line2", "too long", func(p *Patient) { p.Address.Line2 = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized city", "address.city", "too long", func(p *Patient) { p.Address.City = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized region", "address.region", "too long", func(p *Patient) { p.Address.Region = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized postal code", "address.postalCode", "too long", func(p *Patient) { p.Address.PostalCode = strings.Repeat("1", 21) }},
		{"oversized country", "address.country", "too long", func(p *Patient) { p.Address.Country = strings.Repeat("x", MaxShortTextLen+1) }},
		{"oversized directions", "address.directions", "too long", func(p *Patient) { p.Address.Directions = strings.Repeat("x", MaxLongTextLen+1) }},
		{"oversized contact name", "emergencyContact.name", "too long", func(p *Patient) { p.EmergencyContact.Name = strings.Repeat("x", MaxNameLen+1) }},
		{"oversized relationship", "emergencyContact.relationship", "too long", func(p *Patient) { p.EmergencyContact.Relationship = strings.Repeat("x", MaxShortTextLen+1) }},

		{"newline in a name", "givenName", "one line", func(p *Patient) { p.GivenName = "Ann\nMarie" }},
		{"tab in a city", "address.city", "one line", func(p *Patient) { p.Address.City = "Nelson\tSouth" }},
		{"bell character", "emergencyContact.name", "control character", func(p *Patient) { p.EmergencyContact.Name = "Bob\a" }},
		{"carriage return in directions", "address.directions", "control character", func(p *Patient) { p.Address.Directions = "left\rright" }},
		{"NUL in family name", "familyName", "control character", func(p *Patient) { p.FamilyName = "Sm\x00ith" }},
		{"invalid UTF-8", "familyName", "not valid text", func(p *Patient) { p.FamilyName = "Sm\xffith" }},

		{"missing birth date", "birthDate", "required", func(p *Patient) { p.BirthDate = " " }},
		{"numeric birth date with no date order", "birthDate", "could be read day first or month first", func(p *Patient) { p.BirthDate = "12/05/1980" }},
		{"two-digit year", "birthDate", "four digits", func(p *Patient) { p.BirthDate = "12/05/80" }},
		{"not a date", "birthDate", "not a date Outpost can read", func(p *Patient) { p.BirthDate = "soon" }},
		{"no such day", "birthDate", "February 2001 has no day 29", func(p *Patient) { p.BirthDate = "2001-02-29" }},
		{"no such month", "birthDate", "no month 13", func(p *Patient) { p.BirthDate = "2001-13-01" }},
		{"born tomorrow", "birthDate", "future", func(p *Patient) { p.BirthDate = "2026-11-24" }},
		{"born next year", "birthDate", "future", func(p *Patient) { p.BirthDate = "2027-01-01" }},
		{"too old", "birthDate", "more than 130 years", func(p *Patient) { p.BirthDate = "1895-12-31" }},

		{"unknown sex", "sex", "female, male, other or unknown", func(p *Patient) { p.Sex = "f" }},

		{"letters in phone", "phone", "phone number", func(p *Patient) { p.Phone = "call me" }},
		{"four-digit phone", "phone", "5 to 17 digits", func(p *Patient) { p.Phone = "1234" }},
		{"eighteen-digit phone", "phone", "5 to 17 digits", func(p *Patient) { p.Phone = strings.Repeat("1", 18) }},
		{"phone of punctuation", "phone", "phone number", func(p *Patient) { p.Phone = "(--)" }},
		{"overlong phone", "phone", "phone number", func(p *Patient) { p.Phone = "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7" }},
		{"bad contact phone", "emergencyContact.phone", "Emergency contact phone", func(p *Patient) { p.EmergencyContact.Phone = "ext. 12" }},

		{"two-character MRN", "mrn", "3 to 20", func(p *Patient) { p.MRN = "AB" }},
		{"MRN starting with a dash", "mrn", "3 to 20", func(p *Patient) { p.MRN = "-AB1" }},
		{"MRN with an underscore", "mrn", "3 to 20", func(p *Patient) { p.MRN = "AB_1" }},
		{"MRN with a space inside", "mrn", "3 to 20", func(p *Patient) { p.MRN = "AB 1" }},
		{"21-character MRN", "mrn", "3 to 20", func(p *Patient) { p.MRN = strings.Repeat("A", 21) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validPatient()
			tc.edit(&p)
			err := p.Validate(testNow)
			if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
				t.Fatalf("Validate = %v, want an invalid error on %s", err, tc.field)
			}
			if msg := ErrorMessage(err); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q does not say %q", msg, tc.msg)
			}
		})
	}
}

func TestBirthDateFutureUsesTheWorkstationsDay(t *testing.T) {
	// Just after midnight on 24 November in Auckland, UTC is still on the
	// 23rd: a baby born today, local time, must be accepted.
	auckland := time.FixedZone("NZDT", 13*3600)
	now := time.Date(2026, 11, 24, 0, 30, 0, 0, auckland) // 2026-11-23 11:30 UTC
	p := validPatient()
	p.BirthDate = "2026-11-24"
	if err := p.Validate(now); err != nil {
		t.Errorf("born today in the workstation's zone refused: %v", err)
	}
}

func TestSexValid(t *testing.T) {
	for _, s := range []Sex{SexFemale, SexMale, SexOther, SexUnknown} {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	for _, s := range []Sex{"", "F", "Female", "x"} {
		if s.Valid() {
			t.Errorf("%q valid", s)
		}
	}
}

func TestSummaryCopiesTheListFields(t *testing.T) {
	p := validPatient()
	p.ID, p.PreferredName = "id-1", "Annie"
	want := PatientSummary{ID: "id-1", MRN: p.MRN, GivenName: "Ann", FamilyName: "Smith", PreferredName: "Annie",
		BirthDate: p.BirthDate, Sex: SexFemale, Phone: p.Phone}
	if got := p.Summary(); got != want {
		t.Errorf("Summary = %+v, want %+v", got, want)
	}
}

func TestPhoneDigits(t *testing.T) {
	for in, want := range map[string]string{"+1 (555) 123-4567": "15551234567", "": "", "abc": "", "٣٤٥": ""} {
		if got := PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

// luhnValid checks a whole number, independently of luhnDigit.
func luhnValid(s string) bool {
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func TestNewMRN(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		m := NewMRN()
		if len(m) != 9 || m[0] == '0' || strings.Trim(m, "0123456789") != "" {
			t.Fatalf("NewMRN() = %q, want nine digits not starting with 0", m)
		}
		if !luhnValid(m) {
			t.Fatalf("NewMRN() = %q fails its Luhn check", m)
		}
		if !mrnPattern.MatchString(m) {
			t.Fatalf("NewMRN() = %q would be refused by Validate", m)
		}
		seen[m] = true
	}
	if len(seen) < 1990 {
		t.Errorf("only %d distinct MRNs in 2000", len(seen))
	}
}

func TestLuhnCatchesTypos(t *testing.T) {
	m := NewMRN()
	for i := range len(m) {
		for d := byte('0'); d <= '9'; d++ {
			if d == m[i] {
				continue
			}
			typo := m[:i] + string(d) + m[i+1:]
			if luhnValid(typo) {
				t.Errorf("single-digit typo %q of %q passes the check", typo, m)
			}
		}
	}
	for i := 0; i+1 < len(m); i++ {
		if m[i] == m[i+1] || (m[i] == '0' && m[i+1] == '9') || (m[i] == '9' && m[i+1] == '0') {
			continue // the one swap Luhn cannot see, and no-op swaps
		}
		swapped := m[:i] + string(m[i+1]) + string(m[i]) + m[i+2:]
		if luhnValid(swapped) {
			t.Errorf("transposition %q of %q passes the check", swapped, m)
		}
	}
}

func TestLuhnDigitKnownValues(t *testing.T) {
	// 7992739871 → 3 is the textbook example.
	for body, want := range map[string]int{"7992739871": 3, "1000000": 8, "12345678": 2} {
		if got := luhnDigit(body); got != want {
			t.Errorf("luhnDigit(%s) = %d, want %d", body, got, want)
		}
	}
}

func TestAge(t *testing.T) {
	for _, tc := range []struct {
		birth string
		now   time.Time
		want  int
	}{
		{"1980-05-12", time.Date(2026, 5, 11, 23, 0, 0, 0, time.UTC), 45},
		{"1980-05-12", time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC), 46},
		{"1980-05-12", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), 45},
		{"1980-05-12", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), 46},
		{"2026-11-23", testNow, 0},
		{"2000-02-29", time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), 24},
		{"2000-02-29", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 25},
		{"2000-02-29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 24},
		{"", testNow, -1},
		{"12/05/1980", testNow, -1},
		{"2001-02-29", testNow, -1},
	} {
		if got := Age(tc.birth, tc.now); got != tc.want {
			t.Errorf("Age(%q, %s) = %d, want %d", tc.birth, tc.now.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestDuplicateReason(t *testing.T) {
	a := Patient{ID: "a", GivenName: "Ann", FamilyName: "Smith", BirthDate: "1980-05-12", Phone: "555 123 4567"}
	for _, tc := range []struct {
		name string
		b    Patient
		want string
	}{
		{"same patient", a, ""},
		{"name and birth date, other case", Patient{ID: "b", GivenName: "ANN", FamilyName: "smith", BirthDate: "1980-05-12"}, "same name and date of birth"},
		{"name only", Patient{ID: "b", GivenName: "Ann", FamilyName: "Smith", BirthDate: "1980-05-13"}, ""},
		{"given and family swapped", Patient{ID: "b", GivenName: "Smith", FamilyName: "Ann", BirthDate: "1980-05-12"}, ""},
		{"phone written differently", Patient{ID: "b", GivenName: "X", FamilyName: "Y", BirthDate: "2000-01-01", Phone: "(555)-123-4567"}, "same phone number"},
		{"both without phone", Patient{ID: "b", GivenName: "X", FamilyName: "Y", BirthDate: "2000-01-01"}, ""},
	} {
		if got := DuplicateReason(&a, &tc.b); got != tc.want {
			t.Errorf("%s: DuplicateReason = %q, want %q", tc.name, got, tc.want)
		}
	}
	noPhone := Patient{ID: "c", GivenName: "P", FamilyName: "Q", BirthDate: "2000-01-01"}
	other := Patient{ID: "d", GivenName: "R", FamilyName: "S", BirthDate: "2001-01-01"}
	if got := DuplicateReason(&noPhone, &other); got != "" {
		t.Errorf("two patients without phones: DuplicateReason = %q", got)
	}
}

func TestIDs(t *testing.T) {
	for name, id := range map[string]string{
		"practice": string(NewPracticeID()), "user": string(NewUserID()), "patient": string(NewPatientID()),
		"device": string(NewDeviceID()), "change": string(NewChangeID()), "record": string(NewRecordID()),
	} {
		if !ValidID(id) || id[14] != '7' {
			t.Errorf("new %s id %q is not a UUIDv7", name, id)
		}
	}
	a, b := NewPatientID(), NewPatientID()
	if a == b {
		t.Error("two new ids are equal")
	}
	// Time-ordered: each new row lands at the right edge of the indexes on
	// ids (docs/SYNC.md, "What an id says"), so ids made one after another
	// sort in the order they were made.
	ids := make([]RecordID, 1000)
	for i := range ids {
		ids[i] = NewRecordID()
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("id %d (%s) sorts before the one made before it (%s)", i, ids[i], ids[i-1])
		}
	}
	for _, s := range []string{"", "not-a-uuid", "{" + string(a) + "}", "urn:uuid:" + string(a), strings.ReplaceAll(string(a), "-", "")} {
		if ValidID(s) {
			t.Errorf("ValidID(%q) = true", s)
		}
	}
}

// A form shows every mistake at once: validation reports them all, in the
// order the registration form shows the fields, the first also as the
// error's own field and message.
func TestPatientValidateReportsEveryProblemInFormOrder(t *testing.T) {
	p := validPatient()
	p.FamilyName = ""
	p.GivenName = "\u202Eeoj"
	p.BirthDate = "31/04/1980"
	p.Phone = "call me"
	p.Address.City = "Nelson\tSouth"
	err := p.ValidateFor(testNow, DateOrderDMY)
	b, _ := json.Marshal(err)
	var wire struct {
		Field  string
		Fields []struct{ Field, Message string }
	}
	if jerr := json.Unmarshal(b, &wire); jerr != nil {
		t.Fatal(jerr)
	}
	var got []string
	for _, f := range wire.Fields {
		got = append(got, f.Field)
	}
	want := []string{"familyName", "givenName", "birthDate", "phone", "address.city"}
	if strings.Join(got, " ") != strings.Join(want, " ") || wire.Field != "familyName" {
		t.Fatalf("fields = %v (first %q), want %v; error %s", got, wire.Field, want, b)
	}
	if ErrorCode(err) != EINVALID || !strings.Contains(wire.Fields[2].Message, "April 1980 has no day 31") {
		t.Errorf("error %s", b)
	}
}

func TestNewUserValidateReportsEveryProblem(t *testing.T) {
	u := NewUser{FullName: " ", Username: "X", Role: "boss", Passphrase: "short"}
	var got []string
	for _, f := range ErrorFields(u.Validate()) {
		got = append(got, f.Field)
	}
	if strings.Join(got, " ") != "fullName username role passphrase" {
		t.Errorf("fields = %v", got)
	}
}
