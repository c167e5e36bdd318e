package strength

import "testing"

func TestJudge(t *testing.T) {
	for _, c := range []struct {
		pass     string
		personal []string
		weak     bool
	}{
		{"correct horse battery staple", nil, false},
		{"quiet river morning tea", nil, false},
		{"password123", nil, true},
		{"qwertyuiop12", nil, true},
		{"aaaaaaaaaaaa", nil, true},
		{"12345678901234", nil, true},
		{"ada administrator", []string{"Ada Administrator", "ada"}, true},
		{"riverbendclinic", []string{"Riverbend Rural Clinic"}, true},
		{"riverbendclinic", nil, false}, // the same letters are fine when they are not the practice's name
	} {
		v := Judge(c.pass, c.personal...)
		if v.Weak != c.weak {
			t.Errorf("%q (personal %v): weak = %v (%.3g guesses, %s), want %v", c.pass, c.personal, v.Weak, v.Guesses, v.Why, c.weak)
		}
		if v.Weak && v.Why == "" {
			t.Errorf("%q: weak without a reason", c.pass)
		}
	}
}
