package chart

import (
	"time"
)

// RecordID identifies one clinical record (an encounter, a note, an
// allergy…). Like every id it is a UUIDv7 string.
type RecordID string

// NewRecordID returns a fresh record id.
func NewRecordID() RecordID { return RecordID(newV7()) }

// Kinds of clinical record. The kind is kept in clear beside the sealed
// content so the store can index by it; it reveals no health data.
const (
	KindEncounter    = "encounter"
	KindNote         = "note"
	KindProblem      = "problem"
	KindMedication   = "medication"
	KindAllergy      = "allergy"
	KindVitals       = "vitals"
	KindResult       = "result"
	KindImmunization = "immunization"
	KindAttachment   = "attachment"
	KindChartFlags   = "chart-flags"
	KindTemplate     = "template"
	KindProcedure    = "procedure"
	// KindSourceDocument holds the original resources of an import,
	// sealed with the patient (import.go).
	KindSourceDocument = "source-document"
)

// Coded is a coded concept with a free-text fallback: System is a FHIR
// system URI (ICD-10-CM, RxNorm, CVX, LOINC) or empty for free text.
type Coded struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

// Code systems, as FHIR names them.
const (
	SystemICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
	SystemRxNorm  = "http://www.nlm.nih.gov/research/umls/rxnorm"
	SystemCVX     = "http://hl7.org/fhir/sid/cvx"
	SystemLOINC   = "http://loinc.org"
	// SystemSNOMED names SNOMED CT, used for the few fixed codes of
	// smoking and pregnancy status (see history.go for the licence).
	SystemSNOMED = "http://snomed.info/sct"
)

// Meta is what every clinical record carries besides its content. The store
// sets it; input values are ignored except ID and Version on update.
type Meta struct {
	ID        RecordID  `json:"id"`
	PatientID PatientID `json:"patientId"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy UserID    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy UserID    `json:"updatedBy"`
	// EnteredInError marks a record that should never have been written.
	// Clinical records are never deleted; this hides them from the current
	// chart but keeps them in history.
	EnteredInError *EnteredInError `json:"enteredInError,omitempty"`
	// Damaged is set on a placeholder: a record that could not be opened
	// (altered on disk, or sealed under a key this workstation does not
	// hold) comes back in its list with only its ids, version and this
	// message, so one damaged record never hides the rest. The store sets
	// it when reading and never seals or saves it.
	Damaged string `json:"damaged,omitempty"`
	// Origin names where a record imported from outside came from (see
	// import.go); nil for records charted here. (Not "source": medications
	// and immunizations already have a Source of their own.)
	Origin *SourceRef `json:"origin,omitempty"`
}

// IsDamaged reports whether m is a placeholder for a record that could not
// be opened.
func (m *Meta) IsDamaged() bool { return m.Damaged != "" }

// EnteredInError records who retracted a record, when, and why.
type EnteredInError struct {
	At     time.Time `json:"at"`
	By     UserID    `json:"by"`
	ByName string    `json:"byName"`
	Reason string    `json:"reason"`
}

// EncounterType is how the patient was seen.
type EncounterType string

const (
	EncounterOffice     EncounterType = "office"
	EncounterHome       EncounterType = "home"
	EncounterTelephone  EncounterType = "telephone"
	EncounterTelehealth EncounterType = "telehealth"
	// EncounterOther is an imported contact Outpost does not book itself
	// (an emergency visit, a hospital stay); Class and TypeText say which.
	EncounterOther EncounterType = "other"
)

// Encounter is one contact with the patient.
type Encounter struct {
	Meta
	Type EncounterType `json:"type"`
	// Start is local date and time, "YYYY-MM-DDTHH:MM".
	Start         string  `json:"start"`
	Location      string  `json:"location"` // for a home visit: where
	ClinicianID   UserID  `json:"clinicianId"`
	ClinicianName string  `json:"clinicianName"`
	Reason        string  `json:"reason"`
	Diagnoses     []Coded `json:"diagnoses"`
	// End, Class and TypeText come from imported encounters: the FHIR
	// encounter class (AMB, HH, VR, EMER, IMP…) and the type as the source
	// named it ("General examination of patient"). End is "YYYY-MM-DDTHH:MM".
	End      string `json:"end,omitempty"`
	Class    string `json:"class,omitempty"`
	TypeText string `json:"typeText,omitempty"`
}

// NoteKind decides who may sign a note.
type NoteKind string

const (
	NoteClinical NoteKind = "clinical" // signed by clinicians
	NoteNursing  NoteKind = "nursing"  // signed by nurses (or clinicians)
)

// NoteSection is one part of a note (Subjective, Objective, …).
type NoteSection struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// Note is a clinical or nursing note. A draft may be edited; a signed note
// is immutable, and corrections are addenda (notes with AddendumTo set).
type Note struct {
	Meta
	EncounterID RecordID      `json:"encounterId"`
	TemplateID  string        `json:"templateId"`
	Kind        NoteKind      `json:"kind"`
	Title       string        `json:"title"`
	Sections    []NoteSection `json:"sections"`
	AuthorID    UserID        `json:"authorId"`
	AuthorName  string        `json:"authorName"`
	AddendumTo  RecordID      `json:"addendumTo,omitempty"`
	Signature   *Signature    `json:"signature,omitempty"`
	// Imported is set on a note brought in from outside: it arrives signed
	// and read-only, naming its source and its author there.
	Imported *ImportedNote `json:"imported,omitempty"`
}

// Signature is the mark of a signed note: who, when, and a hash of exactly
// what was signed.
type Signature struct {
	SignerID    UserID    `json:"signerId"`
	SignerName  string    `json:"signerName"`
	SignerRole  Role      `json:"signerRole"`
	SignedAt    time.Time `json:"signedAt"`
	ContentHash string    `json:"contentHash"` // hex SHA-256 of the canonical note content
}

// Signed reports whether the note is signed (and so immutable).
func (n *Note) Signed() bool { return n.Signature != nil }

// Template is a note template. Templates are data: the built-in ones ship
// with Outpost, and a practice can add its own.
type Template struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Kind     NoteKind          `json:"kind"`
	Sections []TemplateSection `json:"sections"`
	BuiltIn  bool              `json:"builtIn"`
}

// TemplateSection is a section of a template, with a prompt shown while
// writing.
type TemplateSection struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Prompt string `json:"prompt"`
	// Text is the section's starting text. Its placeholders ({{vitals}},
	// see placeholders.go) are filled in from the chart when a note is
	// started, as text the writer may edit.
	Text string `json:"text,omitempty"`
}

// ProblemStatus is where a problem stands.
type ProblemStatus string

const (
	ProblemActive   ProblemStatus = "active"
	ProblemInactive ProblemStatus = "inactive"
	ProblemResolved ProblemStatus = "resolved"
)

// Problem is an entry of the problem list.
type Problem struct {
	Meta
	Condition Coded         `json:"condition"` // ICD-10-CM or free text
	Onset     string        `json:"onset"`     // YYYY-MM-DD, YYYY-MM or YYYY; optional
	Status    ProblemStatus `json:"status"`
	Chronic   bool          `json:"chronic"`
	Comment   string        `json:"comment"`
	// Abatement (a date, as Onset) and Verification (unconfirmed |
	// provisional | differential | confirmed | refuted) come from imports.
	Abatement    string `json:"abatement,omitempty"`
	Verification string `json:"verification,omitempty"`
}

// MedicationStatus is where a medication stands.
type MedicationStatus string

const (
	MedActive    MedicationStatus = "active"
	MedCompleted MedicationStatus = "completed"
	MedStopped   MedicationStatus = "stopped"
)

// MedicationSource says whether the practice prescribed it or the patient
// reported taking it.
type MedicationSource string

const (
	MedPrescribedHere  MedicationSource = "prescribed"
	MedPatientReported MedicationSource = "reported"
)

// Medication is an entry of the medication list.
type Medication struct {
	Meta
	Drug           Coded            `json:"drug"` // RxNorm when known
	Dose           string           `json:"dose"`
	Unit           string           `json:"unit"`
	Route          string           `json:"route"`
	Frequency      string           `json:"frequency"`
	Instructions   string           `json:"instructions"`
	Quantity       string           `json:"quantity"`
	Refills        int              `json:"refills"`
	StartDate      string           `json:"startDate"`
	StopDate       string           `json:"stopDate"`
	Status         MedicationStatus `json:"status"`
	StopReason     string           `json:"stopReason"`
	Source         MedicationSource `json:"source"`
	PrescriberID   UserID           `json:"prescriberId"`
	PrescriberName string           `json:"prescriberName"`
	// Override is set when a safety alert was overridden to save this.
	Override *SafetyOverride `json:"override,omitempty"`
	// DaysSupply is how many days the quantity lasts (or the course runs);
	// 0 when not given.
	DaysSupply int `json:"daysSupply,omitempty"`
	// EncounterID is the visit at which it was started, if any.
	EncounterID RecordID `json:"encounterId,omitempty"`
	// RenewalOf is the prescription this one renews; RenewedBy, on that
	// one, the renewal. The store sets both (RenewMedication).
	RenewalOf RecordID `json:"renewalOf,omitempty"`
	RenewedBy RecordID `json:"renewedBy,omitempty"`
	// Reconciled* record the last time the medication was reviewed with
	// the patient (ReconcileMedications); the store sets them.
	ReconciledAt     *time.Time `json:"reconciledAt,omitempty"`
	ReconciledBy     UserID     `json:"reconciledBy,omitempty"`
	ReconciledByName string     `json:"reconciledByName,omitempty"`
}

// SafetyOverride keeps what was overridden, by whom and why.
type SafetyOverride struct {
	Alerts []SafetyAlert `json:"alerts"`
	Reason string        `json:"reason"`
	By     UserID        `json:"by"`
	ByName string        `json:"byName"`
	At     time.Time     `json:"at"`
}

// Allergy is an allergy or intolerance.
type Allergy struct {
	Meta
	Substance    Coded  `json:"substance"`
	Type         string `json:"type"`         // allergy | intolerance
	Reaction     string `json:"reaction"`     // e.g. "hives"
	Severity     string `json:"severity"`     // mild | moderate | severe
	Criticality  string `json:"criticality"`  // low | high | unable-to-assess
	Verification string `json:"verification"` // unconfirmed | confirmed | refuted
	Onset        string `json:"onset"`
	Comment      string `json:"comment"`
}

// AllergyStatus distinguishes "no known allergies" from "never asked".
type AllergyStatus string

const (
	AllergiesNotAsked AllergyStatus = "not-asked"
	AllergiesNone     AllergyStatus = "none-known"
	AllergiesListed   AllergyStatus = "listed"
	// AllergiesUnreadable: an allergy record (or the chart's "no known
	// allergies" statement) could not be opened and none other is listed,
	// so the chart cannot say whether the patient has allergies.
	AllergiesUnreadable AllergyStatus = "unreadable"
)

// ChartFlags are per-patient statements about lists as a whole.
type ChartFlags struct {
	Meta
	NoKnownAllergies bool `json:"noKnownAllergies"`
	NoKnownProblems  bool `json:"noKnownProblems"`
}

// Result is a lab result entered by hand.
type Result struct {
	Meta
	Test          Coded      `json:"test"` // LOINC when known
	Value         string     `json:"value"`
	Unit          string     `json:"unit"`
	RefLow        string     `json:"refLow"`
	RefHigh       string     `json:"refHigh"`
	RefText       string     `json:"refText"`
	Flag          string     `json:"flag"` // normal | low | high | critical | abnormal
	CollectedAt   string     `json:"collectedAt"`
	ResultedAt    string     `json:"resultedAt"`
	AttachmentIDs []RecordID `json:"attachmentIds"`
	ReviewedBy    UserID     `json:"reviewedBy,omitempty"`
	ReviewedName  string     `json:"reviewedName,omitempty"`
	ReviewedAt    *time.Time `json:"reviewedAt,omitempty"`
	// EncounterID is the visit at which the test was ordered, if any.
	EncounterID RecordID `json:"encounterId,omitempty"`
	// ReportID groups the results of one report (a lab panel) under the
	// report's name; Performer is the lab that reported it. Both come with
	// results from outside (Meta.Source says from where).
	ReportID   RecordID `json:"reportId,omitempty"`
	ReportName string   `json:"reportName,omitempty"`
	Performer  string   `json:"performer,omitempty"`
}

// Attachment is a scanned report (PDF or image), sealed like everything else.
type Attachment struct {
	Meta
	FileName  string `json:"fileName"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

// Immunization is a vaccine given, recorded from history, or refused.
type Immunization struct {
	Meta
	Vaccine       Coded  `json:"vaccine"` // CVX
	Date          string `json:"date"`
	DoseNumber    int    `json:"doseNumber"`
	Lot           string `json:"lot"`
	Expiry        string `json:"expiry"`
	Manufacturer  string `json:"manufacturer"`
	Site          string `json:"site"`
	Route         string `json:"route"`
	GivenBy       string `json:"givenBy"`
	Source        string `json:"source"` // given | historical
	Refused       bool   `json:"refused"`
	RefusalReason string `json:"refusalReason"`
	// ExpiredLotReason is why a dose dated after its lot's expiry was
	// recorded anyway: the warning is overridden only with a stated reason,
	// which stays with the record. Cleared when the dates do not conflict.
	ExpiredLotReason string `json:"expiredLotReason,omitempty"`
}

// VitalsRecord is one set of vitals as charted.
type VitalsRecord struct {
	Meta
	EncounterID RecordID    `json:"encounterId,omitempty"`
	TakenAt     string      `json:"takenAt"` // local "YYYY-MM-DDTHH:MM"
	Signs       VitalSigns  `json:"signs"`   // canonical UCUM units
	Flags       []VitalFlag `json:"flags"`
	TakenBy     UserID      `json:"takenBy"`
	TakenByName string      `json:"takenByName"`
}

// TimelineItem is one line of the chart's timeline.
type TimelineItem struct {
	Kind   string   `json:"kind"` // encounter | note
	ID     RecordID `json:"id"`
	At     string   `json:"at"` // local "YYYY-MM-DDTHH:MM" (or date)
	Title  string   `json:"title"`
	Detail string   `json:"detail"`
	Status string   `json:"status"` // draft | signed | …
	// Damaged is set (with Kind and ID only) for an encounter or note that
	// could not be opened; see Meta.Damaged.
	Damaged string `json:"damaged,omitempty"`
}

// ChartSummary is what opening a patient shows at once.
type ChartSummary struct {
	Patient         Patient       `json:"patient"`
	AllergyStatus   AllergyStatus `json:"allergyStatus"`
	Allergies       []Allergy     `json:"allergies"`
	NoKnownProblems bool          `json:"noKnownProblems"`
	Problems        []Problem     `json:"problems"`    // active first
	Medications     []Medication  `json:"medications"` // active
	LatestVitals    *VitalsRecord `json:"latestVitals,omitempty"`
	// DamagedVitals is the placeholder of a vitals set that could not be
	// opened and was charted after LatestVitals, so may be the latest.
	DamagedVitals   *VitalsRecord  `json:"damagedVitals,omitempty"`
	Immunizations   []Immunization `json:"immunizations"`
	Timeline        []TimelineItem `json:"timeline"` // newest first
	ResultsToReview []Result       `json:"resultsToReview"`
	// OpenEncounter is today's visit still open (OpenEncounter in
	// visits.go): what vitals, medications, results and notes charted now
	// belong to by default.
	OpenEncounter *Encounter `json:"openEncounter,omitempty"`
	// SocialHistory and Pregnancy are the latest of each (by date).
	SocialHistory *SocialHistory   `json:"socialHistory,omitempty"`
	Pregnancy     *PregnancyStatus `json:"pregnancy,omitempty"`
	// PregnancyRelevant: a woman of child-bearing age (PregnancyRelevant),
	// whose pregnancy status matters to prescribing.
	PregnancyRelevant bool `json:"pregnancyRelevant"`
}

// RecordVersion is one version of any clinical record, for history views.
type RecordVersion struct {
	// ChangeID tells versions apart: two workstations that edit a record
	// before they sync both write the same next version number
	// (Concurrent), each on its own workstation (DeviceName, "" for this
	// one).
	ChangeID      ChangeID  `json:"changeId"`
	Version       int64     `json:"version"`
	Concurrent    bool      `json:"concurrent"`
	DeviceName    string    `json:"deviceName"`
	ChangedAt     time.Time `json:"changedAt"`
	ChangedBy     UserID    `json:"changedBy"`
	ChangedByName string    `json:"changedByName"`
	// Content is the record at that version, as JSON.
	Content string `json:"content"`
}
