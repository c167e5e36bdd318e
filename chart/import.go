package chart

import "time"

// SourceRef (Meta.Origin, Patient.Origin) is where an imported record came from: enough to tell a
// person ("from Synthea, Condition 3f2a…, imported 5 Dec 2026") and to
// make a second import of the same file add nothing.
type SourceRef struct {
	// System names the source as the import saw it: the file's
	// organisation or sender when known, else the file name.
	System string `json:"system"`
	// Type and ID are the FHIR resource type and id (or fullUrl when the
	// resource had no id).
	Type string `json:"type"`
	ID   string `json:"id"`
	// ImportID is the import run that brought it in (ImportReport.ID).
	ImportID   string    `json:"importId"`
	ImportedAt time.Time `json:"importedAt"`
	// External marks records that came from outside the practice (a lab,
	// a hospital): shown with their source wherever they are listed.
	External bool `json:"external,omitempty"`
}

// ImportedNote names the outside author of an imported note.
type ImportedNote struct {
	AuthorName   string `json:"authorName"`
	Organization string `json:"organization,omitempty"`
	// Date is when the source wrote it (YYYY-MM-DD or YYYY-MM-DDTHH:MM).
	Date string `json:"date"`
	// MediaType of the original content ("text/plain"; others are kept
	// only in the source document).
	MediaType string `json:"mediaType,omitempty"`
}

// Procedure is a procedure done to the patient, here or elsewhere.
type Procedure struct {
	Meta
	Code Coded `json:"code"` // SNOMED CT, CPT or free text
	// Status: completed | in-progress | not-done | stopped | unknown.
	Status string `json:"status"`
	// Performed and PerformedEnd are "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM".
	Performed    string   `json:"performed"`
	PerformedEnd string   `json:"performedEnd,omitempty"`
	EncounterID  RecordID `json:"encounterId,omitempty"`
	Reason       string   `json:"reason,omitempty"`
	Performer    string   `json:"performer,omitempty"`
	BodySite     string   `json:"bodySite,omitempty"`
	Comment      string   `json:"comment,omitempty"`
}

// SourceDocument keeps resources exactly as an import read them, sealed
// with the patient they belong to, so nothing Outpost could not map is
// lost and a later version can map more. Large imports are split into
// several documents (Part of Parts) so each stays a reasonable record.
type SourceDocument struct {
	Meta
	ImportID string `json:"importId"`
	File     string `json:"file"`
	Part     int    `json:"part"`
	Parts    int    `json:"parts"`
	// Types counts the resources held, by FHIR type.
	Types map[string]int `json:"types"`
	// NDJSON is one resource per line, as read.
	NDJSON string `json:"ndjson"`
}

// ImportedAttachment is a document (a PDF of a lab report) that arrives
// with imported results: its bytes, and which results it belongs to.
type ImportedAttachment struct {
	Attachment Attachment `json:"attachment"`
	Data       []byte     `json:"-"`
	ResultIDs  []RecordID `json:"resultIds"`
}

// PatientRecords is a patient's chart as a whole: what an export sends
// and what an import brings. On import it is one patient's share, mapped
// and ready for the store, which commits it whole or not at all; record
// ids are the importer's stable ids for each source resource (so a second
// import finds them) and PatientID is left empty in every record: the
// store fills it once it knows whether the patient is new or matched.
// On export it holds the current (not entered-in-error) records.
type PatientRecords struct {
	Patient          Patient              `json:"patient"`
	NoKnownAllergies bool                 `json:"noKnownAllergies,omitempty"`
	Encounters       []Encounter          `json:"encounters,omitempty"`
	Problems         []Problem            `json:"problems,omitempty"`
	Medications      []Medication         `json:"medications,omitempty"`
	Allergies        []Allergy            `json:"allergies,omitempty"`
	Vitals           []VitalsRecord       `json:"vitals,omitempty"`
	Results          []Result             `json:"results,omitempty"`
	Attachments      []ImportedAttachment `json:"attachments,omitempty"`
	Immunizations    []Immunization       `json:"immunizations,omitempty"`
	Notes            []Note               `json:"notes,omitempty"`
	Procedures       []Procedure          `json:"procedures,omitempty"`
	SocialHistory    []SocialHistory      `json:"socialHistory,omitempty"`
	FamilyHistory    []FamilyHistory      `json:"familyHistory,omitempty"`
	Pregnancy        []PregnancyStatus    `json:"pregnancy,omitempty"`
	Sources          []SourceDocument     `json:"sources,omitempty"`
}

// MatchKind says how an incoming patient was matched to a chart.
type MatchKind string

const (
	MatchNone       MatchKind = ""           // a new patient
	MatchIdentifier MatchKind = "identifier" // same system and value
	MatchNameBirth  MatchKind = "name-birth" // same names and birth date
	// MatchChosen: a person decided, from the match queue.
	MatchChosen MatchKind = "chosen"
)

// ImportOutcome is what the store did with one patient's PatientRecords.
type ImportOutcome struct {
	PatientID PatientID `json:"patientId"`
	Created   bool      `json:"created"`
	Match     MatchKind `json:"match,omitempty"`
	// Held is set when the match was uncertain: nothing was written and
	// the batch waits in the match queue (HeldImport) for a person.
	Held bool `json:"held,omitempty"`
	// Imported counts records written, by kind; AlreadyPresent those the
	// chart already held from an earlier import of the same source.
	Imported       map[string]int `json:"imported"`
	AlreadyPresent map[string]int `json:"alreadyPresent"`
	// Filled names the demographic fields of a matched chart that were
	// empty and now hold the incoming value; Kept those where the chart
	// already held another value, which was kept (what the practice
	// charted is never overwritten by an import).
	Filled []string `json:"filled,omitempty"`
	Kept   []string `json:"kept,omitempty"`
}

// HeldImport is an incoming patient whose match was uncertain, waiting for
// a person to say which chart it belongs to (or that it is new).
type HeldImport struct {
	ID         string           `json:"id"`
	ImportID   string           `json:"importId"`
	File       string           `json:"file"`
	HeldAt     time.Time        `json:"heldAt"`
	Incoming   PatientSummary   `json:"incoming"`
	Candidates []PatientSummary `json:"candidates"`
	Reason     string           `json:"reason"`
	Counts     map[string]int   `json:"counts"`
	LabResults bool             `json:"labResults,omitempty"`
}

// TypeCounts are the report's figures for one FHIR resource type in one
// file. Read = Imported + Merged + Skipped + Failed.
type TypeCounts struct {
	Read     int `json:"read"`
	Imported int `json:"imported"`
	// Merged: already in the chart (a matched patient, or a record from an
	// earlier import of the same source).
	Merged  int `json:"merged"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
	// SkipReasons and Errors explain Skipped and Failed, a line each (at
	// most a few dozen kept; the counts stay exact).
	SkipReasons map[string]int `json:"skipReasons,omitempty"`
	Errors      []string       `json:"errors,omitempty"`
}

// FileReport is one input file's part of the report.
type FileReport struct {
	Path   string                 `json:"path"`
	Format string                 `json:"format"` // bundle:<type> | ndjson
	Error  string                 `json:"error,omitempty"`
	Types  map[string]*TypeCounts `json:"types"`
	// Unresolved lists references no file of the import resolved.
	Unresolved []string `json:"unresolved,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
}

// ImportReport is the whole account of one import run, shown at the end,
// saved as JSON and kept in the audit log's detail by its id.
type ImportReport struct {
	ID         string        `json:"id"`
	StartedAt  time.Time     `json:"startedAt"`
	FinishedAt time.Time     `json:"finishedAt"`
	By         string        `json:"by"`
	Cancelled  bool          `json:"cancelled,omitempty"`
	Files      []*FileReport `json:"files"`
	Patients   struct {
		Created int `json:"created"`
		Matched int `json:"matched"`
		Held    int `json:"held"`
		Failed  int `json:"failed"`
	} `json:"patients"`
	// Totals sums Files by resource type.
	Totals   map[string]*TypeCounts `json:"totals"`
	Entries  int                    `json:"entries"`
	Seconds  float64                `json:"seconds"`
	PeakHeap uint64                 `json:"peakHeapBytes,omitempty"`
}

// ImportProgress is sent while an import runs.
type ImportProgress struct {
	File      string `json:"file"`
	FilesDone int    `json:"filesDone"`
	Files     int    `json:"files"`
	Entries   int    `json:"entries"`
	Patients  int    `json:"patients"`
	// BytesDone/Bytes drive the progress bar (compressed bytes read).
	BytesDone int64 `json:"bytesDone"`
	Bytes     int64 `json:"bytes"`
}

// ImportOptions tell the store how to treat one patient's records.
type ImportOptions struct {
	ImportID string
	File     string
	// Lab: results from outside; the patient must match an existing chart
	// (else the batch is held for a person), and no new chart is created.
	Lab bool
	// MatchTo, when set, is a person's choice from the match queue: merge
	// into this chart without matching.
	MatchTo PatientID
	// NewPatient, when set, is a person's choice that the incoming patient
	// is not any of the candidates.
	NewPatient bool
}
