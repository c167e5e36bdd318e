package sqlite

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// auditRestoreSetup is a practice whose workstation A packed several audit
// batches, all acknowledged (their bytes let go of): entries of two
// patients interleaved, and entries kept local in between (a pull's
// bookkeeping), so chain claims carry links. It returns A's batches as the
// server holds them, by change id.
func auditRestoreSetup(t *testing.T) (*practiceServer, syncingWorkstation, syncingWorkstation, map[chart.ChangeID]wire.Change) {
	t.Helper()
	ctx := context.Background()
	server, a, b := twoStations(t)
	p1 := register(t, a.admin, samplePatient("Aurelia", "Quennell"))
	p2 := register(t, a.admin, samplePatient("Cornelius", "Vandermolen"))
	for _, id := range []chart.PatientID{p1.ID, p2.ID, p1.ID} {
		must(a.admin.OpenPatient(ctx, id))(t)
	}
	a.sync(t)
	register(t, b.admin, samplePatient("Bartholomew", "Ostrander"))
	b.sync(t)
	a.sync(t) // applies B's: a local entry, then more entries
	for _, id := range []chart.PatientID{p2.ID, p1.ID, p2.ID} {
		must(a.admin.OpenPatient(ctx, id))(t)
	}
	a.sync(t)
	b.sync(t)

	a.client.IncludeOwn = true
	defer func() { a.client.IncludeOwn = false }()
	originals := map[chart.ChangeID]wire.Change{}
	for after, more := int64(0), true; more; {
		page := must(a.client.Pull(ctx, after, wire.MaxPullLimit, nil))(t)
		for _, c := range page.Changes {
			if c.Kind == kindAuditBatch && c.DeviceID == a.admin.deviceID {
				originals[c.ChangeID] = c
			}
		}
		after, more = page.Next, page.More
	}
	if len(originals) < 3 {
		t.Fatalf("A sent %d audit batches, want several", len(originals))
	}
	var gone int
	if err := a.w.db.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE kind = ? AND device_id = ?
		AND acked_at IS NOT NULL AND coalesce(length(`+changeSealed("changes")+`), 0) = 0`, kindAuditBatch, string(a.admin.deviceID)).Scan(&gone); err != nil {
		t.Fatal(err)
	}
	if gone != len(originals) {
		t.Fatalf("%d of A's %d batches let go of their bytes", gone, len(originals))
	}
	return server, a, b, originals
}

// A workstation that finds the practice server restored queues its own
// acknowledged audit batches again, packed again from its audit log: the
// same change, record, clock and patient, a valid tag, and the very
// plaintext the server's original copy holds (entries and chain claims,
// links included), sealed anew. The server, still holding them, stores
// none twice.
func TestNoteServerPacksAuditBatchesAgain(t *testing.T) {
	ctx := context.Background()
	server, a, b, originals := auditRestoreSetup(t)
	stored := must(server.store.ChangeCount(ctx))(t)
	restored := must(server.store.Reincarnate(ctx))(t)
	r := must(a.admin.NoteServer(ctx, restored, must(a.admin.PullCursor(ctx))(t)))(t)
	if r == nil || r.Requeued < len(originals) {
		t.Fatalf("NoteServer after a restore: %+v, want the %d audit batches among the requeued", r, len(originals))
	}

	links := false
	var copies []wire.Change
	for _, c := range must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t) {
		orig, ok := originals[c.ChangeID]
		if !ok {
			continue
		}
		copies = append(copies, c)
		if c.RecordID != orig.RecordID || c.HLC != orig.HLC || c.PatientID != orig.PatientID || c.UserID != orig.UserID ||
			c.Version != 1 || len(c.Parents) != 0 {
			t.Fatalf("batch %s queued again as %+v, sent as %+v", c.ChangeID, c, orig)
		}
		if err := checkChangeTag(a.admin.key, &c); err != nil {
			t.Fatalf("batch %s queued again: tag %v", c.ChangeID, err)
		}
		if bytes.Equal(c.Sealed, orig.Sealed) {
			t.Fatalf("batch %s: the same nonce twice", c.ChangeID)
		}
		was := must(a.admin.key.Open(orig.Sealed, auditBatchAD(orig.RecordID, orig.ChangeID)))(t)
		now := must(a.admin.key.Open(c.Sealed, auditBatchAD(c.RecordID, c.ChangeID)))(t)
		if !bytes.Equal(was, now) {
			t.Fatalf("batch %s packed again differs:\n%s\nwas\n%s", c.ChangeID, now, was)
		}
		links = links || bytes.Contains(now, []byte(`"links"`))
	}
	if len(copies) != len(originals) {
		t.Fatalf("%d of A's %d acknowledged audit batches queued again", len(copies), len(originals))
	}
	wantResyncDetail(t, a.admin, ", 5 of them audit batches to pack again from the audit log")
	if !links {
		t.Fatal("no batch packed again carries a chain claim over a local entry: the test misses the claims' starts")
	}

	// B, which holds the originals, takes the copies as the same changes;
	// C, which never had them (a joiner after a restore that lost them),
	// takes in exactly the entries B shows, and neither sees a fork.
	held := remoteAuditSeqs(t, b.w, a.admin.deviceID)
	if len(held) < 6 {
		t.Fatalf("B shows %d of A's entries, want the six chart openings at least", len(held))
	}
	must2(b.admin.ApplyRemote(ctx, copies, must(b.admin.PullCursor(ctx))(t)))(t)
	c := joinPractice(t, a.fixture)
	must2(c.admin.ApplyRemote(ctx, copies, 0))(t)
	for who, w := range map[string]*fixture{"B": b.fixture, "C": c} {
		if got := remoteAuditSeqs(t, w.w, a.admin.deviceID); !slices.Equal(got, held) {
			t.Fatalf("%s shows A's entries %v after the copies, B had %v", who, got, held)
		}
		if n := countRows(t, w.w, "audit_forks"); n != 0 {
			t.Fatalf("%s sees %d forks in A's log after the copies", who, n)
		}
	}

	a.sync(t)
	if n := len(must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t)); n != 0 {
		t.Fatalf("A's outbox holds %d changes after sending them again", n)
	}
	if now := must(server.store.ChangeCount(ctx))(t); now != stored+1 {
		t.Fatalf("the server holds %d changes after the re-send, had %d (+1 audit batch expected)", now, stored)
	}
	var bodies int
	if err := a.w.db.QueryRowContext(ctx, `SELECT count(*) FROM change_bodies`).Scan(&bodies); err != nil || bodies != 0 {
		t.Fatalf("%d batch bodies kept after the server acknowledged them again (%v)", bodies, err)
	}
}

// A batch packed by an earlier build (no packing kept) is not queued
// again, and a kept packing that no longer gives the plaintext first sent
// is not sent under the batch's change id: the resync says so and the
// others go.
func TestNoteServerLeavesBatchesItCannotPackAgain(t *testing.T) {
	ctx := context.Background()
	server, a, _, originals := auditRestoreSetup(t)
	var earlier, altered int64
	if err := a.w.db.QueryRowContext(ctx, `SELECT min(seq), max(seq) FROM audit_batch_packing`).Scan(&earlier, &altered); err != nil {
		t.Fatal(err)
	}
	if _, err := a.w.db.ExecContext(ctx, `DELETE FROM audit_batch_packing WHERE seq = ?`, earlier); err != nil {
		t.Fatal(err)
	}
	// The last entry's claim said to start one entry earlier.
	var entries, check []byte
	if err := a.w.db.QueryRowContext(ctx, `SELECT entries, check_tag FROM audit_batch_packing WHERE seq = ?`, altered).
		Scan(&entries, &check); err != nil {
		t.Fatal(err)
	}
	kept := must(decodePacking(entries))(t)
	kept[len(kept)-1].sent--
	forged := encodePackedEntries(kept)
	for _, q := range []string{`DELETE FROM audit_batch_packing WHERE seq = ?`,
		`INSERT INTO audit_batch_packing (seq, entries, check_tag) VALUES (?, ?, ?)`} {
		if _, err := a.w.db.ExecContext(ctx, q, altered, forged, check); err != nil {
			t.Fatal(err)
		}
	}
	var cidOf = func(seq int64) chart.ChangeID {
		var id chart.ChangeID
		if err := a.w.db.QueryRowContext(ctx, `SELECT change_id FROM changes WHERE seq = ?`, seq).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	left := map[chart.ChangeID]bool{cidOf(earlier): true, cidOf(altered): true}

	restored := must(server.store.Reincarnate(ctx))(t)
	must(a.admin.NoteServer(ctx, restored, must(a.admin.PullCursor(ctx))(t)))(t)
	wantResyncDetail(t, a.admin, ", 4 of them audit batches to pack again from the audit log")
	found := 0
	for _, c := range must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t) {
		if left[c.ChangeID] {
			t.Fatalf("batch %s queued again without its packing as sent", c.ChangeID)
		}
		if _, ok := originals[c.ChangeID]; ok {
			found++
		}
	}
	if found != len(originals)-2 {
		t.Fatalf("%d of the %d other batches queued again", found, len(originals)-2)
	}
	wantAuditDetail(t, a.admin, "sync: 1 audit batches queued again for the restored practice server did not pack again as they were sent; they are not sent again")
	a.sync(t) // nothing empty or refused is pushed
	if n := len(must(a.admin.Outbox(ctx, wire.MaxChangesPerPush))(t)); n != 0 {
		t.Fatalf("A's outbox holds %d changes after the sync", n)
	}
}

// wantResyncDetail finds the resync's audit entry and checks it ends with
// tail.
func wantResyncDetail(t *testing.T, s *Session, tail string) {
	t.Helper()
	wantAuditDetail(t, s, "sync: the practice server was brought back from a copy")
	for _, e := range must(s.Audit(context.Background(), chart.AuditFilter{Action: chart.AuditUpdate}))(t) {
		if strings.HasPrefix(e.Detail, "sync: the practice server was brought back") && !strings.HasSuffix(e.Detail, tail) {
			t.Fatalf("the resync's audit entry says %q, want it to end %q", e.Detail, tail)
		}
	}
}

func TestDecodePackingRefusesMalformed(t *testing.T) {
	want := []packedEntry{{seq: 3, sent: 2}, {seq: 4, sent: 3}, {seq: 9, sent: 7}, {seq: 10, sent: 12}}
	got := must(decodePacking(encodePackedEntries(want)))(t)
	if len(got) != len(want) {
		t.Fatalf("decoded %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("decoded %+v, want %+v", got, want)
		}
	}
	for _, b := range [][]byte{nil, {0x00, 0x02}, {0x01}, {0x80}, {0x01, 0x80}} {
		if _, err := decodePacking(b); err == nil {
			t.Fatalf("decodePacking(%x) took it", b)
		}
	}
}

// The batches queued again are packed again a chunk per transaction (the
// store's writer is never held for all of them), and the next read of the
// outbox packs them all, each with its bytes.
func TestRepackedBatchesComeAChunkATransaction(t *testing.T) {
	ctx := context.Background()
	s := newFixture(t).admin
	ids := make([]chart.PatientID, repackChunkBatches+44)
	for i := range ids {
		ids[i] = chart.NewPatientID()
	}
	writeAuditRound(t, s, ids, 1)
	sent := 0
	for _, c := range auditRoundPacked(t, s) {
		if c.Kind == kindAuditBatch {
			sent++
		}
	}
	if sent <= repackChunkBatches {
		t.Fatalf("%d batches sent, want more than a chunk", sent)
	}
	must(s.NoteServer(ctx, strings.Repeat("1", 32), 1))(t)
	if r := must(s.NoteServer(ctx, strings.Repeat("2", 32), 1))(t); r == nil || r.Requeued < sent {
		t.Fatalf("resync %+v, want the %d batches queued again", r, sent)
	}
	var worked bool
	err := s.w.write(ctx, func(t *tx) (err error) { worked, err = s.repackAuditChunk(ctx, t); return err })
	if err != nil || !worked {
		t.Fatalf("a chunk packed again: worked %v, %v", worked, err)
	}
	if n := countRows(t, s.w, "change_bodies"); n != repackChunkBatches {
		t.Fatalf("one chunk packed %d batches again, want %d", n, repackChunkBatches)
	}
	withBytes := 0
	for _, c := range must(s.Outbox(ctx, wire.MaxChangesPerPush))(t) {
		if c.Kind == kindAuditBatch && len(c.Sealed) > 0 {
			withBytes++
		}
	}
	if withBytes < sent || countRows(t, s.w, "change_bodies") < sent {
		t.Fatalf("the outbox holds %d batches with bytes, want the %d queued again", withBytes, sent)
	}
	if m := metaValue(t, s.w, metaAuditRepack); m != "" {
		t.Fatalf("meta %s = %q once every batch is packed again: each outbox read would walk the outbox", metaAuditRepack, m)
	}
}
