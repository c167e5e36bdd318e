package sqlite

import (
	"fmt"
	"os"
	"testing"

	"outpost/sync/client"
)

// BenchmarkChangeLogOnce registers 2,000 patients (each a change and a
// row) and reports the store's size (file + WAL, "disk-MB") and what
// the change log's pages ("changes-MB"), and what reading one push batch of their outbox costs, now that each current
// version's bytes are read from its row (changeSealed).
func BenchmarkChangeLogOnce(b *testing.B) {
	f := benchFixture(b)
	for i := range 2000 {
		register(b, f.admin, samplePatient("Bench", fmt.Sprintf("Patient%04d", i)))
	}
	if _, err := f.w.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, p := range []string{f.path, f.path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			size += st.Size()
		}
	}
	var changesBytes, free, page int64
	err := f.w.db.QueryRow(`SELECT (SELECT sum(pgsize) FROM dbstat WHERE name = 'changes'),
		(SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)`).
		Scan(&changesBytes, &free, &page)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		out, err := f.admin.OutboxBatch(ctxb, client.PushBatch, client.MaxPushBytes)
		if err != nil || len(out) == 0 {
			b.Fatal(len(out), err)
		}
	}
	b.ReportMetric(float64(size)/1e6, "disk-MB")
	b.ReportMetric(float64(free*page)/1e6, "free-MB")
	b.ReportMetric(float64(changesBytes)/1e6, "changes-MB")
}
