package chart

import "context"

// Workstation is the chart store on this machine while nobody is signed in.
// Everything it does works offline.
type Workstation interface {
	// Status says whether a practice exists here and its name.
	Status(ctx context.Context) (WorkstationStatus, error)
	// CreatePractice creates the practice, its data key and first
	// administrator, and signs that administrator in. recoveryKey is the
	// age identity that also unwraps the data key: shown once, to be printed.
	CreatePractice(ctx context.Context, p NewPractice) (s Session, recoveryKey string, err error)
	// SignIn unwraps the practice key with the user's passphrase, builds the
	// patient index, and returns the session. Failures are audited; repeated
	// failures are throttled (EUNAUTHORIZED with the wait in the message).
	SignIn(ctx context.Context, username, passphrase string) (Session, error)
	// RecoverPassphrase sets a new passphrase for username using the
	// practice recovery key, for a user who forgot theirs.
	RecoverPassphrase(ctx context.Context, recoveryKey, username, newPassphrase string) error
	// Close closes the store.
	Close() error
}

// Session is one signed-in user's view of the chart. It holds the unwrapped
// practice key and the decrypted patient index; Lock drops both. Every
// method checks the user's role and writes the audit log.
type Session interface {
	User() User
	Practice() Practice
	// Lock audits the lock, zeroes the key and drops the index. The session
	// is unusable afterwards (ELOCKED).
	Lock(ctx context.Context) error

	PatientService
	UserService
	AuditService
	ChartService
}

// PatientService registers, edits and finds patients.
type PatientService interface {
	// RegisterPatient validates and stores a new patient (MRN generated when
	// empty). Version starts at 1.
	RegisterPatient(ctx context.Context, p Patient) (Patient, error)
	// UpdatePatient stores a new version. p.Version must be the version the
	// edit was based on, else ECONFLICT.
	UpdatePatient(ctx context.Context, p Patient) (Patient, error)
	// OpenPatient returns the current version and audits a chart open.
	OpenPatient(ctx context.Context, id PatientID) (Patient, error)
	// PatientHistory returns every version, newest first.
	PatientHistory(ctx context.Context, id PatientID) ([]PatientVersion, error)
	// SearchPatients matches any part of a name, the date of birth, phone or
	// MRN from the in-memory index. An empty query lists recent patients.
	SearchPatients(ctx context.Context, query string, limit int) ([]PatientSummary, error)
	// FindPatients is SearchPatients that also says how many patients
	// matched in all, so a list cut at limit can say so.
	FindPatients(ctx context.Context, query string, limit int) (PatientSearch, error)
	// DuplicateCandidates lists existing patients that look like p.
	DuplicateCandidates(ctx context.Context, p Patient) ([]DuplicateCandidate, error)
	// DateOrder is how this practice writes numeric dates (the patient
	// form reads a typed date of birth in it).
	DateOrder(ctx context.Context) (DateOrder, error)
}

// UserService administers staff accounts and the practice's settings.
type UserService interface {
	Users(ctx context.Context) ([]User, error)
	AddUser(ctx context.Context, u NewUser) (User, error)
	SetUserActive(ctx context.Context, id UserID, active bool) (User, error)
	ResetPassphrase(ctx context.Context, id UserID, newPassphrase string) error
	ChangeOwnPassphrase(ctx context.Context, oldPassphrase, newPassphrase string) error
	SetIdleLockMinutes(ctx context.Context, minutes int) (Practice, error)
	// SetSyncWarnDays sets after how many days without a sync workstations
	// warn (administrators; audited; syncs to every workstation).
	SetSyncWarnDays(ctx context.Context, days int) (Practice, error)
	// SetRegistryTargets sets the chronic-care registries' targets
	// (administrators; audited; syncs to every workstation).
	SetRegistryTargets(ctx context.Context, r RegistryTargets) (Practice, error)
	// SetUserRole changes a user's role (administrators; audited; syncs).
	// Nobody changes their own role, and the last active administrator
	// keeps theirs. It applies from the user's next sign-in.
	SetUserRole(ctx context.Context, id UserID, role Role) (User, error)
	// SetUserCredentials sets a user's licence number and NPI: an
	// administrator for anyone, every user for themselves.
	SetUserCredentials(ctx context.Context, id UserID, c Credentials) (User, error)
	// OwnProfile is the signed-in user with their name and credentials as
	// stored now (changed since sign-in, here or by sync, included).
	OwnProfile(ctx context.Context) (User, error)
	// SetPracticeContact sets the practice's address and phone
	// (administrators; audited; syncs to every workstation).
	SetPracticeContact(ctx context.Context, c PracticeContact) (Practice, error)
}

// AuditService reads and verifies the audit log (administrators only).
type AuditService interface {
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	VerifyAudit(ctx context.Context) (AuditVerification, error)
}
