package sqlite

import (
	"context"
	"testing"

	"outpost/sync/wire"
)

// outboxOf appends cs to f's change log as its own changes not yet sent
// (acked_at NULL, their tags set aside by the trigger), as saves leave them.
func outboxOf(t testing.TB, f *fixture, cs []wire.Change) {
	t.Helper()
	ctx := context.Background()
	tx, err := f.w.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO changes (change_id, record_id, kind, patient_id, version, parents,
			hlc, device_id, user_id, sealed, auth, created_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, '2026-12-06T00:00:00Z')`,
			c.ChangeID, c.RecordID, c.Kind, c.PatientID, c.Version, c.HLC, c.DeviceID, c.UserID, c.Sealed, c.Auth); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// MarkAcked marks exactly the acknowledged changes, a batch of ids per
// statement (over ackBatch here, the last batch short), lets go of their
// set-aside tags, leaves the others in the outbox, and takes an id it
// does not hold or one already acknowledged without error.
func TestMarkAckedMarksExactlyTheAcknowledged(t *testing.T) {
	f := newFixture(t)
	cs := syntheticChanges(ackBatch + 40)
	outboxOf(t, f, cs)
	var acks []wire.Ack
	for i, c := range cs {
		if i%7 != 3 {
			acks = append(acks, wire.Ack{ChangeID: c.ChangeID, Seq: int64(i + 1)})
		}
	}
	acks = append(acks, wire.Ack{ChangeID: syntheticChanges(1)[0].ChangeID, Seq: 9999}, acks[0])
	if err := f.admin.MarkAcked(ctxb, acks); err != nil {
		t.Fatal(err)
	}
	for i, c := range cs {
		var acked, tags int
		if err := f.w.db.QueryRowContext(ctxb, `SELECT acked_at IS NOT NULL,
			(SELECT count(*) FROM change_tags g WHERE g.seq = changes.seq) FROM changes WHERE change_id = ?`, c.ChangeID).Scan(&acked, &tags); err != nil {
			t.Fatal(err)
		}
		if want := i%7 != 3; (acked == 1) != want || (tags == 0) != want {
			t.Fatalf("change %d: acked %d, tag set aside %d; want acked %v", i, acked, tags, want)
		}
	}
}

// BenchmarkMarkAcked marks a push's 5,000 own changes as acknowledged.
func BenchmarkMarkAcked(b *testing.B) {
	f := newFixture(b)
	const push = 5000
	var cpu float64
	for range b.N {
		b.StopTimer()
		cs := syntheticChanges(push)
		outboxOf(b, f, cs)
		acks := make([]wire.Ack, len(cs))
		for i, c := range cs {
			acks[i] = wire.Ack{ChangeID: c.ChangeID}
		}
		b.StartTimer()
		cpu0 := processCPU()
		if err := f.admin.MarkAcked(ctxb, acks); err != nil {
			b.Fatal(err)
		}
		cpu += (processCPU() - cpu0).Seconds()
	}
	b.ReportMetric(cpu*1e6/float64(b.N*push), "cpu-µs/change")
}

// The batch after a batch handed out and not yet acknowledged is the one
// OutboxBatch gives once that batch is acknowledged (a push reads it while
// the server stores the one before); after the last change it is empty.
func TestOutboxBatchAfterIsTheNextBatch(t *testing.T) {
	f := newFixture(t)
	outboxOf(t, f, syntheticChanges(250))
	first := must(f.admin.OutboxBatch(ctxb, 100, 1<<30))(t)
	ahead := must(f.admin.OutboxBatchAfter(ctxb, first[len(first)-1].ChangeID, 100, 1<<30))(t)
	acks := make([]wire.Ack, len(first))
	for i, c := range first {
		acks[i] = wire.Ack{ChangeID: c.ChangeID}
	}
	if err := f.admin.MarkAcked(ctxb, acks); err != nil {
		t.Fatal(err)
	}
	next := must(f.admin.OutboxBatch(ctxb, 100, 1<<30))(t)
	if len(ahead) != 100 || len(next) != 100 {
		t.Fatalf("read ahead %d changes, then %d; want 100", len(ahead), len(next))
	}
	for i := range next {
		if ahead[i].ChangeID != next[i].ChangeID {
			t.Fatalf("change %d read ahead %s, then %s", i, ahead[i].ChangeID, next[i].ChangeID)
		}
	}
	all := must(f.admin.Outbox(ctxb, 5000))(t)
	if last := must(f.admin.OutboxBatchAfter(ctxb, all[len(all)-1].ChangeID, 100, 1<<30))(t); len(last) != 0 {
		t.Fatalf("after the last change of the outbox: %d changes", len(last))
	}
}
