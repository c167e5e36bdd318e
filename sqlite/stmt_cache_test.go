package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"outpost/chart"
)

// countFrom yields start, start+1, ... start+4: five rows, so two queries
// of it can be stepped in turn.
const countFrom = `WITH RECURSIVE n(v) AS (SELECT ? UNION ALL SELECT v + 1 FROM n LIMIT 5) SELECT v FROM n`

// readInts reads a column of integers from q.
func readInts(t *testing.T, q queryer, query string, args ...any) []int64 {
	t.Helper()
	rows, err := q.QueryContext(ctxb, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSnapshotKeepsStatementsPrepared: a query a read transaction ran is
// not prepared again by the next one.
func TestSnapshotKeepsStatementsPrepared(t *testing.T) {
	w := newFixtureStore(t).w
	read := func() {
		err := w.snapshot(ctxb, func(q queryer) error {
			if got := readInts(t, q, countFrom, 7); !slices.Equal(got, []int64{7, 8, 9, 10, 11}) {
				t.Errorf("rows = %v", got)
			}
			var v int64
			return q.QueryRowContext(ctxb, `SELECT ? + 1`, 41).Scan(&v)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	read()
	if n := w.stmts.prepared(); n != 0 {
		t.Fatalf("%d statements prepared by the first read, want none (a query run once is not kept)", n)
	}
	read()
	if n := w.stmts.prepared(); n != 2 {
		t.Fatalf("%d statements prepared by the second read, want 2", n)
	}
	for range 3 {
		read()
	}
	if n := w.stmts.prepared(); n != 2 {
		t.Errorf("%d statements prepared after five reads, want the second read's 2", n)
	}
}

// TestSnapshotOverlappingQueriesOfOneStatement: two Rows of the same SQL
// open at once in one transaction (as runOverlapped reads the kinds of a
// chart) each get their own rows. On one shared SQLite statement the
// second query would reset the first.
func TestSnapshotOverlappingQueriesOfOneStatement(t *testing.T) {
	w := newFixtureStore(t).w
	for range 3 { // the first time the second query is prepared, then both; last from statements handed back
		err := w.snapshot(ctxb, func(q queryer) error {
			a, err := q.QueryContext(ctxb, countFrom, 0)
			if err != nil {
				return err
			}
			defer a.Close()
			b, err := q.QueryContext(ctxb, countFrom, 100)
			if err != nil {
				return err
			}
			defer b.Close()
			var got []int64
			for a.Next() && b.Next() {
				var x, y int64
				if err := a.Scan(&x); err != nil {
					return err
				}
				if err := b.Scan(&y); err != nil {
					return err
				}
				got = append(got, x, y)
			}
			if want := []int64{0, 100, 1, 101, 2, 102, 3, 103, 4, 104}; !slices.Equal(got, want) {
				t.Errorf("interleaved rows = %v, want %v", got, want)
			}
			return errors.Join(a.Err(), b.Err())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := w.stmts.prepared(); n != 2 {
		t.Errorf("%d statements prepared, want 2 (one per open Rows, reused)", n)
	}
}

// TestStatementCacheBounds: past its bounds (distinct SQL texts, leases of
// one text in one transaction) a query runs unprepared, with the same
// rows, and the cache stops growing.
func TestStatementCacheBounds(t *testing.T) {
	w := newFixtureStore(t).w
	err := w.snapshot(ctxb, func(q queryer) error {
		for i := range stmtLeasesPerTx + 10 {
			if got := readInts(t, q, countFrom, i); len(got) != 5 || got[0] != int64(i) {
				t.Fatalf("run %d: rows = %v", i, got)
			}
		}
		for i := range stmtCacheQueries + 10 {
			query := fmt.Sprintf(`SELECT ? + %d`, i)
			for range 2 { // kept from the second run
				var v int64
				if err := q.QueryRowContext(ctxb, query, 1).Scan(&v); err != nil || v != int64(i+1) {
					t.Fatalf("%s = %d, %v", query, v, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// countFrom's leases (its first run unprepared), and one statement for
	// each text the cache had room for.
	want := stmtLeasesPerTx + stmtCacheQueries - 1
	if n := w.stmts.prepared(); n != want {
		t.Errorf("%d statements prepared, want %d", n, want)
	}
	// The statements are handed back: a second transaction prepares none.
	err = w.snapshot(ctxb, func(q queryer) error {
		readInts(t, q, `SELECT ? + 0`, 1)
		readInts(t, q, countFrom, 1)
		return nil
	})
	if err != nil || w.stmts.prepared() != want {
		t.Errorf("after a second read: %d prepared, %v", w.stmts.prepared(), err)
	}
}

// TestSnapshotStatementErrors: a query that does not prepare reports why,
// as it did unprepared, and a closed store's cache runs queries unprepared.
func TestSnapshotStatementErrors(t *testing.T) {
	w := newFixtureStore(t).w
	err := w.snapshot(ctxb, func(q queryer) error {
		_, err := q.QueryContext(ctxb, `SELECT nothing FROM nowhere`)
		return err
	})
	if err == nil {
		t.Fatal("a query of a missing table succeeded")
	}
	if err := w.stmts.close(); err != nil {
		t.Fatal(err)
	}
	err = w.snapshot(context.Background(), func(q queryer) error {
		if got := readInts(t, q, countFrom, 3); !slices.Equal(got, []int64{3, 4, 5, 6, 7}) {
			t.Errorf("rows after close = %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWritesKeepStatementsPrepared: a write transaction's statements are
// kept too (a chart open's audit entry runs the same few each time), and
// an Exec run again in one transaction reuses its statement.
func TestWritesKeepStatementsPrepared(t *testing.T) {
	w := newFixtureStore(t).w
	write := func(key string) {
		err := w.write(ctxb, func(t *tx) error {
			for _, v := range []string{"a", "b", "c"} {
				if _, err := t.ExecContext(ctxb, `INSERT INTO meta (key, value) VALUES (?, ?)
					ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, v); err != nil {
					return err
				}
			}
			var v string
			return t.QueryRowContext(ctxb, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	before := w.stmts.prepared()
	write("test.first")
	if n := w.stmts.prepared() - before; n != 1 {
		t.Fatalf("%d statements prepared by a write of three Execs and a query, want 1 (the Exec's, from its second run)", n)
	}
	write("test.second")
	write("test.third")
	if n := w.stmts.prepared() - before; n != 2 {
		t.Errorf("%d statements prepared after three writes, want 2", n)
	}
	got, err := readMeta(ctxb, w.db, "test.first", "test.second", "test.third")
	if err != nil || got["test.first"] != "c" || got["test.second"] != "c" || got["test.third"] != "c" {
		t.Errorf("written = %v, %v", got, err)
	}
}

// TestAuditEntriesOfOneTransactionKeepOneStatementEach: a transaction
// writing many audit entries (a pack benchmark's round, a batch of saves)
// runs each of the entry's statements on one statement kept prepared,
// the one-row position query included: through QueryRowContext every run
// leased another statement until stmtLeasesPerTx, then parsed it anew.
// The chain written that way still verifies, one entry for each.
func TestAuditEntriesOfOneTransactionKeepOneStatementEach(t *testing.T) {
	s := newFixture(t).admin
	const entries = 40
	write := func() {
		err := s.w.write(ctxb, func(t *tx) error {
			for range entries {
				if err := s.audit(ctxb, t, chart.AuditEntry{Action: chart.AuditChartOpen, Detail: "opened"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	before := s.w.stmts.prepared()
	write()
	write()
	// At most the position query, the entry's INSERT, the head's upsert and
	// the queue's INSERT, once each (none if the fixture's own entries
	// prepared them already).
	if n := s.w.stmts.prepared() - before; n > 4 {
		t.Errorf("%d statements prepared by two transactions of %d audit entries, want at most 4 (one for each SQL text)", n, entries)
	}
	v, err := s.VerifyAudit(ctxb)
	if err != nil || !v.OK || v.Entries < 2*entries {
		t.Errorf("verify = %+v, %v; want OK with at least %d entries", v, err, 2*entries)
	}
}
