package chart

import (
	"strings"
	"testing"
)

var allActions = []Action{ActReadDemographics, ActWriteDemographics, ActReadClinical, ActWriteClinical,
	ActSignNote, ActSignNursingNote, ActPrescribe, ActManageUsers, ActViewAudit, ActManagePractice, ActReadSchedule, ActWriteSchedule}

// TestRolePermissions spells out the whole policy, so any change to who may
// do what shows up here as a deliberate edit.
func TestRolePermissions(t *testing.T) {
	allowed := map[Role][]Action{
		RoleAdministrator: {ActReadDemographics, ActWriteDemographics, ActManageUsers, ActViewAudit, ActManagePractice},
		RoleClinician:     {ActReadDemographics, ActWriteDemographics, ActReadClinical, ActWriteClinical, ActSignNote, ActSignNursingNote, ActPrescribe, ActReadSchedule, ActWriteSchedule},
		RoleNurse:         {ActReadDemographics, ActWriteDemographics, ActReadClinical, ActWriteClinical, ActSignNursingNote, ActReadSchedule, ActWriteSchedule},
		RoleFrontDesk:     {ActReadDemographics, ActWriteDemographics, ActReadSchedule, ActWriteSchedule},
		"":                nil,
		"doctor":          nil,
	}
	for role, acts := range allowed {
		for _, act := range allActions {
			want := false
			for _, a := range acts {
				want = want || a == act
			}
			if got := Can(role, act); got != want {
				t.Errorf("Can(%q, %q) = %v, want %v", role, act, got, want)
			}
			err := Require(role, act)
			if want {
				if err != nil {
					t.Errorf("Require(%q, %q) = %v", role, act, err)
				}
				continue
			}
			if ErrorCode(err) != EFORBIDDEN {
				t.Errorf("Require(%q, %q) = %v, want forbidden", role, act, err)
			}
			if msg := ErrorMessage(err); !strings.Contains(msg, string(act)) || !strings.Contains(msg, role.Label()) {
				t.Errorf("Require(%q, %q) message %q names neither the role nor the action", role, act, msg)
			}
		}
	}
}

func TestUnknownActionIsRefused(t *testing.T) {
	for _, r := range Roles {
		if Can(r, "delete everything") {
			t.Errorf("%s may do an unknown action", r)
		}
	}
}

func TestRoleValidAndLabel(t *testing.T) {
	labels := map[Role]string{RoleAdministrator: "Administrator", RoleClinician: "Clinician", RoleNurse: "Nurse", RoleFrontDesk: "Front desk"}
	if len(Roles) != len(labels) {
		t.Fatalf("Roles = %v, want the %d known roles", Roles, len(labels))
	}
	for _, r := range Roles {
		if !r.Valid() || r.Label() != labels[r] {
			t.Errorf("role %q: valid %v, label %q", r, r.Valid(), r.Label())
		}
	}
	for _, r := range []Role{"", "Clinician", "admin"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
	if got := Role("locum").Label(); got != "locum" {
		t.Errorf("unknown role label = %q", got)
	}
}
