package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"outpost/chart"
	"outpost/sync/merge"
)

// A practice's own templates are records of kind template with no patient.
// They hold no health data but may hold a practice's wording, so they are
// sealed like everything else. A template has no version in its type: the
// last save wins.

// Templates lists the built-in templates, then the practice's own in the
// order they were created.
func (s *Session) Templates(ctx context.Context) ([]chart.Template, error) {
	var out []chart.Template
	err := s.guarded("list templates", chart.ActReadClinical, func() error {
		builtIn, err := chart.BuiltInTemplates()
		if err != nil {
			return err
		}
		own, err := s.practiceTemplates(ctx)
		if err != nil {
			return err
		}
		out = append(builtIn, own...)
		return nil
	})
	return out, err
}

func (s *Session) practiceTemplates(ctx context.Context) ([]chart.Template, error) {
	rows, err := s.w.db.QueryContext(ctx, `SELECT `+clinicalColumns+` FROM records WHERE kind = ? ORDER BY id`, chart.KindTemplate)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	var out []chart.Template
	for rows.Next() {
		r, err := scanClinical(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list templates: %w", err)
		}
		t, err := s.openTemplate(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Session) openTemplate(r clinicalRow) (chart.Template, error) {
	var t chart.Template
	pt, err := s.key.Open(r.sealed, recordAD(chart.KindTemplate, r.id, r.version, r.head))
	if err != nil {
		return t, recordIntegrityError(chart.KindTemplate, r.id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &t); err != nil || t.ID != r.id {
		return chart.Template{}, recordIntegrityError(chart.KindTemplate, r.id)
	}
	return t, nil
}

// SaveTemplate creates or replaces one of the practice's templates. The
// built-in ones are part of Outpost and cannot be changed (save a copy).
func (s *Session) SaveTemplate(ctx context.Context, tm chart.Template) (chart.Template, error) {
	err := s.guarded("save template", chart.ActWriteClinical, func() error {
		if strings.HasPrefix(tm.ID, chart.BuiltInTemplateIDPrefix) {
			return chart.Errorf(chart.ECONFLICT, "Built-in templates cannot be changed. Save a copy under a new name instead.")
		}
		if err := tm.Validate(); err != nil {
			return err
		}
		tm.BuiltIn = false
		return s.w.write(ctx, func(t *tx) error { return s.storeTemplate(ctx, t, &tm) })
	})
	if err != nil {
		return chart.Template{}, err
	}
	return tm, nil
}

func (s *Session) storeTemplate(ctx context.Context, t *tx, tm *chart.Template) error {
	version, action, parents := int64(1), chart.AuditCreate, []chart.ChangeID(nil)
	if tm.ID == "" {
		tm.ID = string(chart.NewRecordID())
	} else {
		row, err := loadClinicalRow(ctx, t, chart.KindTemplate, chart.RecordID(tm.ID))
		if err != nil {
			return err
		}
		version, action, parents = row.version+1, chart.AuditUpdate, []chart.ChangeID{row.head}
	}
	if err := s.putTemplate(ctx, t, tm, version, parents, nil); err != nil {
		return err
	}
	return s.audit(ctx, t, chart.AuditEntry{Action: action, RecordKind: chart.KindTemplate, RecordID: tm.ID,
		Detail: fmt.Sprintf("saved note template %q (version %d)", tm.Name, version)})
}

// putTemplate seals tm as version, a new change, and makes it current. An
// edit (parents not nil) names every head of the template and re-merges it
// when it had several heads or kept conflicts; resolves are the fields
// whose conflict it settles (merge.ResolvesKey).
func (s *Session) putTemplate(ctx context.Context, t *tx, tm *chart.Template, version int64, parents []chart.ChangeID,
	resolves []string) error {
	lw, err := prepareLocal(ctx, t, chart.KindTemplate, tm.ID, parents)
	if err != nil {
		return err
	}
	pt, err := json.Marshal(tm)
	if err != nil {
		return fmt.Errorf("encode template: %w", err)
	}
	if pt, err = merge.WithResolves(pt, resolves); err != nil {
		return err
	}
	defer clear(pt)
	cid := chart.NewChangeID()
	sealed := s.key.Seal(pt, recordAD(chart.KindTemplate, tm.ID, version, cid))
	if err := s.w.putRecord(ctx, t, s.key, s.deviceID, change{id: cid, kind: chart.KindTemplate, recordID: tm.ID,
		version: version, parents: lw.parents, userID: s.user.ID, sealed: sealed}); err != nil {
		return err
	}
	return s.finishLocal(ctx, t, chart.KindTemplate, tm.ID, lw)
}
