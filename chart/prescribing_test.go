package chart

import "testing"

func TestOnlyCliniciansPrescribe(t *testing.T) {
	prescribed := Medication{Drug: Coded{Display: "Amoxicillin 500 mg"}, Dose: "500", Source: MedPrescribedHere,
		Status: MedActive, PrescriberName: "Dr Sam Rivera"}
	reported := prescribed
	reported.Source, reported.PrescriberName = MedPatientReported, ""
	stopped := prescribed
	stopped.Status, stopped.StopDate, stopped.StopReason = MedStopped, "2026-11-23", "rash"
	redosed := prescribed
	redosed.Dose = "1000"
	for _, tc := range []struct {
		name    string
		role    Role
		m, old  *Medication
		allowed bool
	}{
		{"a clinician prescribes", RoleClinician, &prescribed, nil, true},
		{"a nurse may not prescribe", RoleNurse, &prescribed, nil, false},
		{"a nurse records a reported medication", RoleNurse, &reported, nil, true},
		{"a nurse may not turn a reported medication into a prescription", RoleNurse, &prescribed, &reported, false},
		{"a nurse records that a prescription was stopped", RoleNurse, &stopped, &prescribed, true},
		{"a nurse may not change a prescribed dose", RoleNurse, &redosed, &prescribed, false},
		{"a clinician changes a prescribed dose", RoleClinician, &redosed, &prescribed, true},
		{"front desk may not prescribe", RoleFrontDesk, &prescribed, nil, false},
	} {
		err := CheckPrescribing(tc.role, tc.m, tc.old)
		if tc.allowed && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.allowed && (ErrorCode(err) != EFORBIDDEN || ErrorField(err) != "source") {
			t.Errorf("%s: %v, want forbidden on source", tc.name, err)
		}
	}
}
