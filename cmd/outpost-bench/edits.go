package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"outpost/chart"
)

// deltaResult says what an end-of-day edit made on a workstation.
type deltaResult struct {
	NewNotes       int     `json:"new_notes"`
	EditedVitals   int     `json:"edited_vitals"`
	EnteredInError int     `json:"entered_in_error"`
	Changes        int     `json:"changes"`
	Seconds        float64 `json:"seconds"`
}

// editDelta is the S3/S5 end of day, the shapes of the harness's
// edit-delta: new encounter notes, amended vitals, and records retracted
// (CHT deletes medications; Outpost never deletes, it marks them entered in
// error). Outpost has no in-place edit of a vitals set: an amendment is the
// old set marked entered in error plus the corrected set, two changes.
func editDelta(ctx context.Context, dir string, seed uint64, nNotes, nVitals, nRetract int) (deltaResult, error) {
	var r deltaResult
	var ids idMap
	if err := readJSON(idMapPath(dir), &ids); err != nil {
		return r, err
	}
	w, s, err := openSignedIn(ctx, dir)
	if err != nil {
		return r, err
	}
	defer w.Close()
	rng := rand.New(rand.NewPCG(seed, 0x0ddba11))
	texts, err := noteTexts(ctx, s, ids, rng, 50)
	if err != nil {
		return r, err
	}
	start := time.Now()
	for i := range nNotes {
		e := ids.Encounters[rng.IntN(len(ids.Encounters))]
		n := toNote(e.Patient, e.ID, "follow-up", "Nurse P. Achieng", texts[i%len(texts)])
		if _, err := s.SaveNoteDraft(ctx, n); err != nil {
			return r, fmt.Errorf("new note: %w", err)
		}
		r.NewNotes++
		r.Changes++
	}
	for _, v := range pick(rng, half(ids.Vitals, seed), nVitals) {
		if err := s.MarkEnteredInError(ctx, chart.KindVitals, v.ID, "Amended: re-measured"); err != nil {
			return r, fmt.Errorf("amend vitals: %w", err)
		}
		sys := 95 + rng.IntN(81)
		f := chtFields{Systolic: float64(sys), Diastolic: float64(55 + rng.IntN(min(51, sys-65))),
			HeartRate: float64(52 + rng.IntN(67)), RespRate: 16, TempC: 36.8, SpO2: 97, WeightKg: 70, HeightCm: 170}
		if _, err := s.RecordVitals(ctx, v.Patient, "", "", toVitals(f)); err != nil {
			return r, fmt.Errorf("amended vitals: %w", err)
		}
		r.EditedVitals++
		r.Changes += 2
	}
	for _, m := range pick(rng, half(ids.Medications, seed), nRetract) {
		if err := s.MarkEnteredInError(ctx, chart.KindMedication, m.ID, "Entered for the wrong patient"); err != nil {
			return r, fmt.Errorf("entered in error: %w", err)
		}
		r.EnteredInError++
		r.Changes++
	}
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// noteTexts borrows n existing note texts (1-2 KB of clinical prose, like
// the harness's new notes) to write the new notes with.
func noteTexts(ctx context.Context, s interface {
	Notes(context.Context, chart.PatientID) ([]chart.Note, error)
}, ids idMap, rng *rand.Rand, n int) ([]string, error) {
	var out []string
	for len(out) < n {
		p := ids.Patients[rng.IntN(len(ids.Patients))]
		notes, err := s.Notes(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, nt := range notes {
			if len(nt.Sections) > 0 && len(nt.Sections[0].Text) > 1000 {
				out = append(out, nt.Sections[0].Text)
			}
		}
	}
	return out, nil
}

// half keeps the S3 (odd seed) and S5 (even seed) deltas on disjoint
// records, so that the second never edits what the first retracted.
func half(all []recordRef, seed uint64) []recordRef {
	if seed%2 == 1 {
		return all[:len(all)/2]
	}
	return all[len(all)/2:]
}

// pick returns n distinct records chosen by rng that are still live.
func pick(rng *rand.Rand, all []recordRef, n int) []recordRef {
	n = min(n, len(all)/3)
	seen := map[int]bool{}
	var out []recordRef
	for len(out) < n {
		i := rng.IntN(len(all))
		if !seen[i] {
			seen[i] = true
			out = append(out, all[i])
		}
	}
	return out
}

// editConflict edits the same n patients on workstation who ("A" or "B"),
// as the harness does: a new phone and household on each.
func editConflict(ctx context.Context, dir, who string, seed uint64, n int) (int, error) {
	var ids idMap
	if err := readJSON(idMapPath(dir), &ids); err != nil {
		return 0, err
	}
	w, s, err := openSignedIn(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	for i, p := range conflictPatients(ids, seed, n) {
		cur, err := s.OpenPatient(ctx, p)
		if err != nil {
			return i, err
		}
		cur.Phone, cur.Address.Line1 = conflictPhone(who, i), fmt.Sprintf("HH-%s-%d", who, i)
		if _, err := s.UpdatePatient(ctx, cur); err != nil {
			return i, fmt.Errorf("edit patient: %w", err)
		}
	}
	return n, nil
}

func conflictPhone(who string, i int) string {
	d := "1"
	if who == "B" {
		d = "2"
	}
	return fmt.Sprintf("+2547%s%06d", d, i)
}

func conflictPatients(ids idMap, seed uint64, n int) []chart.PatientID {
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	var out []chart.PatientID
	seen := map[int]bool{}
	for len(out) < min(n, len(ids.Patients)) {
		i := rng.IntN(len(ids.Patients))
		if !seen[i] {
			seen[i] = true
			out = append(out, ids.Patients[i].ID)
		}
	}
	return out
}
