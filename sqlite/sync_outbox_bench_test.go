package sqlite

import (
	"testing"

	"outpost/sync/client"
	"outpost/sync/wire"
)

// BenchmarkOutboxScans reads the first push batch of an outbox holding 40
// scanned reports of 2.5 MB (100 MB, made offline). Run with -benchmem:
// B/op is what one push reads. "whole-outbox" is the read a push did
// before issue #16.3 (every change up to the count limit, then trimmed).
func BenchmarkOutboxScans(b *testing.B) {
	f := benchFixture(b)
	scanBacklog(b, f, 40, 2500<<10)
	b.Run("push-batch", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.admin.OutboxBatch(ctxb, client.PushBatch, client.MaxPushBytes); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole-outbox", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.admin.Outbox(ctxb, wire.MaxChangesPerPush); err != nil {
				b.Fatal(err)
			}
		}
	})
}
