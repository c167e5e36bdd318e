package sqlite

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// int64s reads a column of integers.
func int64s(t *testing.T, w *Workstation, query string, args ...any) []int64 {
	t.Helper()
	return readInts(t, w.db, query, args...)
}

// queuedAudit lists the seqs s's workstation has queued to send.
func queuedAudit(t *testing.T, s *Session) []int64 {
	t.Helper()
	return int64s(t, s.w, `SELECT seq FROM audit_sync_queue ORDER BY seq`)
}

// remoteAuditSeqs lists the seqs of device's entries w received.
func remoteAuditSeqs(t *testing.T, w *Workstation, device chart.DeviceID) []int64 {
	t.Helper()
	return int64s(t, w, `SELECT seq FROM audit_remote WHERE device_id = ? ORDER BY seq`, string(device))
}

// packedAuditSeqs lists the seqs of the entries in the batches of device
// that s holds, in the order they were packed, failing on one it cannot open.
func packedAuditSeqs(t *testing.T, s *Session, device chart.DeviceID) []int64 {
	t.Helper()
	batches, err := wireChanges(context.Background(), s.w.db, `SELECT `+changeWireColumns+` FROM changes
		WHERE kind = ? AND device_id = ? ORDER BY seq`, kindAuditBatch, string(device))
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, c := range batches {
		b, why := openRemoteAuditBatch(s, &c)
		if why != "" {
			t.Fatalf("A's own batch %s: %s", c.ChangeID, why)
		}
		for _, e := range b.Entries {
			out = append(out, e.Seq)
		}
	}
	return out
}

// sendAsSingles sends s's queued entries as a build before the batches
// did: one change of kind "audit" each, with the same chain claims. It
// returns the changes.
func sendAsSingles(t *testing.T, s *Session) []wire.Change {
	t.Helper()
	ctx := context.Background()
	var ids []chart.ChangeID
	err := s.w.write(ctx, func(tx *tx) error {
		pending, err := s.loadPendingAudit(ctx, tx, auditPackChunk)
		if err != nil || len(pending) == 0 {
			return err
		}
		for _, p := range pending {
			id, cid := string(chart.NewRecordID()), chart.NewChangeID()
			if err := s.appendSideChange(ctx, tx, sideChange{id: cid, kind: kindAudit, recordID: id,
				patientID: p.patient, version: 1, sealed: s.key.Seal(p.json, auditChangeAD(id, cid))}); err != nil {
				return err
			}
			ids = append(ids, cid)
		}
		last := pending[len(pending)-1].seq
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_sync_queue WHERE seq <= ?`, last); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaAuditPacked, []byte(strconv.FormatInt(last, 10)))
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := wireChanges(ctx, s.w.db, `SELECT `+changeWireColumns+` FROM changes WHERE kind = ? AND acked_at IS NULL ORDER BY seq`, kindAudit)
	if err != nil || len(out) != len(ids) {
		t.Fatalf("singles written: %d of %d, %v", len(out), len(ids), err)
	}
	return out
}

// countChanges counts the change-log rows of kind written by device.
func countChanges(t *testing.T, w *Workstation, kind string, device chart.DeviceID) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM changes WHERE kind = ? AND device_id = ?`, kind, string(device)).
		Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// outboxWithActivity: A and B of one practice, and A's outbox (its batches
// packed) after activity about Ada, whom it returns.
func outboxWithActivity(t *testing.T) (fa, fb *fixture, ada chart.Patient, out []wire.Change) {
	t.Helper()
	fa = newFixture(t)
	fb = joinPractice(t, fa)
	ada = register(t, fa.admin, samplePatient("Ada", "Okafor"))
	activity(t, fa, ada)
	out, err := fa.admin.OutboxBatch(context.Background(), wire.MaxChangesPerPush, wire.MaxSealedLen)
	if err != nil {
		t.Fatal(err)
	}
	return fa, fb, ada, out
}

// outboxOfTwo is A's outbox after activity about Ada, then Bea, then Ada
// again (their entries' chain claims cross from batch to batch), and B
// joined before it.
func outboxOfTwo(t *testing.T) (fa, fb *fixture, ada, bea chart.Patient, out []wire.Change) {
	t.Helper()
	fa = newFixture(t)
	fb = joinPractice(t, fa)
	ada = register(t, fa.admin, samplePatient("Ada", "Okafor"))
	bea = register(t, fa.admin, samplePatient("Bea", "Nwosu"))
	activity(t, fa, ada)
	activity(t, fa, bea)
	activity(t, fa, ada)
	out, err := fa.admin.OutboxBatch(context.Background(), wire.MaxChangesPerPush, wire.MaxSealedLen)
	if err != nil {
		t.Fatal(err)
	}
	return fa, fb, ada, bea, out
}

// patientBatch finds the batch about patient in out and opens it.
func patientBatch(t *testing.T, s *Session, patient chart.PatientID, out []wire.Change) (wire.Change, auditBatch) {
	t.Helper()
	for _, c := range out {
		if c.Kind == kindAuditBatch && c.PatientID == patient {
			b, why := openRemoteAuditBatch(s, &c)
			if why != "" {
				t.Fatalf("A's batch for %s: %s", patient, why)
			}
			return c, b
		}
	}
	t.Fatalf("no batch about %s in %d changes", patient, len(out))
	return wire.Change{}, auditBatch{}
}

// resealBatch is what a key holder can forge: b sealed and tagged as a new
// batch change in orig's place.
func resealBatch(t *testing.T, s *Session, orig wire.Change, b auditBatch) wire.Change {
	t.Helper()
	forged := orig
	forged.RecordID, forged.ChangeID = string(chart.NewRecordID()), chart.NewChangeID()
	pt, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	forged.Sealed = s.key.Seal(pt, auditBatchAD(forged.RecordID, forged.ChangeID))
	forged.Auth = tagChange(s.key, &forged)
	return forged
}

// TestAuditTravelsInBatchesPerPatient: A's entries about two patients and
// practice-wide ones reach B through the real server as one batch per
// patient (and one practice-wide), never as single changes; B shows every
// entry with its author, and both logs verify against the server's anchor.
func TestAuditTravelsInBatchesPerPatient(t *testing.T) {
	_, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	p := register(t, fa.admin, samplePatient("Ada", "Okafor"))
	q := register(t, fa.admin, samplePatient("Bea", "Nwosu"))
	a.sync(t)
	activity(t, fa, p)
	activity(t, fa, q)
	queued := queuedAudit(t, fa.admin)
	before := countChanges(t, fa.w, kindAuditBatch, fa.admin.deviceID)
	a.sync(t)
	b.sync(t)

	if n := countChanges(t, fb.w, kindAudit, fa.admin.deviceID); n != 0 {
		t.Fatalf("B received %d single audit changes from A, want none (batches only)", n)
	}
	// Two patients and the practice-wide entries (searches, sign-ins):
	// three batches for the last push, however many entries.
	batches := countChanges(t, fa.w, kindAuditBatch, fa.admin.deviceID) - before
	var patients int
	if err := fb.w.db.QueryRow(`SELECT count(DISTINCT patient_id) FROM changes WHERE kind = ? AND device_id = ?`,
		kindAuditBatch, string(fa.admin.deviceID)).Scan(&patients); err != nil {
		t.Fatal(err)
	}
	if batches != 3 || patients != 3 || len(queued) < 10 {
		t.Fatalf("last push: %d batches, %d patients in all, for %d entries; want 3 and 3", batches, patients, len(queued))
	}
	if n := countChanges(t, fa.w, kindAudit, fa.admin.deviceID); n != 0 {
		t.Fatalf("A wrote %d single audit changes, want none", n)
	}
	var shown int
	if err := fb.w.db.QueryRow(`SELECT count(*) FROM audit_remote WHERE device_id = ?`, string(fa.admin.deviceID)).
		Scan(&shown); err != nil {
		t.Fatal(err)
	}
	// A let go of its batches' bytes once the server had them: read
	// them as B received them.
	sent := packedAuditSeqs(t, fb.admin, fa.admin.deviceID)
	got := remoteAuditSeqs(t, fb.w, fa.admin.deviceID)
	sorted := slices.Sorted(slices.Values(sent))
	if !slices.Equal(got, sorted) || len(slices.Compact(slices.Clone(sorted))) != len(sent) {
		t.Fatalf("B holds A's entries %v; A packed %v: every entry once, none other", got, sent)
	}
	for _, seq := range queued {
		if !slices.Contains(sent, seq) {
			t.Fatalf("entry %d was queued before the push and never packed (packed %v)", seq, sent)
		}
	}
	trail := practiceAudit(t, fb.admin, chart.AuditFilter{PatientID: q.ID})
	if len(trail) < 3 || !trail[0].Remote || trail[0].UserID != fa.admin.user.ID || trail[0].DeviceID != fa.admin.deviceID ||
		trail[0].Detail == "" || trail[0].Detail == unreadableDetail {
		t.Fatalf("B's trail for Bea = %+v; want A's reads, attributed and readable", trail)
	}
	for _, w := range []syncingWorkstation{a, b} {
		if v := w.verifyAnchored(t); !v.OK || v.Server.State != chart.AuditServerMatched {
			t.Fatalf("verification with batches: %+v", v)
		}
	}
}

// TestAuditSinglesAndBatchesMix: entries an older build sent one change
// each, then entries this build sends in batches, reach B and verify as
// one chain.
func TestAuditSinglesAndBatchesMix(t *testing.T) {
	ctx := context.Background()
	_, a, b := enrolledPair(t)
	fa, fb := a.fixture, b.fixture
	p := register(t, fa.admin, samplePatient("Ada", "Okafor"))
	a.sync(t)
	b.sync(t)
	activity(t, fa, p)
	old := sendAsSingles(t, fa.admin)
	if _, _, err := fb.admin.ApplyRemote(ctx, old, 0); err != nil {
		t.Fatal(err)
	}
	acks := make([]wire.Ack, len(old))
	for i, c := range old {
		acks[i] = wire.Ack{ChangeID: c.ChangeID}
	}
	if err := fa.admin.MarkAcked(ctx, acks); err != nil { // as the older build's push did
		t.Fatal(err)
	}
	activity(t, fa, p)
	a.sync(t)
	b.sync(t)
	if countChanges(t, fb.w, kindAudit, fa.admin.deviceID) != len(old) || countChanges(t, fb.w, kindAuditBatch, fa.admin.deviceID) == 0 {
		t.Fatal("B did not receive both single changes and batches from A")
	}
	v := b.verifyAnchored(t)
	if !v.OK || v.Workstations != 1 || v.RemoteEntries < int64(2*len(old)) {
		t.Fatalf("mixed singles and batches on B: %+v", v)
	}
}

// TestAuditBatchTamperingIsReported: a batch altered without the key is
// held back and shows nothing; one forged by a key holder (an entry's
// content changed, or entries' places swapped) claims positions B already
// holds with other macs, and B's verification reports A's log forked.
func TestAuditBatchTamperingIsReported(t *testing.T) {
	cases := map[string]func(b *auditBatch){
		"altered": func(b *auditBatch) { b.Entries[0].Hash = b.Entries[1].Hash },
		"reordered": func(b *auditBatch) {
			b.Entries[0].Seq, b.Entries[1].Seq = b.Entries[1].Seq, b.Entries[0].Seq
		},
	}
	for name, forge := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			fa, fb, p, out := outboxWithActivity(t)
			orig, b := patientBatch(t, fa.admin, p.ID, out)
			if len(b.Entries) < 3 {
				t.Fatalf("A's batch for Ada: %d entries", len(b.Entries))
			}

			// Without the key: a flipped byte does not open; nothing shown.
			flipped := orig
			flipped.Sealed = append([]byte(nil), orig.Sealed...)
			flipped.Sealed[len(flipped.Sealed)/2] ^= 1
			if _, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{flipped}, 1); err != nil {
				t.Fatal(err)
			}
			if n := countRows(t, fb.w, "audit_remote"); n != 0 {
				t.Fatalf("an altered batch showed %d entries", n)
			}

			// With the key: the genuine batch, then a forged one.
			forge(&b)
			forged := resealBatch(t, fa.admin, orig, b)
			if _, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{orig, forged}, 2); err != nil {
				t.Fatal(err)
			}
			v, err := fb.admin.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v.OK || len(v.Breaks) != 1 || v.Breaks[0].Kind != chart.AuditBreakFork || v.Breaks[0].DeviceID != fa.admin.deviceID {
				t.Fatalf("forged batch (%s): %+v; want A's log reported forked", name, v)
			}
		})
	}
}

// TestAuditBatchesArriveInAnyOrder: the batches of one push reach B in the
// reverse of the order A packed them (a server may page them so, or a
// retry may bring an early one late). Each entry's chain claim names the
// entry packed before it, in another batch, so B must take them as they
// come: every entry shown once, no fork reported, A's copy verifies.
func TestAuditBatchesArriveInAnyOrder(t *testing.T) {
	ctx := context.Background()
	fa, fb, _, _, out := outboxOfTwo(t)
	var records, batches []wire.Change
	for _, c := range out {
		if c.Kind == kindAuditBatch {
			batches = append(batches, c)
		} else {
			records = append(records, c)
		}
	}
	if len(batches) != 3 {
		t.Fatalf("A packed %d batches, want 3 (two patients, practice-wide)", len(batches))
	}
	if _, _, err := fb.admin.ApplyRemote(ctx, records, 1); err != nil {
		t.Fatal(err)
	}
	for i, c := range slices.Backward(batches) {
		if _, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{c}, int64(10-i)); err != nil {
			t.Fatal(err)
		}
	}
	sent := slices.Sorted(slices.Values(packedAuditSeqs(t, fa.admin, fa.admin.deviceID)))
	if got := remoteAuditSeqs(t, fb.w, fa.admin.deviceID); !slices.Equal(got, sent) {
		t.Fatalf("B shows A's entries %v, A packed %v", got, sent)
	}
	v, err := fb.admin.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK || v.Workstations != 1 || v.RemoteEntries < int64(len(sent)) {
		t.Fatalf("batches in reverse order on B: %+v; want A's copy verified, no fork", v)
	}
}

// TestReceivedBatchEntryKeepsWhatTheTrailOpens: B seals each entry of a
// pulled batch again for its audit_remote row with only what the trail
// opens (detail and hash): the entry's other fields are its clear columns
// and its chain position is in audit_remote_chain, so sealing the whole
// entry again cost CPU on every pull and bytes on disk for nothing. The
// trail still shows each entry's detail and hash as A wrote them.
func TestReceivedBatchEntryKeepsWhatTheTrailOpens(t *testing.T) {
	ctx := context.Background()
	fa, fb, p, out := outboxWithActivity(t)
	if _, _, err := fb.admin.ApplyRemote(ctx, out, 1); err != nil {
		t.Fatal(err)
	}
	rows, err := fb.w.db.Query(`SELECT record_id, change_id, sealed FROM audit_remote WHERE device_id = ?`, string(fa.admin.deviceID))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, change string
		var sealed []byte
		if err := rows.Scan(&id, &change, &sealed); err != nil {
			t.Fatal(err)
		}
		pt, err := fb.admin.key.Open(sealed, auditChangeAD(id, chart.ChangeID(change)))
		if err != nil {
			t.Fatalf("entry %s does not open: %v", id, err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(pt, &fields); err != nil {
			t.Fatal(err)
		}
		if len(fields) != 2 || fields["detail"] == nil || fields["h"] == nil {
			keys := slices.Sorted(maps.Keys(fields))
			t.Fatalf("entry %s is stored sealed with %v; want only detail and hash (h)", id, keys)
		}
		n++
	}
	if err := rows.Err(); err != nil || n < 3 {
		t.Fatalf("B holds %d of A's entries (%v)", n, err)
	}
	mine, err := fa.admin.Audit(ctx, chart.AuditFilter{PatientID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	local := map[int64]chart.AuditEntry{}
	for _, e := range mine {
		local[e.Seq] = e
	}
	shown := 0
	for _, e := range practiceAudit(t, fb.admin, chart.AuditFilter{PatientID: p.ID}) {
		if !e.Remote {
			continue
		}
		shown++
		if want := local[e.Seq]; e.Detail != want.Detail || e.Hash != want.Hash || e.Detail == "" || e.Hash == "" {
			t.Fatalf("B shows entry %d as %q %s; A wrote %q %s", e.Seq, e.Detail, e.Hash, want.Detail, want.Hash)
		}
	}
	if shown < 3 {
		t.Fatalf("B's trail shows %d of A's entries about Ada", shown)
	}
}

// TestAuditForkWithinOneBatch: a key holder's batch whose second entry is
// consistent in itself but claims to chain from another mac than the
// first entry's: the disagreement is only between two entries of the same
// batch, neither held before, and B records a fork at the first entry's
// place (and one at the second's, which the third contradicts). The
// entries are checked together, each seeing the positions the ones before
// it recorded.
func TestAuditForkWithinOneBatch(t *testing.T) {
	ctx := context.Background()
	fa, fb, p, out := outboxWithActivity(t)
	orig, b := patientBatch(t, fa.admin, p.ID, out)
	if len(b.Entries) < 2 || b.Entries[1].From != b.Entries[0].Seq {
		t.Fatalf("A's batch for Ada: %d entries; want two in a row", len(b.Entries))
	}
	ck := newChainKey(fa.admin.key.Root())
	defer ck.wipe()
	second := &b.Entries[1]
	hash, err := hex.DecodeString(second.Hash)
	if err != nil {
		t.Fatal(err)
	}
	second.FromMAC = bytes.Repeat([]byte{7}, auditMACSize)
	second.MAC = ck.entryMAC(second.FromMAC, second.Seq, hash, second.KeyedAt)
	forged := resealBatch(t, fa.admin, orig, b)
	if _, _, err := fb.admin.ApplyRemote(ctx, []wire.Change{forged}, 1); err != nil {
		t.Fatal(err)
	}
	forks := int64s(t, fb.w, `SELECT seq FROM audit_forks WHERE device_id = ?`, string(fa.admin.deviceID))
	if !slices.Contains(forks, b.Entries[0].Seq) {
		t.Fatalf("B recorded forks at %v; want one at entry %d, which the next entry contradicts", forks, b.Entries[0].Seq)
	}
}
