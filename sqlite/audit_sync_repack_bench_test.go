package sqlite

import (
	"context"
	"strings"
	"testing"

	"outpost/chart"
)

// BenchmarkPackAuditBatches is a push's packing of the day's audit
// entries: each round, two entries about each of 400 patients, packed into
// one batch per patient (and, since 0023, the packing kept) and
// acknowledged. The metrics are the process's CPU per entry packed, the
// sealed batches' bytes per entry (let go of at the acknowledgement) and,
// where packings are kept, their bytes per entry.
//
//	go test -run '^$' -bench PackAuditBatches -benchtime 20x ./sqlite
func BenchmarkPackAuditBatches(b *testing.B) {
	const patients, perPatient = 400, 2
	s := newFixture(b).admin
	ids := make([]chart.PatientID, patients)
	for i := range ids {
		ids[i] = chart.NewPatientID()
	}
	var cpu, entries, sealed int64
	for b.Loop() {
		b.StopTimer()
		writeAuditRound(b, s, ids, perPatient)
		b.StartTimer()
		cpu0 := processCPU()
		for _, c := range auditRoundPacked(b, s) {
			sealed += int64(len(c.Sealed))
		}
		cpu += (processCPU() - cpu0).Nanoseconds()
		entries += patients * perPatient
	}
	b.ReportMetric(float64(cpu)/1000/float64(entries), "cpu-µs/entry")
	b.ReportMetric(float64(sealed)/float64(entries), "batch-B/entry")
	var kept int64
	err := s.w.db.QueryRow(`SELECT coalesce(sum(length(entries) + length(check_tag)), 0) FROM audit_batch_packing`).Scan(&kept)
	if err == nil {
		b.ReportMetric(float64(kept)/float64(entries), "packing-B/entry")
	} else if !strings.Contains(err.Error(), "no such table") {
		b.Fatal(err)
	}
}

// BenchmarkResyncRepack is what a workstation spends, once per restore of
// the practice server, packing its acknowledged audit batches again:
// 20 rounds of 800 entries (8,000 batches), then NoteServer with a new
// incarnation and the packing before the next read of the outbox (in
// chunks of about auditPackChunk entries, a transaction each). The metric
// is the process's CPU per entry packed again.
//
//	go test -run '^$' -bench ResyncRepack -benchtime 3x ./sqlite
func BenchmarkResyncRepack(b *testing.B) {
	const patients, perPatient, rounds = 400, 2, 20
	ctx := context.Background()
	var cpu, entries int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s := newFixture(b).admin
		ids := make([]chart.PatientID, patients)
		for i := range ids {
			ids[i] = chart.NewPatientID()
		}
		for range rounds {
			writeAuditRound(b, s, ids, perPatient)
			auditRoundPacked(b, s)
		}
		if _, err := s.NoteServer(ctx, strings.Repeat("1", 32), 1); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := processCPU()
		r, err := s.NoteServer(ctx, strings.Repeat("2", 32), 1)
		if err != nil || r == nil || r.Requeued < patients*rounds {
			b.Fatalf("resync %+v (%v): want the %d batches queued again", r, err, patients*rounds)
		}
		if err := s.packAuditBatches(ctx); err != nil {
			b.Fatal(err)
		}
		cpu += (processCPU() - cpu0).Nanoseconds()
		b.StopTimer()
		var bodies int
		if err := s.w.db.QueryRow(`SELECT count(*) FROM change_bodies`).Scan(&bodies); err != nil || bodies < patients*rounds {
			b.Fatalf("%d batches packed again of %d (%v)", bodies, patients*rounds, err)
		}
		b.StartTimer()
		entries += patients * perPatient * rounds
	}
	b.ReportMetric(float64(cpu)/1000/float64(entries), "cpu-µs/entry")
}

// writeAuditRound writes perPatient chart-open entries about each of ids
// in one transaction.
func writeAuditRound(b testing.TB, s *Session, ids []chart.PatientID, perPatient int) {
	b.Helper()
	ctx := context.Background()
	err := s.w.write(ctx, func(t *tx) error {
		for _, id := range ids {
			for range perPatient {
				e := chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: id, RecordKind: kindPatient,
					RecordID: string(id), Detail: "opened chart from search"}
				if err := s.audit(ctx, t, e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
