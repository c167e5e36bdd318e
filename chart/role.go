package chart

// Role is what a user may do. The backend checks every call with Can; the UI
// only hides what the backend would refuse anyway.
type Role string

const (
	RoleAdministrator Role = "administrator"
	RoleClinician     Role = "clinician"
	RoleNurse         Role = "nurse"
	RoleFrontDesk     Role = "frontdesk"
)

// Roles lists every role, in the order the UI offers them.
var Roles = []Role{RoleClinician, RoleNurse, RoleFrontDesk, RoleAdministrator}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the role's name as people say it.
func (r Role) Label() string {
	switch r {
	case RoleAdministrator:
		return "Administrator"
	case RoleClinician:
		return "Clinician"
	case RoleNurse:
		return "Nurse"
	case RoleFrontDesk:
		return "Front desk"
	}
	return string(r)
}

// Action is something a role may or may not do.
type Action string

const (
	ActReadDemographics  Action = "read demographics"
	ActWriteDemographics Action = "edit demographics"
	ActReadClinical      Action = "read clinical content"
	ActWriteClinical     Action = "write clinical content"
	ActSignNote          Action = "sign clinical notes"
	ActSignNursingNote   Action = "sign nursing notes"
	ActPrescribe         Action = "prescribe medications"
	ActManageUsers       Action = "manage users"
	ActViewAudit         Action = "view the audit log"
	ActManagePractice    Action = "change practice settings"
	ActMergePatients     Action = "merge patient records"
	// The appointment book: the front desk books and checks in; a booking's
	// reason is clinical content and shows only to ActReadClinical.
	ActReadSchedule  Action = "see the appointment book"
	ActWriteSchedule Action = "book appointments"
)

var permissions = map[Role]map[Action]bool{
	RoleAdministrator: {ActReadDemographics: true, ActWriteDemographics: true, ActManageUsers: true, ActViewAudit: true, ActManagePractice: true, ActMergePatients: true},
	RoleClinician:     {ActReadDemographics: true, ActWriteDemographics: true, ActReadClinical: true, ActWriteClinical: true, ActSignNote: true, ActSignNursingNote: true, ActPrescribe: true, ActReadSchedule: true, ActWriteSchedule: true},
	RoleNurse:         {ActReadDemographics: true, ActWriteDemographics: true, ActReadClinical: true, ActWriteClinical: true, ActSignNursingNote: true, ActReadSchedule: true, ActWriteSchedule: true},
	RoleFrontDesk:     {ActReadDemographics: true, ActWriteDemographics: true, ActReadSchedule: true, ActWriteSchedule: true},
}

// Can reports whether role may perform act.
func Can(role Role, act Action) bool { return permissions[role][act] }

// Require returns an EFORBIDDEN error unless role may perform act.
func Require(role Role, act Action) error {
	if Can(role, act) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Your role (%s) may not %s. Ask your practice administrator if you need this.", role.Label(), act)
}

// InboxShowsWork reports whether a role's inbox holds more than tasks:
// results, notes, conflicts and recalls. The front desk's holds only its
// tasks, nothing clinical.
func InboxShowsWork(role Role) bool { return role != RoleFrontDesk }
