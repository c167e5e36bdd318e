package chart

import "testing"

// TestEveryVitalHasALOINCCode: a vital sign added without its code would
// export uncoded.
func TestEveryVitalHasALOINCCode(t *testing.T) {
	seen := map[string]VitalField{}
	for _, s := range vitalSpecs {
		c, ok := VitalLOINC(s.Field)
		if !ok {
			t.Errorf("%s has no LOINC code", s.Field)
			continue
		}
		if c.Unit != s.Unit {
			t.Errorf("%s: LOINC unit %q, stored unit %q", s.Field, c.Unit, s.Unit)
		}
		if other, dup := seen[c.LOINC]; dup {
			t.Errorf("%s and %s share LOINC %s", s.Field, other, c.LOINC)
		}
		seen[c.LOINC] = s.Field
	}
	if c, _ := VitalLOINC(VitalHeartRate); c.LOINC != "8867-4" {
		t.Errorf("heart rate %+v", c)
	}
}
