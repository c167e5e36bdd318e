package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/apply"
	"outpost/sync/clock"
	"outpost/sync/merge"
	"outpost/sync/wire"
)

// What an administrator does with held changes (quarantine.go): list them,
// retry them (after an update of Outpost that knows a newer kind, or once a
// missing key arrived), and dismiss them with a reason. Retries and
// dismissals are audited.

var _ chart.QuarantineService = (*Session)(nil)

const dismissADLabel = "outpost/quarantine-dismissal/v1"

// reasonVerbs say what could not be done with a held change, by reason.
var reasonVerbs = map[string]string{
	apply.ReasonMalformed:   "read",
	apply.ReasonClock:       "accepted",
	apply.ReasonUnknownKind: "used",
	apply.ReasonUnverified:  "verified",
	apply.ReasonUnopened:    "opened",
	apply.ReasonMerge:       "merged",
	apply.ReasonKey:         "verified yet",
	apply.ReasonContent:     "accepted",
}

// HeldCount counts the held changes nobody dismissed, without the key (the
// sync strip shows it to administrators).
func (w *Workstation) HeldCount(ctx context.Context) (int, error) {
	var n int
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine WHERE dismissed_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count held changes: %w", err)
	}
	return n, nil
}

// HeldChanges lists the held changes, oldest first; dismissed ones only
// when asked. Administrators only.
func (s *Session) HeldChanges(ctx context.Context, includeDismissed bool) ([]chart.HeldChange, error) {
	out := []chart.HeldChange{}
	err := s.guarded("list held changes", chart.ActManagePractice, func() error {
		return s.w.snapshot(ctx, func(q queryer) error {
			rows, err := loadHeld(ctx, q, includeDismissed, nil)
			if err != nil {
				return err
			}
			names := newConflictNames(s, q)
			for _, r := range rows {
				h, err := s.describeHeld(ctx, q, names, r)
				if err != nil {
					return err
				}
				out = append(out, h)
			}
			return nil
		})
	})
	return out, err
}

// heldRow is one quarantine row.
type heldRow struct {
	id          int64
	change      wire.Change
	reason      string
	detail      string
	received    string
	tries       int
	lastTried   string
	dismissedAt sql.NullString
	dismissedBy sql.NullString
	dismissWhy  []byte
}

func loadHeld(ctx context.Context, q queryer, includeDismissed bool, ids []int64) ([]heldRow, error) {
	where := `WHERE dismissed_at IS NULL`
	if includeDismissed {
		where = `WHERE 1`
	}
	args := []any{}
	if ids != nil {
		where += ` AND id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, `+wireColumns+`, reason, detail, received_at, tries, last_tried_at,
		dismissed_at, dismissed_by, dismissed_reason FROM quarantine `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list held changes: %w", err)
	}
	defer rows.Close()
	var out []heldRow
	for rows.Next() {
		var r heldRow
		var parents string
		c := &r.change
		if err := rows.Scan(&r.id, &c.ChangeID, &c.RecordID, &c.Kind, &c.PatientID, &c.Version, &parents, &c.HLC,
			&c.DeviceID, &c.UserID, &c.Sealed, &c.Auth, &r.reason, &r.detail, &r.received, &r.tries, &r.lastTried,
			&r.dismissedAt, &r.dismissedBy, &r.dismissWhy); err != nil {
			return nil, fmt.Errorf("list held changes: %w", err)
		}
		c.Parents = parseParentsLoose(parents)
		out = append(out, r)
	}
	return out, rows.Err()
}

// parseParentsLoose reads a held change's parents; a malformed list (it
// was held for being malformed) reads as none.
func parseParentsLoose(raw string) []chart.ChangeID {
	var p []chart.ChangeID
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return []chart.ChangeID{}
	}
	return nonNilParents(p)
}

// describeHeld turns a row into what the administrator reads.
func (s *Session) describeHeld(ctx context.Context, q queryer, names *conflictNames, r heldRow) (chart.HeldChange, error) {
	c := r.change
	h := chart.HeldChange{ID: r.id, ChangeID: string(c.ChangeID), Kind: c.Kind, RecordID: c.RecordID, PatientID: c.PatientID,
		DeviceID: c.DeviceID, UserID: c.UserID, Reason: r.reason, Tries: r.tries}
	var err error
	if chart.ValidID(string(c.PatientID)) {
		if h.PatientName, err = names.patient(ctx, c.PatientID); err != nil {
			h.PatientName = "" // the patient's own record does not open: the list still shows
		}
	}
	if v, err := names.value(ctx, merge.ConflictValue{UserID: c.UserID}); err == nil && v.UserName != string(c.UserID) {
		h.UserName = v.UserName
	}
	if h.DeviceName, err = deviceName(ctx, q, c.DeviceID); err != nil {
		return h, err
	}
	if ts, err := clock.ParseTimestamp(c.HLC); err == nil {
		h.WrittenAt = ts.Time().UTC()
	}
	h.ReceivedAt, _ = parseTime(r.received)
	h.LastTried, _ = parseTime(r.lastTried)
	h.Message = heldMessage(h.DeviceName, r.reason, r.detail)
	if r.dismissedAt.Valid {
		at, _ := parseTime(r.dismissedAt.String)
		h.DismissedAt, h.DismissedBy = &at, r.dismissedBy.String
		if pt, err := s.key.Open(r.dismissWhy, seal.AD(dismissADLabel, fmt.Sprint(r.id))); err == nil {
			h.DismissedReason = string(pt)
		}
	}
	return h, nil
}

// heldMessage names the sending workstation and the real cause.
func heldMessage(device, reason, detail string) string {
	verb := reasonVerbs[reason]
	if verb == "" {
		verb = "applied"
	}
	return fmt.Sprintf("A change sent by workstation %s could not be %s: %s.", quotedName(device), verb, detail)
}

// quotedName puts a workstation's name in quotes, and leaves the end of an
// id (a name not synced yet) as it is.
func quotedName(name string) string {
	if strings.HasPrefix(name, "…") {
		return name
	}
	return "“" + name + "”"
}

// deviceName is the name a workstation published for itself, else the
// end of its id (it has not synced its name yet).
func deviceName(ctx context.Context, q queryer, id chart.DeviceID) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM devices WHERE id = ?`, string(id)).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		s := string(id)
		if len(s) > 8 {
			s = s[len(s)-8:]
		}
		return "…" + s, nil
	}
	if err != nil {
		return "", fmt.Errorf("find workstation %s: %w", id, err)
	}
	return name, nil
}

// RetryHeld tries the held changes ids again, in the order they arrived:
// those that now pass every check are taken in and their records merged;
// the others stay held with their reason brought up to date.
func (s *Session) RetryHeld(ctx context.Context, ids []int64) (chart.HeldRetry, error) {
	var res chart.HeldRetry
	err := s.guarded("retry held changes", chart.ActManagePractice, func() error {
		rows, err := loadHeld(ctx, s.w.db, false, ids)
		if err != nil {
			return err
		}
		for _, r := range rows {
			released, err := s.retryOne(ctx, r)
			if err != nil {
				return err
			}
			if released {
				res.Released++
			} else {
				res.StillHeld++
			}
		}
		return nil
	})
	return res, err
}

// retryHeldForKey retries the changes held back for want of a key, once a
// pull brought keys this session lacked. It returns how many were taken in.
func (s *Session) retryHeldForKey(ctx context.Context) (int, error) {
	rows, err := loadHeld(ctx, s.w.db, false, nil)
	if err != nil {
		return 0, err
	}
	released := 0
	for _, r := range rows {
		if r.reason != apply.ReasonKey {
			continue
		}
		ok, err := s.retryOne(ctx, r)
		if err != nil {
			return released, err
		}
		if ok {
			released++
		}
	}
	return released, nil
}

// retryOne retries one held change in its own transaction.
func (s *Session) retryOne(ctx context.Context, r heldRow) (bool, error) {
	c := r.change
	var released bool
	var merged *chart.Patient
	err := s.w.write(ctx, func(t *tx) error {
		if why := s.screen(&c, t.now); why != nil {
			return s.auditRetry(ctx, t, r, requarantine(ctx, t, r.id, why))
		}
		if _, err := insertRemoteChange(ctx, t, &c, false); err != nil {
			return err
		}
		held, err := s.runHook(ctx, t, &c)
		if err != nil || held {
			return errors.Join(err, s.auditRetry(ctx, t, r, nil))
		}
		if mergesKind(c.Kind) {
			rec := apply.Record{Kind: c.Kind, ID: c.RecordID}
			p, _, nh, err := s.mergeOrHold(ctx, t, rec, []chart.ChangeID{c.ChangeID}, true)
			if err != nil || nh > 0 {
				return errors.Join(err, s.auditRetry(ctx, t, r, nil))
			}
			merged = p
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM quarantine WHERE id = ?`, r.id); err != nil {
			return fmt.Errorf("release held change %d: %w", r.id, err)
		}
		s.observe(c.HLC)
		released = true
		return s.auditRetry(ctx, t, r, nil)
	})
	if err != nil {
		return false, err
	}
	if merged != nil {
		s.index.Put(*merged)
	}
	return released, nil
}

// requarantine brings a still-failing held change's reason up to date.
func requarantine(ctx context.Context, t *tx, id int64, why *apply.Held) error {
	_, err := t.ExecContext(ctx, `UPDATE quarantine SET reason = ?, detail = ?, tries = tries + 1, last_tried_at = ?
		WHERE id = ?`, why.Reason, why.Detail, formatTime(t.now), id)
	if err != nil {
		return fmt.Errorf("update held change %d: %w", id, err)
	}
	return nil
}

func (s *Session) auditRetry(ctx context.Context, t *tx, r heldRow, prior error) error {
	if prior != nil {
		return prior
	}
	return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditQuarantine, PatientID: validPatient(r.change.PatientID),
		Detail: fmt.Sprintf("retried held change %s (%s) from workstation %s", r.change.ChangeID, r.change.Kind,
			r.change.DeviceID)})
}

func validPatient(id chart.PatientID) chart.PatientID {
	if chart.ValidID(string(id)) {
		return id
	}
	return ""
}

// DismissHeld sets a held change aside for good, with the administrator's
// reason (sealed: it is free text). It stays listed as dismissed.
func (s *Session) DismissHeld(ctx context.Context, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > chart.MaxDismissReason {
		return chart.FieldError("reason", "Say why this change is dismissed (1 to %d characters).", chart.MaxDismissReason)
	}
	return s.guarded("dismiss a held change", chart.ActManagePractice, func() error {
		return s.w.write(ctx, func(t *tx) error {
			rows, err := loadHeld(ctx, t, false, []int64{id})
			if err != nil {
				return err
			}
			if len(rows) == 0 {
				return chart.Errorf(chart.ENOTFOUND, "That held change is not held any more (dismissed or taken in already).")
			}
			sealed := s.key.Seal([]byte(reason), seal.AD(dismissADLabel, fmt.Sprint(id)))
			if _, err := t.ExecContext(ctx, `UPDATE quarantine SET dismissed_at = ?, dismissed_by = ?, dismissed_reason = ?
				WHERE id = ?`, formatTime(t.now), s.user.FullName, sealed, id); err != nil {
				return fmt.Errorf("dismiss held change %d: %w", id, err)
			}
			c := rows[0].change
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditQuarantine, PatientID: validPatient(c.PatientID),
				Detail: fmt.Sprintf("dismissed held change %s (%s) from workstation %s: %s", c.ChangeID, c.Kind, c.DeviceID,
					reason)})
		})
	})
}
