package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"outpost/chart"
)

// chtDoc is one document of the PouchDB baseline's data set (node dump.js):
// a CHT `person` or a `data_record` whose form says what its fields hold.
type chtDoc struct {
	ID           string          `json:"_id"`
	Type         string          `json:"type"`
	Form         string          `json:"form"`
	Name         string          `json:"name"`
	Sex          string          `json:"sex"`
	DateOfBirth  string          `json:"date_of_birth"`
	PatientID    string          `json:"patient_id"`
	Phone        string          `json:"phone"`
	Address      chtAddress      `json:"address"`
	NextOfKin    chtKin          `json:"next_of_kin"`
	Fields       json.RawMessage `json:"fields"`
	ReportedDate int64           `json:"reported_date"`
}

type chtAddress struct{ Village, Household, Landmark string }

type chtKin struct{ Name, Relation, Phone string }

// chtFields is the union of the data_record forms' fields.
type chtFields struct {
	PatientID      string `json:"patient_id"`
	VisitType      string `json:"visit_type"`
	ChiefComplaint string `json:"chief_complaint"`
	Diagnosis      struct{ Code, Display string }
	Provider       string  `json:"provider"`
	Facility       string  `json:"facility"`
	Note           string  `json:"note"`
	Systolic       float64 `json:"systolic_bp"`
	Diastolic      float64 `json:"diastolic_bp"`
	HeartRate      float64 `json:"heart_rate"`
	RespRate       float64 `json:"respiratory_rate"`
	TempC          float64 `json:"temperature_c"`
	SpO2           float64 `json:"spo2_pct"`
	WeightKg       float64 `json:"weight_kg"`
	HeightCm       float64 `json:"height_cm"`
	Drug           string  `json:"drug"`
	Dose           string  `json:"dose"`
	Route          string  `json:"route"`
	Frequency      string  `json:"frequency"`
	Quantity       int     `json:"quantity"`
	Status         string  `json:"status"`
	Prescriber     string  `json:"prescriber"`
	StartDate      string  `json:"start_date"`
	Instructions   string  `json:"instructions"`
	Substance      string  `json:"substance"`
	Reaction       string  `json:"reaction"`
	Severity       string  `json:"severity"`
	Verification   string  `json:"verification"`
	RecordedBy     string  `json:"recorded_by"`
	Vaccine        string  `json:"vaccine"`
	DoseNumber     int     `json:"dose_number"`
	Lot            string  `json:"lot"`
	Site           string  `json:"site"`
	AdministeredBy string  `json:"administered_by"`
	DateGiven      string  `json:"date_administered"`
}

// readDataset calls fn for every document of the NDJSON data set, in order
// (a patient's person document comes before its records).
func readDataset(r io.Reader, fn func(d chtDoc, f chtFields, line int) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		var d chtDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return fmt.Errorf("data set line %d: %w", line, err)
		}
		var f chtFields
		if len(d.Fields) > 0 {
			if err := json.Unmarshal(d.Fields, &f); err != nil {
				return fmt.Errorf("data set line %d: fields: %w", line, err)
			}
		}
		if err := fn(d, f, line); err != nil {
			return fmt.Errorf("data set line %d (%s %s): %w", line, d.Type, d.Form, err)
		}
	}
	return sc.Err()
}

// The mapping from CHT shapes to Outpost's chart types. What has no place
// in Outpost's model is listed in droppedFields and reported.

var droppedFields = map[string]string{
	"person":       "national_id, blood_group, insurance, parent (CHT place hierarchy), reported_date",
	"encounter":    "contact (the reporting CHW; Outpost attributes to the signed-in user), patient_name (derived)",
	"vitals":       "measured_by, contact (TakenBy is the signed-in user)",
	"medication":   "contact",
	"allergy":      "recorded_by goes into comment; contact",
	"immunization": "contact",
}

func toPatient(d chtDoc) chart.Patient {
	given, family, _ := strings.Cut(d.Name, " ")
	return chart.Patient{
		MRN: d.PatientID, GivenName: given, FamilyName: family, BirthDate: d.DateOfBirth, Sex: chart.Sex(d.Sex),
		Phone:            d.Phone,
		Address:          chart.Address{Line1: d.Address.Household, City: d.Address.Village, Directions: d.Address.Landmark},
		EmergencyContact: chart.EmergencyContact{Name: d.NextOfKin.Name, Relationship: d.NextOfKin.Relation, Phone: d.NextOfKin.Phone},
	}
}

// localTime renders a CHT reported_date (ms since the epoch) as Outpost's
// local "YYYY-MM-DDTHH:MM".
func localTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format(chart.LocalDateTimeLayout)
}

func toEncounter(pid chart.PatientID, d chtDoc, f chtFields) chart.Encounter {
	typ := chart.EncounterOffice
	if f.VisitType == "home visit" {
		typ = chart.EncounterHome
	}
	return chart.Encounter{Meta: chart.Meta{PatientID: pid}, Type: typ, Start: localTime(d.ReportedDate),
		Location: f.Facility, ClinicianName: f.Provider, Reason: f.ChiefComplaint,
		Diagnoses: []chart.Coded{{System: chart.SystemICD10CM, Code: f.Diagnosis.Code, Display: f.Diagnosis.Display}}}
}

func toNote(pid chart.PatientID, enc chart.RecordID, visitType, provider, text string) chart.Note {
	title := "Visit note"
	if visitType != "" {
		title = strings.ToUpper(visitType[:1]) + visitType[1:] + " visit"
	}
	return chart.Note{Meta: chart.Meta{PatientID: pid}, EncounterID: enc, Kind: chart.NoteClinical, Title: title,
		AuthorName: provider, Sections: []chart.NoteSection{{Key: "note", Label: "Note", Text: text}}}
}

func reading(v float64, unit string) *chart.VitalReading {
	return &chart.VitalReading{Value: v, Unit: unit}
}

func toVitals(f chtFields) chart.VitalsEntry {
	return chart.VitalsEntry{
		Systolic: reading(f.Systolic, chart.UnitMmHg), Diastolic: reading(f.Diastolic, chart.UnitMmHg),
		HeartRate: reading(f.HeartRate, chart.UnitPerMinute), RespiratoryRate: reading(f.RespRate, chart.UnitPerMinute),
		Temperature: reading(f.TempC, chart.UnitCelsius), SpO2: reading(f.SpO2, chart.UnitPercent),
		Weight: reading(f.WeightKg, chart.UnitKilogram), Height: reading(f.HeightCm, chart.UnitCentimetre),
	}
}

func toMedication(pid chart.PatientID, f chtFields) chart.Medication {
	stopReason := ""
	if f.Status == string(chart.MedStopped) {
		stopReason = "Not given in the source record" // CHT's record has no reason; Outpost requires one
	}
	dose, unit := f.Dose, ""
	if i := strings.LastIndexByte(f.Dose, ' '); i > 0 {
		dose, unit = f.Dose[:i], f.Dose[i+1:]
	}
	instructions := f.Instructions
	if _, err := strconv.ParseFloat(dose, 64); err != nil {
		// A combination strength ("80/480 mg") is not one number: Outpost's
		// dose field refuses it, so it goes into the instructions.
		dose, unit, instructions = "", "", "Dose "+f.Dose+". "+f.Instructions
	}
	return chart.Medication{Meta: chart.Meta{PatientID: pid}, Drug: chart.Coded{Display: f.Drug}, Dose: dose, Unit: unit,
		Route: f.Route, Frequency: f.Frequency, Instructions: instructions, Quantity: strconv.Itoa(f.Quantity),
		StartDate: f.StartDate, Status: chart.MedicationStatus(f.Status), StopReason: stopReason, Source: chart.MedPrescribedHere,
		PrescriberName: f.Prescriber}
}

func toAllergy(pid chart.PatientID, f chtFields) chart.Allergy {
	return chart.Allergy{Meta: chart.Meta{PatientID: pid}, Substance: chart.Coded{Display: f.Substance}, Type: "allergy",
		Reaction: f.Reaction, Severity: f.Severity, Verification: f.Verification, Comment: "Recorded by " + f.RecordedBy}
}

func toImmunization(pid chart.PatientID, f chtFields) chart.Immunization {
	return chart.Immunization{Meta: chart.Meta{PatientID: pid}, Vaccine: chart.Coded{Display: f.Vaccine}, Date: f.DateGiven,
		DoseNumber: f.DoseNumber, Lot: f.Lot, Site: f.Site, GivenBy: f.AdministeredBy, Source: "given"}
}
