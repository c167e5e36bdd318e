package sqlite

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"outpost/chart"
	"outpost/seal"
)

// wantSameSummary opens p's chart as it is (snapshot or not) and checks
// it equals the chart opened with no snapshot, and that its timeline and
// open visit are those built from every record opened in full. It returns
// what the timeline read opened, before the summary's own rewrite.
func wantSameSummary(t *testing.T, w *Workstation, s *Session, p chart.PatientID) timelineRecords {
	t.Helper()
	w.background.Wait()
	tl := must(s.loadTimeline(ctxb, w.db, p, s.chartOf(p)))(t)
	got := must(s.ChartSummary(ctxb, p))(t)
	w.background.Wait()
	if _, err := w.db.Exec(`DELETE FROM summary_snapshot WHERE patient_id = ?`, p); err != nil {
		t.Fatal(err)
	}
	cold := must(s.ChartSummary(ctxb, p))(t)
	w.background.Wait()
	if !reflect.DeepEqual(got, cold) {
		t.Fatalf("summary with the snapshot differs from one without:\n got %+v\nwant %+v", got, cold)
	}
	wantRecordsTimeline(t, w, s, p, got)
	return tl
}

// wantRecordsTimeline checks that got's timeline and open visit are those
// built from every record of p's chart opened in full.
func wantRecordsTimeline(t *testing.T, w *Workstation, s *Session, p chart.PatientID, got chart.ChartSummary) {
	t.Helper()
	ids := s.chartOf(p)
	encs := must(listRecords[chart.Encounter](ctxb, w.db, s.key, ids, chart.KindEncounter, false))(t)
	notes := must(listNoteHeaders(ctxb, w.db, s.key, ids))(t)
	if want := timeline(encs, notes); !reflect.DeepEqual(got.Timeline, want) {
		t.Fatalf("timeline differs from the records':\n got %+v\nwant %+v", got.Timeline, want)
	}
	closed := map[chart.RecordID]bool{}
	for id := range closedEncounters(notes) {
		closed[id] = true
	}
	if want := chart.OpenEncounter(encs, closed, w.now()); !reflect.DeepEqual(got.OpenEncounter, want) {
		t.Fatalf("open visit %+v, want %+v", got.OpenEncounter, want)
	}
}

// openChart opens p's chart and waits for the snapshot it writes.
func openChart(t *testing.T, w *Workstation, s *Session, p chart.PatientID) chart.ChartSummary {
	t.Helper()
	sum := must(s.ChartSummary(ctxb, p))(t)
	w.background.Wait()
	return sum
}

// todaysEncounter is an encounter starting now (an open visit).
func todaysEncounter(w *Workstation, p chart.PatientID) chart.Encounter {
	e := sampleEncounter(p)
	e.Start = w.now().Local().Format(chart.LocalDateTimeLayout)
	e.Diagnoses = []chart.Coded{{Display: "Pharyngitis"}}
	e.Location = "Room 2"
	return e
}

// visitsWithNotes charts n past visits with a signed note each.
func visitsWithNotes(t *testing.T, c *clinic, n int) ([]chart.Encounter, []chart.Note) {
	t.Helper()
	var encs []chart.Encounter
	var notes []chart.Note
	for i := range n {
		e := sampleEncounter(c.patient.ID)
		e.Start = fmt.Sprintf("2025-0%d-1%dT09:00", 1+i%9, i%10)
		e = must(c.doc.SaveEncounter(ctxb, e))(t)
		d := must(c.doc.SaveNoteDraft(ctxb, sampleNote(c.patient.ID, e.ID, fmt.Sprintf("Visit %d.", i))))(t)
		encs = append(encs, e)
		notes = append(notes, must(c.doc.SignNote(ctxb, d.ID, d.Version))(t))
	}
	return encs, notes
}

func TestSummarySnapshotFreshThenCurrent(t *testing.T) {
	c := newClinic(t)
	visitsWithNotes(t, c, 4)
	if tl := wantSameSummary(t, c.w, c.doc, c.patient.ID); tl.opened != 8 || tl.fresh == nil {
		t.Fatalf("no snapshot: opened %d (to write: %v), want all 8 and a snapshot", tl.opened, tl.fresh != nil)
	}
	if n := countRows(t, c.w, "summary_snapshot"); n != 1 {
		t.Fatalf("after opening the chart the store holds %d summary snapshots, want 1", n)
	}
	if tl := wantSameSummary(t, c.w, c.doc, c.patient.ID); tl.opened != 0 || tl.fresh != nil {
		t.Fatalf("current snapshot: opened %d (to write: %v), want none", tl.opened, tl.fresh != nil)
	}
	var blob []byte
	if err := c.w.db.QueryRow(`SELECT sealed FROM summary_snapshot`).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"Sore throat", "Acute visit", "2025-0"} {
		if bytes.Contains(blob, []byte(word)) {
			t.Fatalf("the snapshot holds %q in plaintext", word)
		}
	}
}

// TestSummarySnapshotRewrittenOnceEnoughIsNew: a reopen that finds a few
// records new opens them and leaves the snapshot as it is (no rewrite of
// the whole chart for a visit or two); once snapRewriteAt entries differ,
// the snapshot is rewritten and the next reopen opens nothing. The summary
// is the records' every time.
func TestSummarySnapshotRewrittenOnceEnoughIsNew(t *testing.T) {
	c := newClinic(t)
	p := c.patient.ID
	visitsWithNotes(t, c, 4)
	openChart(t, c.w, c.doc, p)
	at := snapRewriteAt(8)
	for added := 2; added < at; added += 2 {
		visitsWithNotes(t, c, 1)
		if tl := must(c.doc.loadTimeline(ctxb, c.w.db, p, c.doc.chartOf(p)))(t); tl.opened != added || tl.fresh != nil {
			t.Fatalf("%d records new: opened %d (to write: %v), want them opened and no rewrite", added, tl.opened, tl.fresh != nil)
		}
		wantRecordsTimeline(t, c.w, c.doc, p, openChart(t, c.w, c.doc, p))
	}
	visitsWithNotes(t, c, 1)
	if tl := must(c.doc.loadTimeline(ctxb, c.w.db, p, c.doc.chartOf(p)))(t); tl.opened != at || tl.fresh == nil {
		t.Fatalf("%d records new: opened %d (to write: %v), want them opened and a rewrite", at, tl.opened, tl.fresh != nil)
	}
	wantRecordsTimeline(t, c.w, c.doc, p, openChart(t, c.w, c.doc, p))
	if tl := must(c.doc.loadTimeline(ctxb, c.w.db, p, c.doc.chartOf(p)))(t); tl.opened != 0 || tl.fresh != nil {
		t.Fatalf("after the rewrite: opened %d (to write: %v), want none", tl.opened, tl.fresh != nil)
	}
}

// Edits, a new visit today, a draft, signing, an addendum, entered in
// error: each opens only what changed, and the summary is the records'.
func TestSummarySnapshotAcrossEdits(t *testing.T) {
	c := newClinic(t)
	_, notes := visitsWithNotes(t, c, 5)
	p := c.patient.ID
	phone := sampleEncounter(p)
	phone.Type, phone.Start = chart.EncounterTelephone, "2025-12-01T16:00"
	phone = must(c.doc.SaveEncounter(ctxb, phone))(t)
	openChart(t, c.w, c.doc, p)
	phone.Reason = "Called back"
	must(c.doc.SaveEncounter(ctxb, phone))(t)
	if tl := wantSameSummary(t, c.w, c.doc, p); tl.opened != 1 {
		t.Fatalf("one encounter edited: opened %d, want 1", tl.opened)
	}
	today := must(c.doc.SaveEncounter(ctxb, todaysEncounter(c.w, p)))(t)
	draft := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, today.ID, "Today.")))(t)
	if sum := openChart(t, c.w, c.doc, p); sum.OpenEncounter == nil || len(sum.OpenEncounter.Diagnoses) != 1 {
		t.Fatalf("today's visit is not open in full: %+v", sum.OpenEncounter)
	}
	wantSameSummary(t, c.w, c.doc, p)
	must(c.doc.SignNote(ctxb, draft.ID, draft.Version))(t)
	if tl := wantSameSummary(t, c.w, c.doc, p); tl.opened != 1 {
		t.Fatalf("a note signed: opened %d, want 1", tl.opened)
	}
	if sum := openChart(t, c.w, c.doc, p); sum.OpenEncounter != nil {
		t.Fatalf("the signed note did not close today's visit: %+v", sum.OpenEncounter)
	}
	must(c.doc.StartAddendum(ctxb, notes[1].ID))(t)
	wantSameSummary(t, c.w, c.doc, p)
	before := len(openChart(t, c.w, c.doc, p).Timeline)
	extra := must(c.doc.SaveEncounter(ctxb, sampleEncounter(p)))(t)
	if err := c.doc.MarkEnteredInError(ctxb, chart.KindEncounter, extra.ID, "duplicate"); err != nil {
		t.Fatal(err)
	}
	if got := len(openChart(t, c.w, c.doc, p).Timeline); got != before {
		t.Fatalf("an encounter entered in error shows: %d items, want %d", got, before)
	}
	wantSameSummary(t, c.w, c.doc, p) // its open without a snapshot writes one whole
	if tl := wantSameSummary(t, c.w, c.doc, p); tl.opened != 0 {
		t.Fatalf("entered in error, snapshot rewritten: opened %d, want none (kept as retracted)", tl.opened)
	}
}

// A record that does not open is its placeholder every time: never kept
// in the snapshot as fine.
func TestSummarySnapshotNeverKeepsADamagedRecord(t *testing.T) {
	for name, spoil := range damages {
		t.Run(name, func(t *testing.T) {
			c := newClinic(t)
			visitsWithNotes(t, c, 3)
			p := c.patient.ID
			extra := must(c.doc.SaveEncounter(ctxb, sampleEncounter(p)))(t)
			spoil(t, c.w, extra.ID)
			draft := must(c.doc.SaveNoteDraft(ctxb, sampleNote(p, extra.ID, "Draft.")))(t)
			spoil(t, c.w, draft.ID)
			for round := range 3 {
				sum := openChart(t, c.w, c.doc, p)
				damaged := 0
				for _, it := range sum.Timeline {
					if it.Damaged != "" {
						damaged++
					}
				}
				if damaged != 2 {
					t.Fatalf("round %d: %d placeholders on the timeline, want 2", round, damaged)
				}
			}
			if tl := wantSameSummary(t, c.w, c.doc, p); tl.opened != 2 {
				t.Fatalf("opened %d, want the 2 damaged records again", tl.opened)
			}
			if n := auditCount(t, c.w, chart.AuditChartOpen, p, kindPatient); n == 0 {
				t.Fatal("no audited read")
			}
		})
	}
}

func TestSummarySnapshotDamagedOrAbsentIsIgnored(t *testing.T) {
	for name, damage := range map[string]string{
		"flipped byte": `UPDATE summary_snapshot SET sealed = substr(sealed, 1, 40) || iif(substr(sealed, 41, 1) = x'00', x'01', x'00') || substr(sealed, 42)`,
		"truncated":    `UPDATE summary_snapshot SET sealed = substr(sealed, 1, length(sealed) - 5)`,
		"not a blob":   `UPDATE summary_snapshot SET sealed = x'00'`,
		"absent":       `DELETE FROM summary_snapshot`,
		"other chart":  `UPDATE summary_snapshot SET patient_id = 'someone-else'`,
	} {
		t.Run(name, func(t *testing.T) {
			c := newClinic(t)
			visitsWithNotes(t, c, 2)
			openChart(t, c.w, c.doc, c.patient.ID)
			if _, err := c.w.db.Exec(damage); err != nil {
				t.Fatal(err)
			}
			if tl := must(c.doc.loadTimeline(ctxb, c.w.db, c.patient.ID, c.doc.chartOf(c.patient.ID)))(t); tl.opened != 4 || tl.fresh == nil {
				t.Fatalf("opened %d (to write %v), want all 4 and a rewrite", tl.opened, tl.fresh != nil)
			}
			wantSameSummary(t, c.w, c.doc, c.patient.ID)
		})
	}
}

// A snapshot moved onto another chart's row does not open there.
func TestSummarySnapshotBoundToItsChart(t *testing.T) {
	c := newClinic(t)
	visitsWithNotes(t, c, 2)
	other := register(t, c.desk, samplePatient("Other", "Chart"))
	openChart(t, c.w, c.doc, c.patient.ID)
	openChart(t, c.w, c.doc, other.ID)
	if _, err := c.w.db.Exec(`UPDATE summary_snapshot SET sealed = (SELECT sealed FROM summary_snapshot WHERE patient_id = ?)
		WHERE patient_id = ?`, c.patient.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	if sum := openChart(t, c.w, c.doc, other.ID); len(sum.Timeline) != 0 {
		t.Fatalf("another chart's timeline shows: %+v", sum.Timeline)
	}
}

// An unknown layout authenticates but is ignored; an epoch not held is
// ignored; an older epoch is used and rewritten.
func TestSummarySnapshotLayoutAndEpochs(t *testing.T) {
	c := newClinic(t)
	visitsWithNotes(t, c, 2)
	p := c.patient.ID
	openChart(t, c.w, c.doc, p)
	snap := readSnap(t, c.w, c.doc.key, p)
	pt := must(encodeSummarySnap(snap))(t)
	pt[len(summarySnapMagic)-2] = '9'
	putSnap(t, c.w, p, c.doc.key.Seal(pt, summarySnapAD(p)))
	if tl := must(c.doc.loadTimeline(ctxb, c.w.db, p, c.doc.chartOf(p)))(t); tl.opened != 4 {
		t.Fatalf("unknown layout: opened %d, want 4", tl.opened)
	}
	rotated := rotatedRing(t, c.doc.key)
	putSnap(t, c.w, p, rotated.Seal(must(encodeSummarySnap(snap))(t), summarySnapAD(p)))
	if tl := must(c.doc.loadTimeline(ctxb, c.w.db, p, c.doc.chartOf(p)))(t); tl.opened != 4 || tl.fresh == nil {
		t.Fatalf("epoch not held: opened %d, want 4", tl.opened)
	}
	putSnap(t, c.w, p, c.doc.key.Seal(must(encodeSummarySnap(snap))(t), summarySnapAD(p)))
	held := c.doc.key
	c.doc.key = rotated // as after a rotation: the root epoch still held
	defer func() { c.doc.key = held }()
	if tl := must(c.doc.loadTimeline(ctxb, c.w.db, p, c.doc.chartOf(p)))(t); tl.opened != 0 || tl.fresh == nil {
		t.Fatalf("older epoch: opened %d (to write %v), want none opened and a rewrite", tl.opened, tl.fresh != nil)
	}
}

// The snapshot's entries are matched to the heads in one walk, both in id
// order. A snapshot out of order (never written so) only costs opening: the
// summary is the same, and the snapshot is rewritten in order.
func TestSummarySnapshotOutOfOrderOnlyCostsOpening(t *testing.T) {
	c := newClinic(t)
	visitsWithNotes(t, c, 3)
	p := c.patient.ID
	openChart(t, c.w, c.doc, p)
	snap := readSnap(t, c.w, c.doc.key, p)
	slices.Reverse(snap.encounters)
	slices.Reverse(snap.notes)
	putSnap(t, c.w, p, c.doc.key.Seal(must(encodeSummarySnap(snap))(t), summarySnapAD(p)))
	if tl := wantSameSummary(t, c.w, c.doc, p); tl.opened != 4 || tl.fresh == nil {
		t.Fatalf("reversed snapshot: opened %d (to write %v), want the 4 entries passed over and a rewrite", tl.opened, tl.fresh != nil)
	}
	if tl := wantSameSummary(t, c.w, c.doc, p); tl.opened != 0 || tl.fresh != nil {
		t.Fatalf("after the rewrite: opened %d (to write %v), want none", tl.opened, tl.fresh != nil)
	}
}

func readSnap(t *testing.T, w *Workstation, key *seal.Keyring, p chart.PatientID) *summarySnap {
	t.Helper()
	snap, _ := readSummarySnap(ctxb, w.db, key, p)
	if snap == nil {
		t.Fatal("no summary snapshot")
	}
	return snap
}

func putSnap(t *testing.T, w *Workstation, p chart.PatientID, sealed []byte) {
	t.Helper()
	if _, err := w.db.Exec(`INSERT OR REPLACE INTO summary_snapshot (patient_id, sealed) VALUES (?, ?)`, p, sealed); err != nil {
		t.Fatal(err)
	}
}

func rotatedRing(t *testing.T, key *seal.Keyring) *seal.Keyring {
	t.Helper()
	rotated := seal.NewKeyring(key.Root())
	k := must(seal.NewKey())(t)
	epoch := must(seal.NewEpochID())(t)
	rotated.Add(epoch, k)
	if err := rotated.SetCurrent(epoch); err != nil {
		t.Fatal(err)
	}
	return rotated
}

// Merged charts: the survivor's summary shows both charts' records, and
// the retired chart's, opened before, come in as new entries.
func TestSummarySnapshotMergedCharts(t *testing.T) {
	c := newClinic(t)
	visitsWithNotes(t, c, 2)
	p := c.patient.ID
	retired := register(t, c.desk, samplePatient("Mara", "Duplicate"))
	e := sampleEncounter(retired.ID)
	e.Start = "2024-03-03T10:00"
	must(c.doc.SaveEncounter(ctxb, e))(t)
	openChart(t, c.w, c.doc, p)
	openChart(t, c.w, c.doc, retired.ID)
	must(c.admin.MergePatients(ctxb, p, retired.ID))(t)
	doc := c.signIn(t, "cleo", clinicianPass) // a session that knows of the merge
	if tl := must(doc.loadTimeline(ctxb, c.w.db, p, doc.chartOf(p)))(t); tl.opened != 1 || len(tl.encounters) != 3 {
		t.Fatalf("merged chart: opened %d, %d encounters; want the retired chart's 1 opened, 3", tl.opened, len(tl.encounters))
	}
	if sum := openChart(t, c.w, doc, p); len(sum.Timeline) != 5 {
		t.Fatalf("merged chart: %d timeline items, want 5", len(sum.Timeline))
	}
	wantSameSummary(t, c.w, doc, p)
}

// Records arriving by sync are opened, the rest taken from the snapshot;
// nothing of the snapshot travels.
func TestSummarySnapshotRecordsArrivingBySync(t *testing.T) {
	c := newSyncedClinic(t)
	p := c.patient.ID
	first := must(c.docA.SaveEncounter(ctxb, sampleEncounter(p)))(t)
	c.roundTrip(t)
	openChart(t, c.b.w, c.docB, p)
	e2 := sampleEncounter(p)
	e2.Start = "2026-10-01T11:00"
	must(c.docA.SaveEncounter(ctxb, e2))(t)
	first.Reason = "Edited on A"
	must(c.docA.SaveEncounter(ctxb, first))(t)
	c.roundTrip(t)
	if tl := wantSameSummary(t, c.b.w, c.docB, p); tl.opened != 2 {
		t.Fatalf("one encounter arrived, one edited: opened %d, want 2", tl.opened)
	}
	c.roundTrip(t)
	if n := countRows(t, c.a.w, "summary_snapshot"); n != 0 {
		t.Fatalf("a summary snapshot travelled to A: %d rows", n)
	}
}

// A visit whose record is damaged on disk after the snapshot took it (same
// version, same change) shows as damaged at the next open, never from the
// snapshot.
func TestSummarySnapshotRecordDamagedSinceIsOpened(t *testing.T) {
	for name, spoil := range damages {
		t.Run(name, func(t *testing.T) {
			c := newClinic(t)
			encs, _ := visitsWithNotes(t, c, 3)
			p := c.patient.ID
			openChart(t, c.w, c.doc, p)
			wantSameSummary(t, c.w, c.doc, p) // the snapshot is written and current
			spoil(t, c.w, encs[1].ID)
			damaged := 0
			for _, it := range openChart(t, c.w, c.doc, p).Timeline {
				if it.Damaged != "" {
					damaged++
				}
			}
			if damaged != 1 {
				t.Fatalf("%d placeholders on the timeline after damage, want 1", damaged)
			}
		})
	}
}
