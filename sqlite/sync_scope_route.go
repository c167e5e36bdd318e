package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"outpost/chart"
)

// A route by date: the workstation holds exactly the patients of a nurse's
// home visits from today for the coming days. Appointments are
// practice-wide, so a route device receives the whole book and computes
// the set itself; it is recomputed at the start of every sync
// (SyncScopeState), so a visit booked elsewhere, a cancellation or a new
// day moves the set without anyone choosing again. Choosing patients by
// hand (SetSyncScope) or the whole practice ends a route by date.

const metaSyncRoute = "sync_route" // JSON chart.RouteByDate; absent: no route by date

// SetRouteByDate makes this workstation hold the patients of nurse's home
// visits of the coming days, and starts following the book.
func (s *Session) SetRouteByDate(ctx context.Context, nurse chart.UserID, days int) (chart.SyncScope, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.checkScopeRole(); err != nil {
		return chart.SyncScope{}, err
	}
	if days < 1 || days > chart.MaxRouteDays {
		return chart.SyncScope{}, chart.FieldError("days", "A route by date covers 1 to %d days.", chart.MaxRouteDays)
	}
	var sc chart.SyncScope
	err := s.w.write(ctx, func(t *tx) error {
		r := chart.RouteByDate{Nurse: nurse, Days: days}
		if err := nameNurse(ctx, t, &r); err != nil {
			return err
		}
		raw, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode route: %w", err)
		}
		if err := setMeta(ctx, t, metaSyncRoute, raw); err != nil {
			return err
		}
		if err := s.followRoute(ctx, t, r); err != nil {
			return err
		}
		if sc, err = s.readScope(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditUpdate,
			Detail: fmt.Sprintf("set this workstation's sync scope to %s's home visits of %d days (%s)", r.NurseName, days, scopeWords(sc))})
	})
	if err != nil {
		return chart.SyncScope{}, wrapInternal("set the route by date", err)
	}
	return sc, nil
}

func nameNurse(ctx context.Context, q queryer, r *chart.RouteByDate) error {
	err := q.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, string(r.Nurse)).Scan(&r.NurseName)
	if errors.Is(err, sql.ErrNoRows) || !chart.ValidID(string(r.Nurse)) {
		return chart.FieldError("nurse", "Choose whose home visits the route follows from the list.")
	}
	if err != nil {
		return fmt.Errorf("find the nurse: %w", err)
	}
	return nil
}

// readRoute returns the route by date this workstation follows, if any.
func readRoute(ctx context.Context, q queryer) (*chart.RouteByDate, error) {
	var raw []byte
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaSyncRoute).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the route by date: %w", err)
	}
	var r chart.RouteByDate
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("read the route by date: %w", err)
	}
	return &r, nil
}

// followRoute sets the scope to the route's patients as the book holds
// them now. Patients not yet on this device are added and backfilled:
// their booking shows they are the practice's.
func (s *Session) followRoute(ctx context.Context, t *tx, r chart.RouteByDate) error {
	today := t.now.In(time.Local).Format(time.DateOnly)
	all, err := s.appointmentsIn(ctx, t, r.Nurse, today, r.Days)
	if err != nil {
		return err
	}
	ids := chart.RoutePatients(all, r.Nurse, today, r.Days)
	wasSet, err := scopeIsSet(ctx, t)
	if err != nil {
		return err
	}
	if !wasSet {
		if err := s.scopeFromAll(ctx, t, ids); err != nil {
			return err
		}
	}
	if err := s.scopeToSet(ctx, t, ids); err != nil {
		return err
	}
	return setMeta(ctx, t, metaSyncScope, []byte(scopeSet))
}

// refreshRoute recomputes a route by date, if this workstation follows one.
func (s *Session) refreshRoute(ctx context.Context, t *tx) error {
	r, err := readRoute(ctx, t)
	if err != nil || r == nil {
		return err
	}
	return s.followRoute(ctx, t, *r)
}
