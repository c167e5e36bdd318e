package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// openAuditDetail returns the readable detail, or the unreadable marker when
// it was sealed under another key or altered.
func openAuditDetail(key *seal.Key, r auditRow) string {
	if !r.sealed {
		return string(r.detail)
	}
	if key == nil {
		return unreadableDetail
	}
	pt, err := key.Open(r.detail, auditAD(r.seq))
	if err != nil {
		return unreadableDetail
	}
	return string(pt)
}

// listAudit returns entries matching f, newest first. Details sealed under a
// different key or failing to open are shown as unreadableDetail and do not
// fail the listing.
func listAudit(ctx context.Context, db *sql.DB, key *seal.Key, f chart.AuditFilter) ([]chart.AuditEntry, error) {
	if f.AllDevices {
		return listPracticeAudit(ctx, db, key, f)
	}
	where, args, err := auditWhere(f)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+where+
		` ORDER BY seq DESC LIMIT ?`, append(args, auditLimit(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	entries := []chart.AuditEntry{}
	for rows.Next() {
		r, err := scanAuditRow(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}
		entries = append(entries, r.entry(openAuditDetail(key, r)))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return entries, nil
}

func auditLimit(n int) int {
	switch {
	case n <= 0:
		return auditDefaultLimit
	case n > auditMaxLimit:
		return auditMaxLimit
	default:
		return n
	}
}

// auditWhere builds the WHERE clause; every value goes in as a parameter.
func auditWhere(f chart.AuditFilter) (string, []any, error) {
	if f.BeforeSeq < 0 {
		return "", nil, chart.FieldError("beforeSeq", "The page position must not be negative.")
	}
	conds, args, err := auditConds(f)
	if err != nil {
		return "", nil, err
	}
	if f.BeforeSeq > 0 {
		conds, args = append(conds, "seq < ?"), append(args, f.BeforeSeq)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// auditConds are the filter's conditions other than paging, on the columns
// audit_log and audit_remote share.
func auditConds(f chart.AuditFilter) ([]string, []any, error) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.UserID != "" {
		add("user_id = ?", string(f.UserID))
	}
	if f.PatientID != "" {
		add("patient_id = ?", string(f.PatientID))
	}
	if f.Action != "" {
		add("action = ?", string(f.Action))
	}
	from, to, err := auditDateRange(f.From, f.To)
	if err != nil {
		return nil, nil, err
	}
	if !from.IsZero() {
		add("at >= ?", from.UnixNano())
	}
	if !to.IsZero() {
		add("at < ?", to.UnixNano())
	}
	return conds, args, nil
}

// auditDateRange turns the inclusive local dates into [from, to) instants.
// The day after To is computed with time.Date rather than +24h so a day with
// a daylight-saving change is still covered whole. Zero means unbounded.
func auditDateRange(fromDay, toDay string) (from, to time.Time, err error) {
	if fromDay != "" {
		if from, err = parseLocalDay(fromDay); err != nil {
			return from, to, chart.FieldError("from", "The start date must be a date like 2026-03-14.")
		}
	}
	if toDay != "" {
		day, err := parseLocalDay(toDay)
		if err != nil {
			return from, to, chart.FieldError("to", "The end date must be a date like 2026-03-14.")
		}
		to = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, time.Local)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, chart.FieldError("to", "The end date is before the start date.")
	}
	return from, to, nil
}

// parseLocalDay also bounds the year: entries are stored as unix nanoseconds,
// which only reach 2262, and nothing was audited before 1970.
func parseLocalDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err == nil && (t.Year() < 1970 || t.Year() > 2200) {
		err = fmt.Errorf("date %s out of range", s)
	}
	return t, err
}
