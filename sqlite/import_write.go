package sqlite

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"outpost/chart"
	"outpost/internal/worker"
)

// importWriter writes one patient's imported records inside the import's
// transaction. Which of the batch's ids the store holds already is asked
// once for the whole batch, not once a record.
type importWriter struct {
	ctx     context.Context
	s       *Session
	t       *tx
	patient chart.PatientID
	out     *chart.ImportOutcome
	// present are the batch's record ids the store holds already.
	present map[chart.RecordID]bool
	// encounters are the encounter ids of this chart known so far.
	encounters map[chart.RecordID]bool
	// pending are the records to write (flush); queued their ids.
	pending []pendingWrite
	queued  map[chart.RecordID]bool
	// ahead holds the patient's records sealed ahead (import_ahead.go);
	// nil when none were.
	ahead *aheadPatient
}

// importFault, set by tests only, fails the write of a record of a kind
// midway through a patient's transaction.
var importFault func(kind string) error

func newImportWriter(ctx context.Context, s *Session, t *tx, patient chart.PatientID, out *chart.ImportOutcome,
	ahead *aheadPatient) *importWriter {
	return &importWriter{ctx: ctx, s: s, t: t, patient: patient, out: out, present: map[chart.RecordID]bool{},
		encounters: map[chart.RecordID]bool{}, queued: map[chart.RecordID]bool{}, ahead: ahead}
}

// writeAll writes the batch: every kind of importKinds in its order, then
// the attachments and "no known allergies".
func (w *importWriter) writeAll(r *chart.PatientRecords) error {
	linkAttachments(r)
	for _, k := range importKinds {
		if err := k.collect(w, r); err != nil {
			return err
		}
	}
	return firstError(
		w.flush,
		func() error { return w.writeAttachments(r.Attachments) },
		func() error { return w.writeNoKnownAllergies(r) },
	)
}

// importKind is one kind of record an import writes, built by kindOf:
// collect queues a patient's records of it for the writer, ahead lists
// them for sealing ahead (import_ahead.go), both with the kind's shape.
type importKind struct {
	collect func(w *importWriter, r *chart.PatientRecords) error
	ahead   func(a *aheadPatient, r *chart.PatientRecords, now time.Time, user chart.UserID)
}

// importKinds are the kinds an import writes, in the order it writes them:
// encounters first (the rest link to them). The writer and the sealing
// ahead both go through this one list, so they seal the same records in
// the same order with the same shapes.
var importKinds = []importKind{
	kindOf(chart.KindEncounter, func(r *chart.PatientRecords) []chart.Encounter { return r.Encounters },
		(*importWriter).addEncounter, shapeEncounter),
	kindOf(chart.KindProblem, func(r *chart.PatientRecords) []chart.Problem { return r.Problems }, nil, nil),
	kindOf(chart.KindMedication, func(r *chart.PatientRecords) []chart.Medication { return r.Medications },
		(*importWriter).checkMedication, shapeMedication),
	kindOf(chart.KindAllergy, func(r *chart.PatientRecords) []chart.Allergy { return r.Allergies }, nil, nil),
	kindOf(chart.KindVitals, func(r *chart.PatientRecords) []chart.VitalsRecord { return r.Vitals },
		(*importWriter).checkVitals, shapeVitals),
	kindOf(chart.KindResult, func(r *chart.PatientRecords) []chart.Result { return r.Results },
		(*importWriter).checkResult, shapeResult),
	kindOf(chart.KindImmunization, func(r *chart.PatientRecords) []chart.Immunization { return r.Immunizations }, nil, nil),
	kindOf(chart.KindNote, func(r *chart.PatientRecords) []chart.Note { return r.Notes },
		(*importWriter).checkNote, shapeNote),
	kindOf(chart.KindProcedure, func(r *chart.PatientRecords) []chart.Procedure { return r.Procedures },
		(*importWriter).checkProcedure, nil),
	kindOf(chart.KindSocial, func(r *chart.PatientRecords) []chart.SocialHistory { return r.SocialHistory }, nil, nil),
	kindOf(chart.KindFamily, func(r *chart.PatientRecords) []chart.FamilyHistory { return r.FamilyHistory }, nil, nil),
	kindOf(chart.KindPregnancy, func(r *chart.PatientRecords) []chart.PregnancyStatus { return r.Pregnancy }, nil, nil),
	kindOf(chart.KindSourceDocument, func(r *chart.PatientRecords) []chart.SourceDocument { return r.Sources }, nil, nil),
}

// kindOf is the importKind of kind, whose records recs finds in a patient's
// batch. check (optional) checks a record's links in the transaction (the
// writer only); shape (optional) gives a record its imported form (both).
func kindOf[T any, P recordPtr[T]](kind string, recs func(*chart.PatientRecords) []T,
	check func(*importWriter, P) error, shape func(P, time.Time) rowFlags) importKind {
	return importKind{
		collect: func(w *importWriter, r *chart.PatientRecords) error { return collect(w, kind, recs(r), check, shape) },
		ahead: func(a *aheadPatient, r *chart.PatientRecords, now time.Time, user chart.UserID) {
			aheadKind(a, kind, recs(r), now, user, shape)
		},
	}
}

// pendingWrite is a new record checked and ready to seal and write.
type pendingWrite struct {
	kind  string
	meta  *chart.Meta
	rec   any
	flags rowFlags
}

// collect queues the records of one kind that the store does not hold
// yet, each checked (check, optional: its links) and shaped (shape,
// optional: what the store owns).
func collect[T any, P recordPtr[T]](w *importWriter, kind string, recs []T, check func(*importWriter, P) error,
	shape func(P, time.Time) rowFlags) error {
	if err := w.findPresent(idsOf[T, P](recs)); err != nil {
		return err
	}
	for i := range recs {
		rec := P(&recs[i])
		m := rec.RecordMeta()
		// An id is the import's stable id of one source resource, held in
		// whichever chart: it is never written twice.
		if w.present[m.ID] || w.queued[m.ID] {
			w.out.AlreadyPresent[kind]++ // a resource the input holds twice is written once
			continue
		}
		w.queued[m.ID] = true
		w.newMeta(m)
		if check != nil {
			if err := check(w, rec); err != nil {
				return importRecordError(kind, m.Origin, string(m.ID), err)
			}
		}
		var f rowFlags
		if shape != nil {
			f = shape(rec, w.t.now)
		}
		w.pending = append(w.pending, pendingWrite{kind: kind, meta: m, rec: rec, flags: f})
	}
	return nil
}

// flush seals the queued records on the spare cores while writing them,
// in order and a chunk of rows a statement (importRows), on this one:
// sealing (JSON, compression, encryption) and SQLite overlap instead of
// taking turns. A record sealed ahead (import_ahead.go) is taken as
// sealed; the others are sealed here.
func (w *importWriter) flush() error {
	n := len(w.pending)
	sealed := make([]sealedRecord, n)
	errs := make([]error, n)
	ready := make([]chan struct{}, n)
	ahead := make([]*aheadSlot, n)
	var own []int // the records sealed here
	for i := range ready {
		if ahead[i] = w.ahead.take(&w.pending[i], w.patient); ahead[i] != nil {
			if takenAheadHook != nil {
				takenAheadHook(ahead[i], &w.pending[i])
			}
			ready[i] = ahead[i].done
			continue
		}
		ready[i] = make(chan struct{})
		own = append(own, i)
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), 1+len(own)/parallelOpenMin))
	var wg gosync.WaitGroup
	for k := range min(workers, len(own)) {
		wg.Go(func() {
			j := k
			err := worker.Guard(func() error {
				for ; j < len(own); j += workers {
					i := own[j]
					p := &w.pending[i]
					sealed[i], errs[i] = sealRecord(w.s.key, p.kind, p.meta, p.rec, nil)
					close(ready[i])
				}
				return nil
			})
			// A panic while sealing record i fails it and this sealer's
			// rest: the writer, waiting on each in turn, gets the error
			// (the patient's transaction rolls back), never a wait forever.
			for ; j < len(own); j += workers {
				i := own[j]
				errs[i] = sealPanicError(w.pending[i].kind, err)
				close(ready[i])
			}
		})
	}
	defer wg.Wait()
	defer w.ahead.help()()
	rows := importRows{s: w.s}
	for i := range w.pending {
		<-ready[i]
		if a := ahead[i]; a != nil {
			sealed[i], errs[i] = a.sealed, a.err
		}
		p := &w.pending[i]
		if errs[i] != nil {
			return errs[i]
		}
		if importFault != nil {
			if err := importFault(p.kind); err != nil {
				return err
			}
		}
		if err := rows.add(w.ctx, w.t, p.kind, p.meta, sealed[i], p.flags); err != nil {
			return err
		}
		w.out.Imported[p.kind]++
	}
	w.pending = nil
	return rows.flush(w.ctx, w.t)
}

// idsOf lists the record ids of recs.
func idsOf[T any, P recordPtr[T]](recs []T) []any {
	ids := make([]any, len(recs))
	for i := range recs {
		ids[i] = string(P(&recs[i]).RecordMeta().ID)
	}
	return ids
}

// findPresent adds to w.present which of ids the store holds.
func (w *importWriter) findPresent(ids []any) error {
	found, err := findRecords(w.ctx, w.t, ids)
	maps.Copy(w.present, found)
	return err
}

// findRecords says which of ids the store holds, a chunk of ids per query.
func findRecords(ctx context.Context, t *tx, ids []any) (map[chart.RecordID]bool, error) {
	found := map[chart.RecordID]bool{}
	for chunk := range slices.Chunk(ids, unreadableChunk) {
		rows, err := t.QueryContext(ctx, `SELECT id FROM records WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return found, fmt.Errorf("find imported records: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return found, fmt.Errorf("find imported records: %w", err)
			}
			found[chart.RecordID(id)] = true
		}
		if err := rows.Close(); err != nil {
			return found, fmt.Errorf("find imported records: %w", err)
		}
	}
	return found, nil
}

// sealPanicError is the failure of a record whose sealing panicked.
func sealPanicError(kind string, err error) error {
	return fmt.Errorf("seal an imported %s: %w", kind, err)
}

// newMeta makes m version 1 of a record of this chart, keeping its id and
// origin.
func (w *importWriter) newMeta(m *chart.Meta) {
	importMeta(m, w.patient, w.t.now, w.s.user.ID)
}

// importMeta makes m version 1 of a record of patient's chart, written at
// now by user, keeping its id and origin.
func importMeta(m *chart.Meta, patient chart.PatientID, now time.Time, user chart.UserID) {
	*m = chart.Meta{ID: m.ID, PatientID: patient, Version: 1, CreatedAt: now, CreatedBy: user,
		UpdatedAt: now, UpdatedBy: user, Origin: m.Origin}
}

// The check functions check a record's links in the transaction and
// change nothing of it; the shape functions give it its imported form, and
// only they change it: the sealing ahead gives its copies the same shapes
// without the transaction (import_ahead.go), so whatever an import changes
// in a record belongs in its shape function.

// addEncounter notes an encounter of this chart, for the records that link
// to it.
func (w *importWriter) addEncounter(e *chart.Encounter) error {
	w.encounters[e.ID] = true
	return nil
}

func shapeEncounter(e *chart.Encounter, _ time.Time) rowFlags {
	e.ClinicianID = "" // the source's clinician is named, not a user of this practice
	return rowFlags{}
}

// linkEncounter refuses a link to an encounter that is not in this chart.
func (w *importWriter) linkEncounter(id chart.RecordID) error {
	if id == "" || w.encounters[id] {
		return nil
	}
	if err := requireEncounter(w.ctx, w.t, id, w.patient); err != nil {
		return err
	}
	w.encounters[id] = true
	return nil
}

func (w *importWriter) checkMedication(m *chart.Medication) error {
	return w.linkEncounter(m.EncounterID)
}
func (w *importWriter) checkVitals(v *chart.VitalsRecord) error {
	return w.linkEncounter(v.EncounterID)
}
func (w *importWriter) checkProcedure(p *chart.Procedure) error {
	return w.linkEncounter(p.EncounterID)
}
func (w *importWriter) checkResult(r *chart.Result) error { return w.linkEncounter(r.EncounterID) }
func (w *importWriter) checkNote(n *chart.Note) error     { return w.linkEncounter(n.EncounterID) }

func shapeMedication(m *chart.Medication, _ time.Time) rowFlags {
	m.PrescriberID = ""
	return rowFlags{}
}

func shapeVitals(v *chart.VitalsRecord, _ time.Time) rowFlags {
	v.TakenBy = ""
	return rowFlags{}
}

// shapeResult: a result from outside awaits review like one entered here;
// a result of the practice's own past (a migration) was reviewed in the
// system it comes from, and says so.
func shapeResult(r *chart.Result, now time.Time) rowFlags {
	if r.AttachmentIDs == nil {
		r.AttachmentIDs = []chart.RecordID{}
	}
	r.ReviewedBy, r.ReviewedName, r.ReviewedAt = "", "", nil
	if r.Origin != nil && !r.Origin.External {
		at := now
		r.ReviewedName, r.ReviewedAt = "Reviewed before import ("+sourceName(r.Origin)+")", &at
	}
	return rowFlags{toReview: r.ReviewedAt == nil}
}

// shapeNote stores an imported note signed in its outside author's name,
// with the content hash signing computes: it is then as immutable as a
// note signed here (only addenda).
func shapeNote(n *chart.Note, now time.Time) rowFlags {
	n.AuthorID, n.AuthorName = "", n.Imported.AuthorName
	n.Signature = &chart.Signature{SignerName: n.Imported.AuthorName + " (imported from " + sourceName(n.Origin) + ")",
		SignedAt: writtenAt(n.Imported.Date, now), ContentHash: noteContentHash(n)}
	return rowFlags{locked: true}
}

// writtenAt reads an imported note's date (local), else now.
func writtenAt(date string, now time.Time) time.Time {
	for _, layout := range []string{chart.LocalDateTimeLayout, time.DateOnly} {
		if t, err := time.ParseInLocation(layout, date, time.Local); err == nil {
			return t.UTC()
		}
	}
	return now
}

// sourceName names where an imported record came from.
func sourceName(src *chart.SourceRef) string {
	if src == nil {
		return "another system"
	}
	return cmp.Or(src.System, "another system")
}

// linkAttachments lists each imported attachment on the results it
// belongs to, so the results are written with their links.
func linkAttachments(r *chart.PatientRecords) {
	byResult := map[chart.RecordID][]chart.RecordID{}
	for _, a := range r.Attachments {
		for _, id := range a.ResultIDs {
			byResult[id] = append(byResult[id], a.Attachment.ID)
		}
	}
	for i := range r.Results {
		if ids := byResult[r.Results[i].ID]; len(ids) > 0 {
			r.Results[i].AttachmentIDs = append(r.Results[i].AttachmentIDs, ids...)
		}
	}
}

// writeAttachments stores each new attachment as AttachToResult does
// (its content was checked with the batch): a record, and its bytes
// sealed and sent to the other workstations.
func (w *importWriter) writeAttachments(as []chart.ImportedAttachment) error {
	ids := make([]any, len(as))
	for i := range as {
		ids[i] = string(as[i].Attachment.ID)
	}
	if err := w.findPresent(ids); err != nil {
		return err
	}
	for i := range as {
		a := as[i].Attachment
		if w.present[a.ID] {
			w.out.AlreadyPresent[chart.KindAttachment]++
			continue
		}
		w.newMeta(&a.Meta)
		sum := sha256.Sum256(as[i].Data)
		a.Size, a.SHA256 = int64(len(as[i].Data)), hex.EncodeToString(sum[:])
		if err := w.s.storeRecord(w.ctx, w.t, chart.KindAttachment, &a.Meta, &a, nil, rowFlags{}); err != nil {
			return err
		}
		if err := w.s.storeAttachmentData(w.ctx, w.t, &a, as[i].Data); err != nil {
			return err
		}
		w.out.Imported[chart.KindAttachment]++
	}
	return nil
}

// writeNoKnownAllergies records "no known allergies" when the import says
// so and the chart has neither allergies nor chart flags yet.
func (w *importWriter) writeNoKnownAllergies(r *chart.PatientRecords) error {
	if !r.NoKnownAllergies || len(r.Allergies) > 0 {
		return nil
	}
	var n int
	err := w.t.QueryRowContext(w.ctx, `SELECT count(*) FROM records WHERE patient_id = ? AND kind IN (?, ?)`,
		string(w.patient), chart.KindAllergy, chart.KindChartFlags).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	f := chart.ChartFlags{Meta: chart.Meta{ID: chart.NewRecordID()}, NoKnownAllergies: true}
	w.newMeta(&f.Meta)
	if err := w.s.storeRecord(w.ctx, w.t, chart.KindChartFlags, &f.Meta, &f, nil, rowFlags{}); err != nil {
		return err
	}
	w.out.Imported[chart.KindChartFlags]++
	return nil
}

// firstError runs steps in order and stops at the first that fails.
func firstError(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
