package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"

	"outpost/chart"
	"outpost/seal"
)

const heldImportADLabel = "outpost/held-import/v1"

// heldBatch is what a held import keeps, sealed: the queue entry, the
// incoming records with their attachments' bytes (which PatientRecords
// does not encode), and the options the import ran with.
type heldBatch struct {
	Held    chart.HeldImport     `json:"held"`
	Records chart.PatientRecords `json:"records"`
	Data    [][]byte             `json:"data"`
	Options chart.ImportOptions  `json:"options"`
}

// holdImport keeps recs in the match queue for a person, sealed. The
// queue id is stable per incoming patient, so importing the same file
// again while it waits replaces the entry instead of adding a second.
func (s *Session) holdImport(ctx context.Context, t *tx, recs *chart.PatientRecords, opts chart.ImportOptions, dec matchDecision) error {
	id := string(importID(s.key.Derive(importIDLabel), "held|"+string(s.importedPatientID(&recs.Patient))))
	b := heldBatch{Records: *recs, Options: opts, Held: chart.HeldImport{ID: id, ImportID: opts.ImportID, File: opts.File,
		HeldAt: t.now, Incoming: recs.Patient.Summary(), Candidates: dec.candidates, Reason: dec.reason,
		Counts: batchCounts(recs), LabResults: opts.Lab}}
	for _, a := range recs.Attachments {
		b.Data = append(b.Data, a.Data)
	}
	pt, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode held import: %w", err)
	}
	defer clear(pt)
	_, err = t.ExecContext(ctx, `INSERT INTO held_imports (id, held_at, sealed) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET held_at = excluded.held_at, sealed = excluded.sealed`,
		id, formatTime(t.now), s.key.Seal(pt, seal.AD(heldImportADLabel, id)))
	if err != nil {
		return fmt.Errorf("hold import: %w", err)
	}
	return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditImport, Detail: fmt.Sprintf(
		"held an incoming patient from %s (import %s) for a person to match: %s", fileOrUnknown(opts.File), opts.ImportID, dec.reason)})
}

// batchCounts counts the records of a batch by kind.
func batchCounts(r *chart.PatientRecords) map[string]int {
	c := map[string]int{chart.KindEncounter: len(r.Encounters), chart.KindProblem: len(r.Problems),
		chart.KindMedication: len(r.Medications), chart.KindAllergy: len(r.Allergies), chart.KindVitals: len(r.Vitals),
		chart.KindResult: len(r.Results), chart.KindAttachment: len(r.Attachments), chart.KindImmunization: len(r.Immunizations),
		chart.KindNote: len(r.Notes), chart.KindProcedure: len(r.Procedures), chart.KindSocial: len(r.SocialHistory),
		chart.KindFamily: len(r.FamilyHistory), chart.KindPregnancy: len(r.Pregnancy), chart.KindSourceDocument: len(r.Sources)}
	maps.DeleteFunc(c, func(_ string, n int) bool { return n == 0 })
	return c
}

// HeldImports lists the match queue, oldest first. Showing who is waiting
// (and the charts they may be) is a read of demographics: audited.
func (s *Session) HeldImports(ctx context.Context) ([]chart.HeldImport, error) {
	out := []chart.HeldImport{}
	err := s.guarded("held imports", chart.ActReadDemographics, func() error {
		rows, err := s.w.db.QueryContext(ctx, `SELECT id, sealed FROM held_imports ORDER BY held_at, id`)
		if err != nil {
			return fmt.Errorf("list held imports: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var sealed []byte
			if err := rows.Scan(&id, &sealed); err != nil {
				return fmt.Errorf("list held imports: %w", err)
			}
			b, err := s.openHeld(id, sealed)
			if err != nil {
				return err
			}
			out = append(out, b.Held)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list held imports: %w", err)
		}
		return s.w.write(ctx, func(t *tx) error {
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditSearch,
				Detail: fmt.Sprintf("listed incoming patients waiting to be matched: %d", len(out))})
		})
	})
	return out, err
}

func (s *Session) openHeld(id string, sealed []byte) (heldBatch, error) {
	var b heldBatch
	pt, err := s.key.Open(sealed, seal.AD(heldImportADLabel, id))
	if err != nil {
		return b, chart.Errorf(chart.EINTEGRITY, "The held import %s failed its integrity check: it may have been altered on disk.", id)
	}
	defer clear(pt)
	if err := json.Unmarshal(pt, &b); err != nil || b.Held.ID != id || len(b.Data) != len(b.Records.Attachments) {
		return b, chart.Errorf(chart.EINTEGRITY, "The held import %s failed its integrity check.", id)
	}
	for i := range b.Data {
		b.Records.Attachments[i].Data = b.Data[i]
	}
	return b, nil
}

func (s *Session) loadHeld(ctx context.Context, q queryer, id string) (heldBatch, error) {
	var sealed []byte
	err := q.QueryRowContext(ctx, `SELECT sealed FROM held_imports WHERE id = ?`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return heldBatch{}, chart.Errorf(chart.ENOTFOUND, "That incoming patient is no longer waiting to be matched: "+
			"someone may have matched or dismissed it already.")
	}
	if err != nil {
		return heldBatch{}, fmt.Errorf("load held import: %w", err)
	}
	return s.openHeld(id, sealed)
}

// ResolveHeldImport imports a held batch as a person decided: into the
// chart opts.MatchTo, or as a new patient (opts.NewPatient). The batch
// leaves the queue in the same transaction.
func (s *Session) ResolveHeldImport(ctx context.Context, id string, opts chart.ImportOptions) (chart.ImportOutcome, error) {
	var out chart.ImportOutcome
	var indexed *chart.Patient
	err := s.guardedImport("resolve held import", func() error {
		if (opts.MatchTo == "") == !opts.NewPatient {
			return chart.FieldError("matchTo", "Choose the chart this patient belongs to, or say it is a new patient.")
		}
		return s.w.write(ctx, func(t *tx) error {
			b, err := s.loadHeld(ctx, t, id)
			if err != nil {
				return err
			}
			if b.Options.Lab && opts.NewPatient {
				return chart.FieldError("matchTo", "A lab's results belong to a patient already in the chart: choose which.")
			}
			b.Options.MatchTo, b.Options.NewPatient = opts.MatchTo, opts.NewPatient
			if err := validateImport(&b.Records, t.now); err != nil {
				return err
			}
			if out, indexed, err = s.importIn(ctx, t, &b.Records, b.Options, nil); err != nil {
				return err
			}
			return deleteHeld(ctx, t, id)
		})
	})
	if err != nil {
		return chart.ImportOutcome{}, err
	}
	if indexed != nil {
		s.index.Put(*indexed)
	}
	return out, nil
}

// DismissHeldImport drops a held batch unimported, with the reason.
func (s *Session) DismissHeldImport(ctx context.Context, id, reason string) error {
	return s.guardedImport("dismiss held import", func() error {
		reason = strings.TrimSpace(reason)
		if reason == "" || len([]rune(reason)) > chart.MaxShortTextLen || strings.ContainsAny(reason, "\n\r\t\x00") {
			return chart.FieldError("reason", "Say in one line (at most %d characters) why it is not imported.", chart.MaxShortTextLen)
		}
		return s.w.write(ctx, func(t *tx) error {
			b, err := s.loadHeld(ctx, t, id)
			if err != nil {
				return err
			}
			if err := deleteHeld(ctx, t, id); err != nil {
				return err
			}
			return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditImport, Detail: fmt.Sprintf(
				"dismissed an incoming patient from %s (import %s), not imported: %s", fileOrUnknown(b.Held.File), b.Held.ImportID, reason)})
		})
	})
}

func deleteHeld(ctx context.Context, t *tx, id string) error {
	if _, err := t.ExecContext(ctx, `DELETE FROM held_imports WHERE id = ?`, id); err != nil {
		return fmt.Errorf("remove held import: %w", err)
	}
	return nil
}
