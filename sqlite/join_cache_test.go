package sqlite

import (
	"context"
	"fmt"
	"testing"

	"outpost/sync/client"
)

// A join's pages and the first sign-in's merge each write more pages in
// one transaction than SQLite's default cache holds: they run with the
// import's cache (importCacheKiB), as a pull's chunks do, so no page is
// spilled to the log mid-transaction and read back. The cache is left on
// the connection (useImportCache): that is what the test looks for, once
// after the join and once after the sign-in, with the cache put back to
// the default in between.
func TestJoinAndFirstSignInUseTheImportCache(t *testing.T) {
	ctx := context.Background()
	server := newPracticeServer(t)
	fa := newFixture(t)
	seedPatients(t, fa.admin, 20)
	a := syncingWorkstation{fa, server.enroll(t, fa.admin)}
	a.sync(t)
	b, c := beginJoin(t, server)
	if got := poolCaches(t, b.w, 0); got != 0 {
		t.Fatalf("%d connections of B hold the import cache before the join", got)
	}
	if _, err := client.JoinFromHeads(ctx, b.w, c, nil); err != nil {
		t.Fatalf("JoinFromHeads: %v", err)
	}
	if got := poolCaches(t, b.w, -2000); got == 0 {
		t.Fatal("the join's pages were stored with SQLite's default page cache")
	}
	if _, err := b.w.SignInChartFirst(ctx, "ada", adminPass, nil); err != nil {
		t.Fatalf("SignInChartFirst: %v", err)
	}
	if got := poolCaches(t, b.w, 0); got == 0 {
		t.Fatal("the first sign-in merged with SQLite's default page cache")
	}
}

// poolCaches counts w's pooled connections whose page cache is the
// import's, holding all of them at once so each is asked; a reset other
// than 0 then sets every connection's cache to it (in KiB, negative).
func poolCaches(t *testing.T, w *Workstation, reset int) int {
	t.Helper()
	ctx := context.Background()
	n := w.db.Stats().OpenConnections
	found := 0
	for range n {
		conn, err := w.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var size int
		if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if size == -importCacheKiB {
			found++
		}
		if reset != 0 {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, reset)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return found
}
