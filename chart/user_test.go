package chart

import (
	"strings"
	"testing"
)

func validNewUser() NewUser {
	return NewUser{FullName: "Dr Ann Smith", Username: "asmith", Role: RoleClinician, Passphrase: "correct horse battery"}
}

func TestNewUserValidateNormalises(t *testing.T) {
	u := validNewUser()
	u.FullName = "  Dr Ann Smith "
	u.Username = "  A.Smith_2 "
	if err := u.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if u.FullName != "Dr Ann Smith" || u.Username != "a.smith_2" {
		t.Errorf("normalised to %q / %q", u.FullName, u.Username)
	}
}

func TestNewUserValidate(t *testing.T) {
	for _, tc := range []struct {
		name, field string // field "" means valid
		edit        func(u *NewUser)
	}{
		{"valid", "", func(u *NewUser) {}},
		{"every role", "", func(u *NewUser) { u.Role = RoleFrontDesk }},
		{"two-character username", "", func(u *NewUser) { u.Username = "ab" }},
		{"32-character username", "", func(u *NewUser) { u.Username = "a" + strings.Repeat("b", 31) }},
		{"username starting with a digit", "", func(u *NewUser) { u.Username = "9lives" }},

		{"no full name", "fullName", func(u *NewUser) { u.FullName = "  " }},
		{"long full name", "fullName", func(u *NewUser) { u.FullName = strings.Repeat("x", MaxNameLen+1) }},
		{"full name on two lines", "fullName", func(u *NewUser) { u.FullName = "Ann\nSmith" }},
		{"one-character username", "username", func(u *NewUser) { u.Username = "a" }},
		{"33-character username", "username", func(u *NewUser) { u.Username = "a" + strings.Repeat("b", 32) }},
		{"username with a space", "username", func(u *NewUser) { u.Username = "ann smith" }},
		{"username starting with a dot", "username", func(u *NewUser) { u.Username = ".ann" }},
		{"username with an accent", "username", func(u *NewUser) { u.Username = "zoë" }},
		{"username with an at sign", "username", func(u *NewUser) { u.Username = "ann@clinic" }},
		{"no role", "role", func(u *NewUser) { u.Role = "" }},
		{"unknown role", "role", func(u *NewUser) { u.Role = "doctor" }},
		{"short passphrase", "passphrase", func(u *NewUser) { u.Passphrase = "short" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := validNewUser()
			tc.edit(&u)
			err := u.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
				t.Fatalf("Validate = %v, want an invalid error on %s", err, tc.field)
			}
		})
	}
}

func TestNormalizeUsername(t *testing.T) {
	if got := NormalizeUsername("  ASmith\t"); got != "asmith" {
		t.Errorf("NormalizeUsername = %q", got)
	}
}

func TestValidatePassphrase(t *testing.T) {
	for _, tc := range []struct {
		name, pass, msg string // msg "" means accepted
	}{
		{"ten characters", "abcdefghij", ""},
		{"ten multi-byte characters count as ten", strings.Repeat("é", 10), ""},
		{"words with spaces", "correct horse battery staple", ""},
		{"at the byte limit", strings.Repeat("a", MaxPassphraseLen), ""},
		{"empty", "", "at least 10"},
		{"nine characters", "abcdefghi", "at least 10"},
		{"nine multi-byte characters (18 bytes)", strings.Repeat("é", 9), "at least 10"},
		{"over the byte limit", strings.Repeat("a", MaxPassphraseLen+1), "too long"},
		{"multi-byte over the byte limit", strings.Repeat("é", MaxPassphraseLen/2+1), "too long"},
		{"invalid UTF-8", strings.Repeat("\xff", 12), "not valid text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePassphrase("newPassphrase", tc.pass)
			if tc.msg == "" {
				if err != nil {
					t.Fatalf("ValidatePassphrase: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != "newPassphrase" || !strings.Contains(ErrorMessage(err), tc.msg) {
				t.Fatalf("ValidatePassphrase = %v, want invalid on newPassphrase saying %q", err, tc.msg)
			}
			if strings.Contains(err.Error(), tc.pass) && tc.pass != "" {
				t.Error("the error repeats the passphrase")
			}
		})
	}
}

// The practice's first user is always its administrator, whatever the form
// says.
func TestNewPracticeValidate(t *testing.T) {
	p := NewPractice{PracticeName: "  Hill Country Clinic ", Admin: validNewUser()}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if p.PracticeName != "Hill Country Clinic" || p.Admin.Role != RoleAdministrator {
		t.Errorf("got name %q and role %q", p.PracticeName, p.Admin.Role)
	}

	p = NewPractice{PracticeName: " ", Admin: validNewUser()}
	if err := p.Validate(); ErrorField(err) != "practiceName" {
		t.Errorf("blank practice name: %v", err)
	}
	p = NewPractice{PracticeName: "Clinic", Admin: validNewUser()}
	p.Admin.Passphrase = "short"
	if err := p.Validate(); ErrorField(err) != "passphrase" {
		t.Errorf("short admin passphrase: %v", err)
	}
}

func TestValidateIdleLock(t *testing.T) {
	for minutes, ok := range map[int]bool{0: false, -5: false, 1: true, DefaultIdleLockMinutes: true, 240: true, 241: false} {
		err := ValidateIdleLock(minutes)
		if (err == nil) != ok || (err != nil && ErrorField(err) != "idleLockMinutes") {
			t.Errorf("ValidateIdleLock(%d) = %v", minutes, err)
		}
	}
}

func TestValidNPI(t *testing.T) {
	for _, tc := range []struct {
		npi  string
		want bool
	}{
		{"1234567893", true}, // the example of the NPI standard
		{"1245319599", true},
		{"1234567890", false}, // wrong check digit
		{"1234567839", false}, // two digits swapped
		{"123456789", false},  // nine digits
		{"12345678931", false},
		{"123456789X", false},
		{"", false},
	} {
		if got := ValidNPI(tc.npi); got != tc.want {
			t.Errorf("ValidNPI(%q) = %v, want %v", tc.npi, got, tc.want)
		}
	}
}

func TestCredentialsValidate(t *testing.T) {
	c := Credentials{LicenceNumber: "  CPSO 81234 ", NPI: " 1234 567 893 "}
	if err := c.Validate(); err != nil || c.LicenceNumber != "CPSO 81234" || c.NPI != "1234567893" {
		t.Fatalf("Validate: %+v, %v", c, err)
	}
	if err := (&Credentials{}).Validate(); err != nil {
		t.Errorf("empty credentials (not every role prescribes): %v", err)
	}
	bad := Credentials{LicenceNumber: "A\nB", NPI: "1234567890"}
	err := bad.Validate()
	if fields := ErrorFields(err); len(fields) != 2 || fields[0].Field != "licenceNumber" || fields[1].Field != "npi" {
		t.Fatalf("both problems at once, in form order: %+v", fields)
	}
	long := Credentials{LicenceNumber: strings.Repeat("9", MaxLicenceLen+1)}
	if ErrorCode(long.Validate()) != EINVALID {
		t.Error("an over-long licence number was accepted")
	}
}

func TestPracticeContactValidate(t *testing.T) {
	c := PracticeContact{Address: "  12 Mill  Road \r\n\r\n Riverside, ON\tK0A 1B0  ", Phone: " +1 (613) 555-0199 "}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Address != "12 Mill Road\nRiverside, ON K0A 1B0" || c.Phone != "+1 (613) 555-0199" {
		t.Fatalf("normalised to %q / %q", c.Address, c.Phone)
	}
	if err := (&PracticeContact{}).Validate(); err != nil {
		t.Errorf("an empty contact clears it: %v", err)
	}
	for name, bad := range map[string]PracticeContact{
		"six lines":        {Address: "1\n2\n3\n4\n5\n6"},
		"a control char":   {Address: "12 Mill\x07Road"},
		"a bidi override":  {Address: "12 Mill \u202eRoad"},
		"too long":         {Address: strings.Repeat("x", MaxPracticeAddressLen+1)},
		"letters as phone": {Phone: "call us"},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}
