package sqlite

import (
	"crypto/rand"
	"runtime"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/wire"
)

// Issue #16.3: a push read up to 5,000 whole sealed blobs before the byte
// cap trimmed the batch, so a backlog of scans made offline was read again
// for every batch of one or two. A batch now costs what it sends.
func TestOutboxBatchReadsOnlyWhatItSends(t *testing.T) {
	sizedWithoutRace(t)
	f := newFixture(t)
	scanBacklog(t, f, 24, 1536<<10) // 36 MiB of scans, over two push caps
	all := must(f.admin.Outbox(ctxb, wire.MaxChangesPerPush))(t)

	var sent []wire.Change
	for {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		batch := must(f.admin.OutboxBatch(ctxb, client.PushBatch, client.MaxPushBytes))(t)
		runtime.ReadMemStats(&after)
		if len(batch) == 0 {
			break
		}
		size := 0
		for _, c := range batch {
			size += len(c.Sealed)
		}
		if size > client.MaxPushBytes && len(batch) > 1 {
			t.Fatalf("a batch of %d changes holds %d bytes, over the %d cap", len(batch), size, client.MaxPushBytes)
		}
		// Each blob is copied once by the driver and once by Scan.
		read := after.TotalAlloc - before.TotalAlloc
		t.Logf("batch of %d changes, %d MiB sealed: read allocated %d MiB", len(batch), size>>20, read>>20)
		if read > uint64(3*size)+4<<20 {
			t.Fatalf("reading a batch of %d bytes allocated %d MiB", size, read>>20)
		}
		acks := make([]wire.Ack, len(batch))
		for i, c := range batch {
			acks[i] = wire.Ack{ChangeID: c.ChangeID}
		}
		if err := f.admin.MarkAcked(ctxb, acks); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, batch...)
	}
	if len(sent) != len(all) {
		t.Fatalf("the batches sent %d changes, the outbox held %d", len(sent), len(all))
	}
	for i := range all {
		if sent[i].ChangeID != all[i].ChangeID {
			t.Fatalf("change %d sent out of order: %s, want %s", i, sent[i].ChangeID, all[i].ChangeID)
		}
	}
}

// scanBacklog has a clinician attach n incompressible scans of size bytes
// each to results of one patient, unsynced.
func scanBacklog(t testing.TB, f *fixture, n, size int) {
	f.addUser(t, f.admin, "cleo", chart.RoleClinician, clinicianPass)
	doc := f.signIn(t, "cleo", clinicianPass)
	p := register(t, doc, samplePatient("Scanned", "Backlog")).ID
	for range n {
		pdf := append([]byte("%PDF-1.4\n"), make([]byte, size)...)
		rand.Read(pdf[9:])
		attachScan(t, doc, p, pdf)
	}
}
