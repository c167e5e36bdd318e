package sqlite

import (
	"context"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// BenchmarkPullAuditBatches applies a delta pull's audit batches on a
// second workstation: each round, A writes two entries about each of 400
// patients (one batch per patient, as S3's end of day: 766 batches of
// 1,462 entries at 2,000 patients) and B applies the batches in one call,
// as a pulled page. Only B's apply is timed; the metric is B's CPU per entry.
//
//	go test -run '^$' -bench PullAuditBatches -benchtime 10x ./sqlite
func BenchmarkPullAuditBatches(b *testing.B) {
	const patients, perPatient = 400, 2
	ctx := context.Background()
	fa := newFixture(b)
	fb := joinPractice(b, fa)
	ids := make([]chart.PatientID, patients)
	for i := range ids {
		ids[i] = chart.NewPatientID()
	}
	var cpu, entries int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		batches := auditRound(b, fa.admin, ids, perPatient)
		b.StartTimer()
		cpu0 := processCPU()
		if _, _, err := fb.admin.ApplyRemote(ctx, batches, int64(i+1)); err != nil {
			b.Fatal(err)
		}
		cpu += (processCPU() - cpu0).Nanoseconds()
		entries += patients * perPatient
	}
	var shown int64
	if err := fb.w.db.QueryRow(`SELECT count(*) FROM audit_remote`).Scan(&shown); err != nil || shown < entries {
		b.Fatalf("B shows %d entries of the %d A sent (%v)", shown, entries, err)
	}
	b.ReportMetric(float64(cpu)/1000/float64(entries), "cpu-µs/entry")
}

// auditRound writes perPatient chart-open entries about each of ids in one
// transaction, packs them (as a push does) and returns the batches, which
// A then counts as acknowledged so the next round packs only its own.
func auditRound(b testing.TB, s *Session, ids []chart.PatientID, perPatient int) []wire.Change {
	b.Helper()
	writeAuditRound(b, s, ids, perPatient)
	return auditRoundPacked(b, s)
}

// auditRoundPacked packs the entries written (as a push does), counts the
// batches acknowledged and returns them.
func auditRoundPacked(b testing.TB, s *Session) []wire.Change {
	b.Helper()
	ctx := context.Background()
	out, err := s.OutboxBatch(ctx, wire.MaxChangesPerPush, wire.MaxSealedLen)
	if err != nil {
		b.Fatal(err)
	}
	acks := make([]wire.Ack, len(out))
	for i, c := range out {
		acks[i] = wire.Ack{ChangeID: c.ChangeID}
	}
	if err := s.MarkAcked(ctx, acks); err != nil {
		b.Fatal(err)
	}
	return out
}
