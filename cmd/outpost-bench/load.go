package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"outpost/chart"
	"outpost/sqlite"
)

// idMap ties the data set's CHT ids to the Outpost records made from them,
// so that later steps (on A or on B) edit the same records.
type idMap struct {
	Patients    []idPair    `json:"patients"`
	Encounters  []recordRef `json:"encounters"`
	Vitals      []recordRef `json:"vitals"`
	Medications []recordRef `json:"medications"`
}

type idPair struct {
	CHT string          `json:"cht"`
	ID  chart.PatientID `json:"id"`
}

type recordRef struct {
	CHT     string          `json:"cht"`
	ID      chart.RecordID  `json:"id"`
	Patient chart.PatientID `json:"patient"`
}

type loadResult struct {
	Docs            int            `json:"docs"`
	DocsByForm      map[string]int `json:"docs_by_form"`
	Changes         int64          `json:"changes"`
	ChangesByKind   map[string]int `json:"changes_by_kind"`
	Seconds         float64        `json:"seconds"`
	NotLoaded       []string       `json:"not_loaded"`
	VitalsWithoutBP int            `json:"vitals_loaded_without_bp"`
	// VitalsBeforeBirth counts sets dated before the patient's birth: the
	// data set draws the two dates independently and Outpost refuses such
	// a set (chart.VitalRanges.BandFor). They are left out and counted,
	// not refusals of a mapping.
	VitalsBeforeBirth int               `json:"vitals_before_birth"`
	DroppedFields     map[string]string `json:"dropped_fields"`
	ClientPeakRSSMB   float64           `json:"client_peak_rss_mb"`
}

// loadDataset creates the practice on workstation A and writes every
// document of the data set through the chart service, one save per record,
// as a clinician typing them would.
func loadDataset(ctx context.Context, dir, dataset string) (loadResult, error) {
	res := loadResult{DocsByForm: map[string]int{}, ChangesByKind: map[string]int{}, DroppedFields: droppedFields}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	w, err := sqlite.OpenWorkstation(ctx, chartPath(dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return res, err
	}
	defer w.Close()
	admin, _, err := w.CreatePractice(ctx, chart.NewPractice{PracticeName: "Outpost bench clinic",
		Admin: chart.NewUser{FullName: "Ada Administrator", Username: adminUser, Passphrase: adminPass}})
	if err != nil {
		return res, err
	}
	if _, err := admin.AddUser(ctx, chart.NewUser{FullName: "Cleo Clinician", Username: clinicianUser,
		Role: chart.RoleClinician, Passphrase: clinicianPass}); err != nil {
		return res, err
	}
	sess, err := w.SignIn(ctx, clinicianUser, clinicianPass)
	if err != nil {
		return res, err
	}
	s := sess.(*sqlite.Session)
	f, err := os.Open(dataset)
	if err != nil {
		return res, err
	}
	defer f.Close()
	l := &loader{s: s, ids: idMap{}, patients: map[string]chart.PatientID{},
		born: map[chart.PatientID]string{}, res: &res}
	start := time.Now()
	if err := readDataset(f, l.doc); err != nil {
		return res, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, writeJSON(idMapPath(dir), l.ids)
}

type loader struct {
	s        *sqlite.Session
	ids      idMap
	patients map[string]chart.PatientID
	born     map[chart.PatientID]string // YYYY-MM-DD
	res      *loadResult
}

func (l *loader) doc(d chtDoc, f chtFields, _ int) error {
	ctx := context.Background()
	form := d.Form
	if d.Type == "person" {
		form = "person"
	}
	l.res.Docs++
	l.res.DocsByForm[form]++
	pid, ok := l.patients[f.PatientID]
	if form != "person" && !ok {
		return l.skip(d, fmt.Errorf("its patient %s is not in the data set", f.PatientID))
	}
	var err error
	switch form {
	case "person":
		var p chart.Patient
		if p, err = l.s.RegisterPatient(ctx, toPatient(d)); err == nil {
			l.patients[d.ID] = p.ID
			l.born[p.ID] = p.BirthDate
			l.ids.Patients = append(l.ids.Patients, idPair{d.ID, p.ID})
			l.count("patient")
		}
	case "encounter":
		err = l.encounter(ctx, pid, d, f)
	case "vitals":
		var v chart.VitalsRecord
		if localTime(d.ReportedDate)[:len(time.DateOnly)] < l.born[pid] {
			l.res.VitalsBeforeBirth++
			return nil
		}
		if v, err = l.vitals(ctx, pid, d, f); err == nil {
			l.ids.Vitals = append(l.ids.Vitals, recordRef{d.ID, v.ID, pid})
			l.count(chart.KindVitals)
		}
	case "medication":
		var m chart.Medication
		// Drug-allergy alerts are the chart's to raise; the source record
		// was prescribed as it stands, so any alert is overridden.
		if m, err = l.s.SaveMedication(ctx, toMedication(pid, f), "As prescribed in the imported record"); err == nil {
			l.ids.Medications = append(l.ids.Medications, recordRef{d.ID, m.ID, pid})
			l.count(chart.KindMedication)
		}
	case "allergy":
		if _, err = l.s.SaveAllergy(ctx, toAllergy(pid, f)); err == nil {
			l.count(chart.KindAllergy)
		}
	case "immunization":
		if _, err = l.s.SaveImmunization(ctx, toImmunization(pid, f)); err == nil {
			l.count(chart.KindImmunization)
		}
	default:
		err = fmt.Errorf("form %q has no Outpost mapping", form)
	}
	if err != nil {
		return l.skip(d, err)
	}
	return nil
}

func (l *loader) encounter(ctx context.Context, pid chart.PatientID, d chtDoc, f chtFields) error {
	e, err := l.s.SaveEncounter(ctx, toEncounter(pid, d, f))
	if err != nil {
		return err
	}
	l.count(chart.KindEncounter)
	l.ids.Encounters = append(l.ids.Encounters, recordRef{d.ID, e.ID, pid})
	if _, err := l.s.SaveNoteDraft(ctx, toNote(pid, e.ID, f.VisitType, f.Provider, f.Note)); err != nil {
		return fmt.Errorf("note: %w", err)
	}
	l.count(chart.KindNote)
	return nil
}

// vitals records a vitals set. The data set draws systolic and diastolic
// independently, so about 2% of its sets have a diastolic at or above the
// systolic, which Outpost refuses as impossible; such a set is recorded
// without its blood pressure (what a nurse re-checking it would do) and
// counted.
func (l *loader) vitals(ctx context.Context, pid chart.PatientID, d chtDoc, f chtFields) (chart.VitalsRecord, error) {
	e := toVitals(f)
	v, err := l.s.RecordVitals(ctx, pid, "", localTime(d.ReportedDate), e)
	var ce *chart.Error
	if errors.As(err, &ce) && ce.Code == chart.EINVALID && ce.Field == "diastolic" && f.Diastolic >= f.Systolic {
		l.res.VitalsWithoutBP++
		e.Systolic, e.Diastolic = nil, nil
		v, err = l.s.RecordVitals(ctx, pid, "", localTime(d.ReportedDate), e)
	}
	return v, err
}

func (l *loader) count(kind string) {
	l.res.ChangesByKind[kind]++
	l.res.Changes++
}

// maxRefused is how many refused documents a load tolerates; the backup
// benchmark, which needs a chart of the data set's size rather than every
// document, raises it.
var maxRefused = 20

// skip records a document Outpost refused; more than a few means the
// mapping is wrong, so the load stops.
func (l *loader) skip(d chtDoc, err error) error {
	l.res.NotLoaded = append(l.res.NotLoaded, fmt.Sprintf("%s %s %s: %v", d.Type, d.Form, d.ID, err))
	if len(l.res.NotLoaded) > maxRefused {
		return fmt.Errorf("more than %d documents refused, last: %w", maxRefused, err)
	}
	return nil
}
