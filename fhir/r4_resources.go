package fhir

import "encoding/json"

// The R4 resources Outpost maps, with the elements it reads or writes.
// Choice elements ([x]) are spelled out as the variants Outpost handles.

type Patient struct {
	DomainResource
	Identifier           []Identifier     `json:"identifier,omitempty"`
	Active               *bool            `json:"active,omitempty"`
	Name                 []HumanName      `json:"name,omitempty"`
	Telecom              []ContactPoint   `json:"telecom,omitempty"`
	Gender               string           `json:"gender,omitempty"`
	BirthDate            string           `json:"birthDate,omitempty"`
	DeceasedBoolean      *bool            `json:"deceasedBoolean,omitempty"`
	DeceasedDateTime     string           `json:"deceasedDateTime,omitempty"`
	Address              []Address        `json:"address,omitempty"`
	MaritalStatus        *CodeableConcept `json:"maritalStatus,omitempty"`
	Contact              []PatientContact `json:"contact,omitempty"`
	Communication        []Communication  `json:"communication,omitempty"`
	GeneralPractitioner  []Reference      `json:"generalPractitioner,omitempty"`
	ManagingOrganization *Reference       `json:"managingOrganization,omitempty"`
}

type PatientContact struct {
	Relationship []CodeableConcept `json:"relationship,omitempty"`
	Name         *HumanName        `json:"name,omitempty"`
	Telecom      []ContactPoint    `json:"telecom,omitempty"`
	Address      *Address          `json:"address,omitempty"`
}

type Communication struct {
	Language  CodeableConcept `json:"language"`
	Preferred *bool           `json:"preferred,omitempty"`
}

type Encounter struct {
	DomainResource
	Identifier      []Identifier           `json:"identifier,omitempty"`
	Status          string                 `json:"status"`
	Class           Coding                 `json:"class"`
	Type            []CodeableConcept      `json:"type,omitempty"`
	Subject         *Reference             `json:"subject,omitempty"`
	Participant     []EncounterParticipant `json:"participant,omitempty"`
	Period          *Period                `json:"period,omitempty"`
	ReasonCode      []CodeableConcept      `json:"reasonCode,omitempty"`
	ReasonReference []Reference            `json:"reasonReference,omitempty"`
	Diagnosis       []EncounterDiagnosis   `json:"diagnosis,omitempty"`
	Location        []EncounterLocation    `json:"location,omitempty"`
	ServiceProvider *Reference             `json:"serviceProvider,omitempty"`
	Hospitalization *struct {
		DischargeDisposition *CodeableConcept `json:"dischargeDisposition,omitempty"`
	} `json:"hospitalization,omitempty"`
}

type EncounterParticipant struct {
	Type       []CodeableConcept `json:"type,omitempty"`
	Period     *Period           `json:"period,omitempty"`
	Individual *Reference        `json:"individual,omitempty"`
}

type EncounterDiagnosis struct {
	Condition Reference        `json:"condition"`
	Use       *CodeableConcept `json:"use,omitempty"`
	Rank      int              `json:"rank,omitempty"`
}

type EncounterLocation struct {
	Location Reference `json:"location"`
}

type Condition struct {
	DomainResource
	Identifier         []Identifier      `json:"identifier,omitempty"`
	ClinicalStatus     *CodeableConcept  `json:"clinicalStatus,omitempty"`
	VerificationStatus *CodeableConcept  `json:"verificationStatus,omitempty"`
	Category           []CodeableConcept `json:"category,omitempty"`
	Severity           *CodeableConcept  `json:"severity,omitempty"`
	Code               *CodeableConcept  `json:"code,omitempty"`
	Subject            Reference         `json:"subject"`
	Encounter          *Reference        `json:"encounter,omitempty"`
	OnsetDateTime      string            `json:"onsetDateTime,omitempty"`
	OnsetString        string            `json:"onsetString,omitempty"`
	AbatementDateTime  string            `json:"abatementDateTime,omitempty"`
	AbatementString    string            `json:"abatementString,omitempty"`
	RecordedDate       string            `json:"recordedDate,omitempty"`
	Recorder           *Reference        `json:"recorder,omitempty"`
	Note               []Annotation      `json:"note,omitempty"`
}

type Dosage struct {
	Sequence           int              `json:"sequence,omitempty"`
	Text               string           `json:"text,omitempty"`
	PatientInstruction string           `json:"patientInstruction,omitempty"`
	Timing             *Timing          `json:"timing,omitempty"`
	AsNeededBoolean    *bool            `json:"asNeededBoolean,omitempty"`
	Route              *CodeableConcept `json:"route,omitempty"`
	DoseAndRate        []DoseAndRate    `json:"doseAndRate,omitempty"`
}

type Timing struct {
	Repeat *TimingRepeat    `json:"repeat,omitempty"`
	Code   *CodeableConcept `json:"code,omitempty"`
}

type TimingRepeat struct {
	Frequency  int         `json:"frequency,omitempty"`
	Period     json.Number `json:"period,omitempty"`
	PeriodUnit string      `json:"periodUnit,omitempty"`
}

type DoseAndRate struct {
	DoseQuantity *Quantity `json:"doseQuantity,omitempty"`
}

type MedicationRequest struct {
	DomainResource
	Identifier                []Identifier      `json:"identifier,omitempty"`
	Status                    string            `json:"status"`
	StatusReason              *CodeableConcept  `json:"statusReason,omitempty"`
	Intent                    string            `json:"intent"`
	Category                  []CodeableConcept `json:"category,omitempty"`
	ReportedBoolean           *bool             `json:"reportedBoolean,omitempty"`
	MedicationCodeableConcept *CodeableConcept  `json:"medicationCodeableConcept,omitempty"`
	MedicationReference       *Reference        `json:"medicationReference,omitempty"`
	Subject                   Reference         `json:"subject"`
	Encounter                 *Reference        `json:"encounter,omitempty"`
	AuthoredOn                string            `json:"authoredOn,omitempty"`
	Requester                 *Reference        `json:"requester,omitempty"`
	ReasonCode                []CodeableConcept `json:"reasonCode,omitempty"`
	ReasonReference           []Reference       `json:"reasonReference,omitempty"`
	Note                      []Annotation      `json:"note,omitempty"`
	DosageInstruction         []Dosage          `json:"dosageInstruction,omitempty"`
	DispenseRequest           *DispenseRequest  `json:"dispenseRequest,omitempty"`
	PriorPrescription         *Reference        `json:"priorPrescription,omitempty"`
}

type DispenseRequest struct {
	ValidityPeriod         *Period   `json:"validityPeriod,omitempty"`
	NumberOfRepeatsAllowed *int      `json:"numberOfRepeatsAllowed,omitempty"`
	Quantity               *Quantity `json:"quantity,omitempty"`
	ExpectedSupplyDuration *Quantity `json:"expectedSupplyDuration,omitempty"`
}

type MedicationStatement struct {
	DomainResource
	Identifier                []Identifier      `json:"identifier,omitempty"`
	Status                    string            `json:"status"`
	MedicationCodeableConcept *CodeableConcept  `json:"medicationCodeableConcept,omitempty"`
	MedicationReference       *Reference        `json:"medicationReference,omitempty"`
	Subject                   Reference         `json:"subject"`
	Context                   *Reference        `json:"context,omitempty"`
	EffectiveDateTime         string            `json:"effectiveDateTime,omitempty"`
	EffectivePeriod           *Period           `json:"effectivePeriod,omitempty"`
	DateAsserted              string            `json:"dateAsserted,omitempty"`
	InformationSource         *Reference        `json:"informationSource,omitempty"`
	ReasonCode                []CodeableConcept `json:"reasonCode,omitempty"`
	Note                      []Annotation      `json:"note,omitempty"`
	Dosage                    []Dosage          `json:"dosage,omitempty"`
}

// Medication is read only to resolve a MedicationRequest's
// medicationReference (Synthea and US Core both use it).
type Medication struct {
	DomainResource
	Code *CodeableConcept `json:"code,omitempty"`
}

type AllergyIntolerance struct {
	DomainResource
	Identifier         []Identifier      `json:"identifier,omitempty"`
	ClinicalStatus     *CodeableConcept  `json:"clinicalStatus,omitempty"`
	VerificationStatus *CodeableConcept  `json:"verificationStatus,omitempty"`
	Type               string            `json:"type,omitempty"`
	Category           []string          `json:"category,omitempty"`
	Criticality        string            `json:"criticality,omitempty"`
	Code               *CodeableConcept  `json:"code,omitempty"`
	Patient            Reference         `json:"patient"`
	Encounter          *Reference        `json:"encounter,omitempty"`
	OnsetDateTime      string            `json:"onsetDateTime,omitempty"`
	OnsetString        string            `json:"onsetString,omitempty"`
	RecordedDate       string            `json:"recordedDate,omitempty"`
	Recorder           *Reference        `json:"recorder,omitempty"`
	Note               []Annotation      `json:"note,omitempty"`
	Reaction           []AllergyReaction `json:"reaction,omitempty"`
}

type AllergyReaction struct {
	Substance     *CodeableConcept  `json:"substance,omitempty"`
	Manifestation []CodeableConcept `json:"manifestation"`
	Description   string            `json:"description,omitempty"`
	Onset         string            `json:"onset,omitempty"`
	Severity      string            `json:"severity,omitempty"`
}

type Observation struct {
	DomainResource
	Identifier           []Identifier           `json:"identifier,omitempty"`
	Status               string                 `json:"status"`
	Category             []CodeableConcept      `json:"category,omitempty"`
	Code                 CodeableConcept        `json:"code"`
	Subject              *Reference             `json:"subject,omitempty"`
	Encounter            *Reference             `json:"encounter,omitempty"`
	EffectiveDateTime    string                 `json:"effectiveDateTime,omitempty"`
	EffectivePeriod      *Period                `json:"effectivePeriod,omitempty"`
	Issued               string                 `json:"issued,omitempty"`
	Performer            []Reference            `json:"performer,omitempty"`
	ValueQuantity        *Quantity              `json:"valueQuantity,omitempty"`
	ValueCodeableConcept *CodeableConcept       `json:"valueCodeableConcept,omitempty"`
	ValueString          *string                `json:"valueString,omitempty"`
	ValueBoolean         *bool                  `json:"valueBoolean,omitempty"`
	ValueInteger         *int                   `json:"valueInteger,omitempty"`
	ValueRange           *Range                 `json:"valueRange,omitempty"`
	ValueRatio           *Ratio                 `json:"valueRatio,omitempty"`
	ValueDateTime        string                 `json:"valueDateTime,omitempty"`
	DataAbsentReason     *CodeableConcept       `json:"dataAbsentReason,omitempty"`
	Interpretation       []CodeableConcept      `json:"interpretation,omitempty"`
	Note                 []Annotation           `json:"note,omitempty"`
	BodySite             *CodeableConcept       `json:"bodySite,omitempty"`
	Method               *CodeableConcept       `json:"method,omitempty"`
	Specimen             *Reference             `json:"specimen,omitempty"`
	ReferenceRange       []ReferenceRange       `json:"referenceRange,omitempty"`
	HasMember            []Reference            `json:"hasMember,omitempty"`
	DerivedFrom          []Reference            `json:"derivedFrom,omitempty"`
	Component            []ObservationComponent `json:"component,omitempty"`
}

type ReferenceRange struct {
	Low  *Quantity        `json:"low,omitempty"`
	High *Quantity        `json:"high,omitempty"`
	Type *CodeableConcept `json:"type,omitempty"`
	Text string           `json:"text,omitempty"`
}

type ObservationComponent struct {
	Code                 CodeableConcept   `json:"code"`
	ValueQuantity        *Quantity         `json:"valueQuantity,omitempty"`
	ValueCodeableConcept *CodeableConcept  `json:"valueCodeableConcept,omitempty"`
	ValueString          *string           `json:"valueString,omitempty"`
	ValueDateTime        string            `json:"valueDateTime,omitempty"`
	DataAbsentReason     *CodeableConcept  `json:"dataAbsentReason,omitempty"`
	Interpretation       []CodeableConcept `json:"interpretation,omitempty"`
	ReferenceRange       []ReferenceRange  `json:"referenceRange,omitempty"`
}

type DiagnosticReport struct {
	DomainResource
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Code              CodeableConcept   `json:"code"`
	Subject           *Reference        `json:"subject,omitempty"`
	Encounter         *Reference        `json:"encounter,omitempty"`
	EffectiveDateTime string            `json:"effectiveDateTime,omitempty"`
	EffectivePeriod   *Period           `json:"effectivePeriod,omitempty"`
	Issued            string            `json:"issued,omitempty"`
	Performer         []Reference       `json:"performer,omitempty"`
	Result            []Reference       `json:"result,omitempty"`
	Conclusion        string            `json:"conclusion,omitempty"`
	PresentedForm     []Attachment      `json:"presentedForm,omitempty"`
}

type Immunization struct {
	DomainResource
	Identifier         []Identifier            `json:"identifier,omitempty"`
	Status             string                  `json:"status"`
	StatusReason       *CodeableConcept        `json:"statusReason,omitempty"`
	VaccineCode        CodeableConcept         `json:"vaccineCode"`
	Patient            Reference               `json:"patient"`
	Encounter          *Reference              `json:"encounter,omitempty"`
	OccurrenceDateTime string                  `json:"occurrenceDateTime,omitempty"`
	OccurrenceString   string                  `json:"occurrenceString,omitempty"`
	Recorded           string                  `json:"recorded,omitempty"`
	PrimarySource      *bool                   `json:"primarySource,omitempty"`
	Manufacturer       *Reference              `json:"manufacturer,omitempty"`
	LotNumber          string                  `json:"lotNumber,omitempty"`
	ExpirationDate     string                  `json:"expirationDate,omitempty"`
	Site               *CodeableConcept        `json:"site,omitempty"`
	Route              *CodeableConcept        `json:"route,omitempty"`
	DoseQuantity       *Quantity               `json:"doseQuantity,omitempty"`
	Performer          []ImmunizationPerformer `json:"performer,omitempty"`
	Note               []Annotation            `json:"note,omitempty"`
	ProtocolApplied    []ImmunizationProtocol  `json:"protocolApplied,omitempty"`
}

type ImmunizationPerformer struct {
	Function *CodeableConcept `json:"function,omitempty"`
	Actor    Reference        `json:"actor"`
}

type ImmunizationProtocol struct {
	DoseNumberPositiveInt int    `json:"doseNumberPositiveInt,omitempty"`
	DoseNumberString      string `json:"doseNumberString,omitempty"`
}

type DocumentReference struct {
	DomainResource
	Identifier    []Identifier        `json:"identifier,omitempty"`
	Status        string              `json:"status"`
	DocStatus     string              `json:"docStatus,omitempty"`
	RelatesTo     []DocumentRelatesTo `json:"relatesTo,omitempty"`
	Type          *CodeableConcept    `json:"type,omitempty"`
	Category      []CodeableConcept   `json:"category,omitempty"`
	Subject       *Reference          `json:"subject,omitempty"`
	Date          string              `json:"date,omitempty"`
	Author        []Reference         `json:"author,omitempty"`
	Authenticator *Reference          `json:"authenticator,omitempty"`
	Custodian     *Reference          `json:"custodian,omitempty"`
	Description   string              `json:"description,omitempty"`
	Content       []DocumentContent   `json:"content"`
	Context       *DocumentContext    `json:"context,omitempty"`
}

// DocumentRelatesTo links an addendum to the note it appends.
type DocumentRelatesTo struct {
	Code   string    `json:"code"` // replaces | transforms | signs | appends
	Target Reference `json:"target"`
}

type DocumentContent struct {
	Attachment Attachment `json:"attachment"`
	Format     *Coding    `json:"format,omitempty"`
}

type DocumentContext struct {
	Encounter []Reference `json:"encounter,omitempty"`
	Period    *Period     `json:"period,omitempty"`
}

type Procedure struct {
	DomainResource
	Identifier        []Identifier         `json:"identifier,omitempty"`
	Status            string               `json:"status"`
	Code              *CodeableConcept     `json:"code,omitempty"`
	Subject           Reference            `json:"subject"`
	Encounter         *Reference           `json:"encounter,omitempty"`
	PerformedDateTime string               `json:"performedDateTime,omitempty"`
	PerformedPeriod   *Period              `json:"performedPeriod,omitempty"`
	Performer         []ProcedurePerformer `json:"performer,omitempty"`
	Location          *Reference           `json:"location,omitempty"`
	ReasonCode        []CodeableConcept    `json:"reasonCode,omitempty"`
	ReasonReference   []Reference          `json:"reasonReference,omitempty"`
	BodySite          []CodeableConcept    `json:"bodySite,omitempty"`
	Note              []Annotation         `json:"note,omitempty"`
}

type ProcedurePerformer struct {
	Actor Reference `json:"actor"`
}

// Practitioner and Organization are read to name authors, prescribers,
// performers and labs; Outpost keeps their names, not the resources.
type Practitioner struct {
	DomainResource
	Identifier    []Identifier                `json:"identifier,omitempty"`
	Name          []HumanName                 `json:"name,omitempty"`
	Telecom       []ContactPoint              `json:"telecom,omitempty"`
	Address       []Address                   `json:"address,omitempty"`
	Qualification []PractitionerQualification `json:"qualification,omitempty"`
}

type PractitionerQualification struct {
	Code CodeableConcept `json:"code"`
}

type Organization struct {
	DomainResource
	Identifier []Identifier   `json:"identifier,omitempty"`
	Name       string         `json:"name,omitempty"`
	Telecom    []ContactPoint `json:"telecom,omitempty"`
	Address    []Address      `json:"address,omitempty"`
}

// Bundle is written whole on export; on import entries are streamed one by
// one (see Reader) rather than decoded into this.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitempty"`
	Meta         *Meta         `json:"meta,omitempty"`
	Identifier   *Identifier   `json:"identifier,omitempty"`
	Type         string        `json:"type"`
	Timestamp    string        `json:"timestamp,omitempty"`
	Total        *int          `json:"total,omitempty"`
	Entry        []BundleEntry `json:"entry,omitempty"`
}

type BundleEntry struct {
	FullURL  string          `json:"fullUrl,omitempty"`
	Resource json.RawMessage `json:"resource,omitempty"`
	Request  *BundleRequest  `json:"request,omitempty"`
}

type BundleRequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	IfNoneExist string `json:"ifNoneExist,omitempty"`
}

type Composition struct {
	DomainResource
	Identifier *Identifier          `json:"identifier,omitempty"`
	Status     string               `json:"status"`
	Type       CodeableConcept      `json:"type"`
	Subject    *Reference           `json:"subject,omitempty"`
	Date       string               `json:"date"`
	Author     []Reference          `json:"author"`
	Title      string               `json:"title"`
	Custodian  *Reference           `json:"custodian,omitempty"`
	Section    []CompositionSection `json:"section,omitempty"`
}

type CompositionSection struct {
	Title       string           `json:"title,omitempty"`
	Code        *CodeableConcept `json:"code,omitempty"`
	Text        *Narrative       `json:"text,omitempty"`
	Entry       []Reference      `json:"entry,omitempty"`
	EmptyReason *CodeableConcept `json:"emptyReason,omitempty"`
}
