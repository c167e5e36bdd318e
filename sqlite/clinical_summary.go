package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"outpost/chart"
	"outpost/internal/worker"
)

// latestVitalsWindow is how many of the most recently charted vitals sets
// the summary opens to find the latest one by time taken. Vitals are
// charted as they are taken, so the latest is among the last few entered
// even when a set is back-charted; opening a handful instead of 15 years'
// worth keeps opening a chart fast.
const latestVitalsWindow = 10

// ChartSummary is what opening a patient shows; it is audited as a chart
// open. Records entered in error are left out. A clinical record that fails
// its integrity check is shown as a placeholder (see damaged.go) and named
// in the audit entry; a damaged patient record fails the summary.
func (s *Session) ChartSummary(ctx context.Context, id chart.PatientID) (chart.ChartSummary, error) {
	var sum chart.ChartSummary
	err := s.guarded("chart summary", chart.ActReadClinical, func() error {
		if err := s.mergeChartBehind(ctx, id); err != nil {
			return err
		}
		// One snapshot, so a save landing mid-read cannot mix two states.
		// The audit entry is written once the chart's records are loaded
		// (it names those that did not open), alongside the rest of the
		// summary's work; the summary is returned only once it is committed.
		var ahead auditAhead
		err := s.w.snapshot(ctx, func(q queryer) error {
			_, err := s.summaryIn(ctx, q, id, &sum, func(damaged []string) {
				ahead.start(func() error {
					return s.auditRead(ctx, id, kindPatient, string(id), "opened chart"+damagedDetail(damaged), nil)
				})
			})
			return err
		})
		return ahead.finish(err, func(readErr error) error {
			return s.auditRead(ctx, id, kindPatient, string(id), "opened chart", readErr)
		})
	})
	if err != nil {
		return chart.ChartSummary{}, err
	}
	return sum, nil
}

// summaryIn opens patient id and fills sum from the chart, reading q, and
// returns the ids of the records it could not open. loaded, if not nil, is
// told them as soon as they are known, before the summary is put together.
func (s *Session) summaryIn(ctx context.Context, q queryer, id chart.PatientID, sum *chart.ChartSummary,
	loaded func(damaged []string)) ([]string, error) {
	row, err := loadRecord(ctx, q, kindPatient, string(id))
	if err != nil {
		return nil, err
	}
	if sum.Patient, err = openPatient(s.key, row.id, row.version, row.head, row.sealed); err != nil {
		return nil, err
	}
	return s.fillSummary(ctx, q, sum, loaded)
}

// summaryRecords holds the current, non-retracted records of a chart.
type summaryRecords struct {
	allergies     []chart.Allergy
	problems      []chart.Problem
	meds          []chart.Medication
	immunizations []chart.Immunization
	flags         chart.ChartFlags
	timelineRecords
	social      []chart.SocialHistory
	pregnancies []chart.PregnancyStatus
	// latestVitals and damagedVitals as latestVitals returns them.
	latestVitals, damagedVitals *chart.VitalsRecord
	resultsToReview             []chart.Result
}

// fillSummary fills sum from the chart's records and returns the ids of
// those it could not open (shown as placeholders), told to loaded (if not
// nil) once the records are loaded.
func (s *Session) fillSummary(ctx context.Context, q queryer, sum *chart.ChartSummary, loaded func([]string)) ([]string, error) {
	recs, err := s.loadSummaryRecords(ctx, q, sum.Patient.ID)
	if err != nil {
		return nil, err
	}
	damaged := recs.damaged()
	if loaded != nil {
		loaded(damaged)
	}
	sum.Allergies, sum.NoKnownProblems = recs.allergies, recs.flags.NoKnownProblems
	sum.AllergyStatus = allergyStatus(recs.allergies, recs.flags)
	sum.Problems = activeFirst(recs.problems)
	sum.Medications = []chart.Medication{}
	for _, m := range recs.meds {
		if m.Status == chart.MedActive || m.IsDamaged() { // a damaged one may be current
			sum.Medications = append(sum.Medications, m)
		}
	}
	sum.Immunizations = recs.immunizations
	slices.SortStableFunc(sum.Immunizations, func(a, b chart.Immunization) int { return cmp.Compare(b.Date, a.Date) })
	sum.Timeline = timeline(recs.encounters, recs.notes)
	recs.fillVisitAndHistory(sum, s.w.now())
	if err := s.openFullEncounter(ctx, q, sum); err != nil {
		return nil, err
	}
	if recs.fresh != nil {
		s.w.refreshSummarySnap(s, sum.Patient.ID, recs.fresh)
	}
	sum.LatestVitals, sum.DamagedVitals, sum.ResultsToReview = recs.latestVitals, recs.damagedVitals, recs.resultsToReview
	return damaged, nil
}

// damaged lists the records of the summary that could not be opened.
func (recs *summaryRecords) damaged() []string {
	ids := slices.Concat(damagedIDs(recs.allergies), damagedIDs(recs.problems), damagedIDs(recs.meds),
		damagedIDs(recs.immunizations), damagedIDs([]chart.ChartFlags{recs.flags}), damagedIDs(recs.encounters),
		damagedIDs(recs.notes), damagedIDs(recs.resultsToReview), damagedIDs(recs.social), damagedIDs(recs.pregnancies))
	if recs.damagedVitals != nil {
		ids = append(ids, string(recs.damagedVitals.ID))
	}
	return ids
}

func (s *Session) loadSummaryRecords(ctx context.Context, db queryer, patient chart.PatientID) (summaryRecords, error) {
	var recs summaryRecords
	key := s.key
	ids := s.chartOf(patient)
	steps := []func() error{
		func() (err error) {
			recs.allergies, err = listRecords[chart.Allergy](ctx, db, key, ids, chart.KindAllergy, false)
			return err
		},
		func() (err error) {
			recs.problems, err = listRecords[chart.Problem](ctx, db, key, ids, chart.KindProblem, false)
			return err
		},
		func() (err error) {
			recs.meds, err = listRecords[chart.Medication](ctx, db, key, ids, chart.KindMedication, false)
			return err
		},
		func() (err error) {
			recs.immunizations, err = listRecords[chart.Immunization](ctx, db, key, ids, chart.KindImmunization, false)
			return err
		},
		func() error {
			flags, err := listRecords[chart.ChartFlags](ctx, db, key, chartIDs{patient}, chart.KindChartFlags, false)
			if len(flags) > 0 {
				recs.flags = flags[0]
			}
			return err
		},
		func() (err error) {
			recs.timelineRecords, err = s.loadTimeline(ctx, db, patient, ids)
			return err
		},
		func() (err error) {
			recs.social, err = listRecords[chart.SocialHistory](ctx, db, key, ids, chart.KindSocial, false)
			return err
		},
		func() (err error) {
			recs.pregnancies, err = listRecords[chart.PregnancyStatus](ctx, db, key, ids, chart.KindPregnancy, false)
			return err
		},
		func() (err error) {
			recs.latestVitals, recs.damagedVitals, err = s.latestVitals(ctx, db, patient)
			return err
		},
		func() (err error) {
			recs.resultsToReview, err = pendingResults(ctx, db, s, patient)
			return err
		},
	}
	if err := runOverlapped(steps); err != nil {
		return summaryRecords{}, err
	}
	return recs, nil
}

// runOverlapped runs steps at once and returns the first error in step
// order. Each step reads its rows, then opens them (decrypt, inflate, JSON:
// CPU-bound); run one after another, a core idled while the next step
// read from SQLite. Together, the reading of one overlaps the opening of
// another. They share q, which database/sql serialises call by call; in a
// read transaction (snapshot) they still all see one state.
func runOverlapped(steps []func() error) error {
	errs := make([]error, len(steps))
	// A step's panic fails the summary (worker.Run), never the app.
	err := worker.Run(context.Background(), len(steps), func(_ context.Context, i int) error {
		errs[i] = steps[i]()
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the chart summary: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// fillVisitAndHistory sets the open encounter (today's, not closed by a
// signed note), the latest social history and pregnancy status, and
// whether pregnancy status is relevant to this patient today.
func (recs *summaryRecords) fillVisitAndHistory(sum *chart.ChartSummary, now time.Time) {
	closed := map[chart.RecordID]bool{}
	for id := range closedEncounters(recs.notes) {
		closed[id] = true
	}
	sum.OpenEncounter = chart.OpenEncounter(recs.encounters, closed, now)
	sum.SocialHistory = chart.LatestSocialHistory(recs.social)
	sum.Pregnancy = chart.LatestPregnancy(recs.pregnancies)
	sum.PregnancyRelevant = chart.PregnancyRelevant(sum.Patient, now)
}

// allergyStatus tells "no known allergies" from "never asked": a listed
// allergy (not refuted) wins over the flag. An allergy or flags record that
// could not be opened leaves the answer unknown: never "no known allergies".
func allergyStatus(allergies []chart.Allergy, flags chart.ChartFlags) chart.AllergyStatus {
	unreadable := flags.IsDamaged()
	for _, a := range allergies {
		if a.IsDamaged() {
			unreadable = true
		} else if a.Verification != chart.AllergyRefuted {
			return chart.AllergiesListed
		}
	}
	if unreadable {
		return chart.AllergiesUnreadable
	}
	if flags.NoKnownAllergies {
		return chart.AllergiesNone
	}
	return chart.AllergiesNotAsked
}

// activeFirst orders problems active, inactive, resolved; a placeholder
// comes first, since what it hides may be active.
func activeFirst(ps []chart.Problem) []chart.Problem {
	rank := func(p chart.Problem) int {
		if p.IsDamaged() {
			return -1
		}
		switch p.Status {
		case chart.ProblemActive:
			return 0
		case chart.ProblemInactive:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(ps, func(a, b chart.Problem) int { return cmp.Compare(rank(a), rank(b)) })
	return ps
}

// timeline lists encounters and notes, newest first. A note is dated by its
// encounter when it has one, else by when it was written. Placeholders have
// no date: they come first, so they are seen.
func timeline(encounters []chart.Encounter, notes []noteHeader) []chart.TimelineItem {
	items := make([]chart.TimelineItem, 0, len(encounters)+len(notes))
	starts := make(map[chart.RecordID]string, len(encounters))
	for _, e := range encounters {
		if e.IsDamaged() {
			items = append(items, damagedItem(chart.KindEncounter, e.Meta))
			continue
		}
		starts[e.ID] = e.Start
		items = append(items, chart.TimelineItem{Kind: chart.KindEncounter, ID: e.ID, At: e.Start,
			Title: cmp.Or(e.Reason, encounterLabel(e.Type)), Detail: encounterDetail(e)})
	}
	for _, n := range notes {
		if n.IsDamaged() {
			items = append(items, damagedItem(chart.KindNote, n.Meta))
			continue
		}
		at := starts[n.EncounterID]
		if at == "" {
			at = n.CreatedAt.Local().Format(chart.LocalDateTimeLayout)
		}
		status, detail := "draft", n.AuthorName
		if n.Signature != nil {
			status = "signed"
		}
		if n.AddendumTo != "" {
			detail = "Addendum by " + n.AuthorName
		}
		items = append(items, chart.TimelineItem{Kind: chart.KindNote, ID: n.ID, At: at, Title: n.Title,
			Detail: detail, Status: status})
	}
	// Placeholders (no date to sort by) first; then kind and id make the
	// order total, so an unstable sort gives the same result as a stable
	// one without its copying (a 15-year chart has 600 items). The items'
	// positions are sorted, not the items: a swap moves two int32s where
	// it moved two 112-byte items of strings, with write barriers while a
	// collection runs; then each item is copied once to its place (0.29 ->
	// 0.20 ms of CPU a 600-item timeline, BenchmarkTimeline600).
	undated := func(it *chart.TimelineItem) int {
		if it.Damaged != "" {
			return 0
		}
		return 1
	}
	order := make([]int32, len(items))
	for i := range order {
		order[i] = int32(i)
	}
	// Compared key by key: cmp.Or would compare all four keys every time.
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &items[i], &items[j]
		if c := cmp.Compare(undated(a), undated(b)); c != 0 {
			return c
		}
		if c := strings.Compare(b.At, a.At); c != 0 {
			return c
		}
		if c := strings.Compare(b.Kind, a.Kind); c != 0 {
			return c
		}
		return strings.Compare(string(b.ID), string(a.ID))
	})
	sorted := make([]chart.TimelineItem, len(items))
	for k, i := range order {
		sorted[k] = items[i]
	}
	return sorted
}

func damagedItem(kind string, m chart.Meta) chart.TimelineItem {
	return chart.TimelineItem{Kind: kind, ID: m.ID, Damaged: m.Damaged}
}

func encounterLabel(t chart.EncounterType) string {
	switch t {
	case chart.EncounterHome:
		return "Home visit"
	case chart.EncounterTelephone:
		return "Telephone call"
	case chart.EncounterTelehealth:
		return "Telehealth visit"
	}
	return "Office visit"
}

func encounterDetail(e chart.Encounter) string {
	parts := []string{encounterLabel(e.Type)}
	if e.ClinicianName != "" {
		parts = append(parts, e.ClinicianName)
	}
	if e.Location != "" {
		parts = append(parts, e.Location)
	}
	return strings.Join(parts, " · ")
}

// latestVitals opens the most recently charted vitals sets (newest id
// first) and returns the one taken last, and the placeholder of a set
// charted after it that could not be opened (it may be the latest).
func (s *Session) latestVitals(ctx context.Context, q queryer, patient chart.PatientID) (best, damaged *chart.VitalsRecord, err error) {
	cond, args := s.chartOf(patient).where("patient_id")
	rows, err := q.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records
		WHERE `+cond+` AND kind = ? ORDER BY id DESC`, append(args, chart.KindVitals)...)
	if err != nil {
		return nil, nil, fmt.Errorf("latest vitals: %w", err)
	}
	defer rows.Close()
	open := func(r clinicalRow) (chart.VitalsRecord, error) { return openClinical[chart.VitalsRecord](s.key, r) }
	for seen := 0; seen < latestVitalsWindow && rows.Next(); {
		row, err := scanClinical(rows.Scan)
		if err != nil {
			return nil, nil, fmt.Errorf("latest vitals: %w", err)
		}
		v, err := openListed(row, open)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case v.EnteredInError != nil:
			continue
		case v.IsDamaged():
			if damaged == nil {
				damaged = &v
			}
		case best == nil || v.TakenAt > best.TakenAt:
			best = &v
		}
		seen++
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("latest vitals: %w", err)
	}
	if damaged != nil && best != nil && damaged.ID < best.ID { // ids are UUIDv7: charted before the latest
		damaged = nil
	}
	return best, damaged, nil
}

func sortVitalsByTakenAt(vs []chart.VitalsRecord) {
	slices.SortStableFunc(vs, func(a, b chart.VitalsRecord) int { return cmp.Compare(a.TakenAt, b.TakenAt) })
}
