package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

// The day index of the appointment book (migration 0014): a view of some
// days opens the bookings indexed on those days and the bookings whose
// index row is missing or stale (their head moved: a sync, a resolution),
// never the whole book. What the index says is only a shortlist: every
// opened booking is filtered again by its sealed start (chart.InDays), so
// a stale row can cost time, never a wrong answer. Reads rebuild the rows
// they found stale.

const dayTagLabel = "outpost/appointment-day/v1"

// dayTag is the keyed tag of a day: equal days give equal tags, and the
// day cannot be read back from it.
func (s *Session) dayTag(day string) []byte {
	m := hmac.New(sha256.New, s.mrnKey)
	m.Write([]byte(dayTagLabel + "\x00" + day))
	return m.Sum(nil)
}

// bookRows returns the rows of the bookings that may fall in [from,
// from+days), and the ids of those whose index row must be rebuilt.
func (s *Session) bookRows(ctx context.Context, q queryer, from string, days int) ([]clinicalRow, map[string]bool, error) {
	first, err := time.Parse(time.DateOnly, from)
	if err != nil || days < 1 || days > 366 {
		return nil, nil, chart.FieldError("day", "The day must be a real date, written YYYY-MM-DD.")
	}
	var args []any
	for i := range days {
		args = append(args, s.dayTag(first.AddDate(0, 0, i).Format(time.DateOnly)))
	}
	// The indexed days through the tag index, then the bookings whose row
	// is missing or stale; only these rows' sealed content is read.
	args = append(args, chart.KindAppointment)
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.kind, r.patient_id, r.version, r.head_change_id, r.sealed, r.locked,
			r.to_review, 1
		FROM appointment_days d CROSS JOIN records r ON r.id = d.record_id AND r.head_change_id = d.head_change_id
		WHERE d.day_tag IN (?`+strings.Repeat(", ?", days-1)+`)
		UNION ALL
		SELECT r.id, r.kind, r.patient_id, r.version, r.head_change_id, r.sealed, r.locked, r.to_review, 0
		FROM records r WHERE r.kind = ? AND NOT EXISTS (SELECT 1 FROM appointment_days d
			WHERE d.record_id = r.id AND d.head_change_id = r.head_change_id)
		ORDER BY 1`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("list appointments: %w", err)
	}
	defer rows.Close()
	var out []clinicalRow
	stale := map[string]bool{}
	for rows.Next() {
		var r clinicalRow
		var fresh bool
		if err := rows.Scan(&r.id, &r.kind, &r.patientID, &r.version, &r.head, &r.sealed, &r.locked, &r.toReview, &fresh); err != nil {
			return nil, nil, fmt.Errorf("list appointments: %w", err)
		}
		out = append(out, r)
		if !fresh {
			stale[r.id] = true
		}
	}
	return out, stale, rows.Err()
}

// appointmentsIn opens the bookings of [from, from+days) in book (every
// book when empty), and rebuilds the index rows it found stale, in t.
func (s *Session) appointmentsIn(ctx context.Context, t *tx, book chart.UserID, from string, days int) ([]chart.Appointment, error) {
	rows, stale, err := s.bookRows(ctx, t, from, days)
	if err != nil {
		return nil, err
	}
	opened, err := openAll[chart.Appointment](s.key, rows)
	if err != nil {
		return nil, err
	}
	for i, a := range opened {
		if stale[rows[i].id] && !a.IsDamaged() {
			if err := s.indexDay(ctx, t, a.ID, rows[i].head, a.Day()); err != nil {
				return nil, err
			}
		}
	}
	return chart.InDays(opened, book, from, days), nil
}

// indexDay records that booking id, at head, is on day.
func (s *Session) indexDay(ctx context.Context, t *tx, id chart.RecordID, head chart.ChangeID, day string) error {
	_, err := t.ExecContext(ctx, `INSERT INTO appointment_days (record_id, head_change_id, day_tag) VALUES (?, ?, ?)
		ON CONFLICT (record_id) DO UPDATE SET head_change_id = excluded.head_change_id, day_tag = excluded.day_tag`,
		string(id), string(head), s.dayTag(day))
	if err != nil {
		return fmt.Errorf("index appointment %s: %w", id, err)
	}
	return nil
}

// indexWritten indexes a booking just written here under its new head.
func (s *Session) indexWritten(ctx context.Context, t *tx, a *chart.Appointment) error {
	var head chart.ChangeID
	if err := t.QueryRowContext(ctx, `SELECT head_change_id FROM records WHERE id = ?`, string(a.ID)).Scan(&head); err != nil {
		return fmt.Errorf("index appointment %s: %w", a.ID, err)
	}
	return s.indexDay(ctx, t, a.ID, head, a.Day())
}
