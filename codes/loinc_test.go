package codes

import "testing"

func TestLOINCLabsCarryTheirUnits(t *testing.T) {
	for _, tc := range []struct{ query, first, unit string }{
		{"hemoglobin", "718-7", "g/dL"},
		{"a1c", "4548-4", "%"},
		{"4548", "4548-4", "%"},
		{"4548-4", "4548-4", "%"},
		{"potassium", "6298-4", "mmol/L"},
	} {
		got := LOINCLabs(tc.query, 5)
		if len(got) == 0 || got[0].Code != tc.first || got[0].Unit != tc.unit || got[0].System != SystemLOINC {
			t.Errorf("%q: %+v, want %s in %s", tc.query, got, tc.first, tc.unit)
		}
	}
	for _, c := range LOINCLabs("heart rate", MaxLimit) {
		t.Errorf("the lab search offers the vital sign %s %q", c.Code, c.Display)
	}
	if c, ok := LookupLOINC("8867-4"); !ok || c.Kind != "vital sign" || c.Unit != "/min" {
		t.Errorf("LookupLOINC(8867-4) = %+v", c)
	}
	for _, c := range loincList.get().codes {
		for _, r := range c.Display {
			if r == '\u200b' {
				t.Errorf("%s carries a zero-width space", c.Code)
			}
		}
	}
}
