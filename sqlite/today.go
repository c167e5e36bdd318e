package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"outpost/chart"
)

// The home screen: today's patients. Finding them opens no old record:
// record ids are UUIDv7, so the encounters and notes written today are a
// range of the records' primary key, and the charts this user opened today
// are in the clear columns of the audit log (user, action, patient, time).

// maxTodayPatients bounds the home screen's list.
const maxTodayPatients = 200

// TodaysPatients lists today's patients: those with an encounter dated
// today (for roles that read clinical content) and those whose chart this
// user opened or changed today on this workstation. Visits come first, by
// time; then the other charts, the most recently opened first. Audited as
// a listing of patients.
func (s *Session) TodaysPatients(ctx context.Context) ([]chart.TodayPatient, error) {
	var out []chart.TodayPatient
	err := s.guarded("today's patients", chart.ActReadDemographics, func() error {
		now := s.w.now().In(time.Local)
		start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
		byPatient := map[chart.PatientID]*chart.TodayPatient{}
		entry := func(id chart.PatientID) *chart.TodayPatient {
			sum, ok := s.listedToday(id)
			if !ok {
				return nil // not on this workstation, its record does not open, or out of the lists
			}
			id = sum.ID
			if p, ok := byPatient[id]; ok {
				return p
			}
			p := &chart.TodayPatient{Patient: sum, Visits: []chart.TodayVisit{}}
			byPatient[id] = p
			return p
		}
		damaged := 0
		if chart.Can(s.user.Role, chart.ActReadClinical) {
			var err error
			if damaged, err = s.todaysVisits(ctx, start, entry); err != nil {
				return err
			}
		}
		if err := s.openedToday(ctx, start, entry); err != nil {
			return err
		}
		out = sortToday(byPatient)
		detail := fmt.Sprintf("listed today's patients: %d shown", len(out))
		if damaged > 0 {
			detail += "; " + countOf(int64(damaged), "record", "records") + " could not be opened"
		}
		return s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSearch, Detail: detail})
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// idFloor is the smallest UUIDv7 string minted at or after t: a record id
// at least this large was created then or later.
func idFloor(t time.Time) string {
	ms := uint64(t.UnixMilli())
	return fmt.Sprintf("%08x-%04x-0000-0000-000000000000", ms>>16, ms&0xffff)
}

// todaysVisits adds the encounters dated today (written since start) to
// their patients, with whether their note is signed, and returns how many
// of those records could not be opened.
func (s *Session) todaysVisits(ctx context.Context, start time.Time, entry func(chart.PatientID) *chart.TodayPatient) (int, error) {
	today := start.Format(time.DateOnly)
	floor := idFloor(start)
	var encounters []chart.Encounter
	var closed map[chart.RecordID]*noteHeader
	err := s.w.snapshot(ctx, func(q queryer) error {
		// "+kind" keeps SQLite on the primary key's range, not the kind index.
		rows, err := q.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records WHERE id >= ? AND +kind = ? ORDER BY id`,
			floor, chart.KindEncounter)
		if err != nil {
			return fmt.Errorf("today's encounters: %w", err)
		}
		var sealed []clinicalRow
		for rows.Next() {
			r, err := scanClinical(rows.Scan)
			if err != nil {
				rows.Close()
				return fmt.Errorf("today's encounters: %w", err)
			}
			sealed = append(sealed, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("today's encounters: %w", err)
		}
		if encounters, err = openAll[chart.Encounter](s.key, sealed); err != nil {
			return err
		}
		notes, err := s.notesSince(ctx, q, floor)
		closed = closedEncounters(notes)
		return err
	})
	if err != nil {
		return 0, err
	}
	damaged := 0
	for _, e := range encounters {
		if e.IsDamaged() {
			damaged++
			continue
		}
		if e.EnteredInError != nil || !strings.HasPrefix(e.Start, today) {
			continue
		}
		if p := entry(e.PatientID); p != nil {
			p.Visits = append(p.Visits, chart.TodayVisit{EncounterID: e.ID, Start: e.Start, Type: e.Type, Reason: e.Reason,
				ClinicianName: e.ClinicianName, Signed: closed[e.ID] != nil})
		}
	}
	return damaged, nil
}

// notesSince opens the summaries of the signed notes written since floor
// (a note is written after the encounter it belongs to).
func (s *Session) notesSince(ctx context.Context, q queryer, floor string) ([]noteHeader, error) {
	return s.summarisedNotes(ctx, q, "today's notes", `id >= ? AND +kind = ? AND locked = 1`, floor, chart.KindNote)
}

// todayActions are the audited actions that mean "I had this chart open".
var todayActions = []chart.AuditAction{chart.AuditChartOpen, chart.AuditCreate, chart.AuditUpdate}

// openedToday adds the patients whose chart this user opened or changed
// since start on this workstation, with the last time.
func (s *Session) openedToday(ctx context.Context, start time.Time, entry func(chart.PatientID) *chart.TodayPatient) error {
	rows, err := s.w.db.QueryContext(ctx, `SELECT patient_id, max(at) FROM audit_log
		WHERE user_id = ? AND at >= ? AND patient_id != '' AND action IN (?, ?, ?)
		GROUP BY patient_id`, string(s.user.ID), start.UnixNano(),
		string(todayActions[0]), string(todayActions[1]), string(todayActions[2]))
	if err != nil {
		return fmt.Errorf("charts opened today: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return fmt.Errorf("charts opened today: %w", err)
		}
		if p := entry(chart.PatientID(id)); p != nil {
			t := time.Unix(0, at).UTC()
			p.OpenedAt = &t
		}
	}
	return rows.Err()
}

// sortToday orders the day: visits by their first start, then the charts
// only opened, most recent first; at most maxTodayPatients.
func sortToday(byPatient map[chart.PatientID]*chart.TodayPatient) []chart.TodayPatient {
	out := make([]chart.TodayPatient, 0, len(byPatient))
	for _, p := range byPatient {
		slices.SortFunc(p.Visits, func(a, b chart.TodayVisit) int { return cmp.Compare(a.Start, b.Start) })
		out = append(out, *p)
	}
	first := func(p chart.TodayPatient) string {
		if len(p.Visits) == 0 {
			return "~" // after every date
		}
		return p.Visits[0].Start
	}
	opened := func(p chart.TodayPatient) int64 {
		if p.OpenedAt == nil {
			return 0
		}
		return p.OpenedAt.UnixNano()
	}
	slices.SortFunc(out, func(a, b chart.TodayPatient) int {
		return cmp.Or(cmp.Compare(first(a), first(b)), cmp.Compare(opened(b), opened(a)), cmp.Compare(a.Patient.ID, b.Patient.ID))
	})
	return out[:min(len(out), maxTodayPatients)]
}

// listedToday is the summary under which patient id shows on the day's
// list: a record retired by a merge shows as its survivor (a visit written
// to it offline is the survivor's visit); an inactive or deceased patient
// is left out, as from every list.
func (s *Session) listedToday(id chart.PatientID) (chart.PatientSummary, bool) {
	sum, ok := s.index.Lookup(id)
	for hops := 0; ok && sum.MergedInto != "" && hops < 8; hops++ {
		sum, ok = s.index.Lookup(sum.MergedInto)
	}
	return sum, ok && sum.Active()
}
