package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"outpost/chart"
	"outpost/seal"
)

// auditDSN mirrors the store's connection settings that matter here: WAL,
// full sync, and BEGIN IMMEDIATE for write transactions.
func auditDSN(path string) string {
	return path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
}

// openAuditDB returns a real SQLite file with the meta table (normally made
// by 0001) and the audit migration applied from the embedded files.
func openAuditDB(t testing.TB) (*sql.DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", auditDSN(filepath.Join(dir, "audit.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	body, err := migrationFiles.ReadFile("migrations/0002_audit.sql")
	if err != nil {
		t.Fatal(err)
	}
	queue, err := migrationFiles.ReadFile("migrations/0008_sync_audit.sql")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := migrationFiles.ReadFile("migrations/0010_audit_chain.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)`, string(body), string(queue), string(chain)} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("set up audit schema: %v", err)
		}
	}
	return db, dir
}

func newTestKey(t testing.TB) *seal.Key {
	t.Helper()
	k, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// appendOne appends e in its own committed transaction, as a store would.
func appendOne(t testing.TB, db *sql.DB, key *seal.Key, now time.Time, e chart.AuditEntry) chart.AuditEntry {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	got, err := appendAudit(ctx, tx, key, now, e)
	if err != nil {
		t.Fatalf("appendAudit: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return got
}

var (
	testAlice   = chart.UserID("0193a1b2-0000-7000-8000-00000000a11c")
	testBob     = chart.UserID("0193a1b2-0000-7000-8000-000000000b0b")
	testPatient = chart.PatientID("0193a1b2-0000-7000-8000-0000000000a1")
	testDevice  = chart.DeviceID("0193a1b2-0000-7000-8000-0000000000d1")
	testNoon    = time.Date(2026, 3, 14, 12, 0, 0, 0, time.Local)
)

// seedAudit writes n sealed chart-open entries, one minute apart.
func seedAudit(t testing.TB, db *sql.DB, key *seal.Key, n int) []chart.AuditEntry {
	t.Helper()
	var out []chart.AuditEntry
	for i := range n {
		out = append(out, appendOne(t, db, key, testNoon.Add(time.Duration(i)*time.Minute), chart.AuditEntry{
			UserID: testAlice, Username: "alice", Action: chart.AuditChartOpen,
			PatientID: testPatient, RecordKind: "patient", RecordID: string(testPatient),
			Detail: fmt.Sprintf("opened chart %d", i+1), DeviceID: testDevice,
		}))
	}
	return out
}

func mustList(t *testing.T, db *sql.DB, key *seal.Key, f chart.AuditFilter) []chart.AuditEntry {
	t.Helper()
	got, err := listAudit(context.Background(), db, key, f)
	if err != nil {
		t.Fatalf("listAudit(%+v): %v", f, err)
	}
	return got
}

// mustVerify verifies db's log: the plain hash chain, and the keyed chain
// when key is not nil.
func mustVerify(t *testing.T, db *sql.DB, key *seal.Key) chart.AuditVerification {
	t.Helper()
	v, err := verifyAudit(context.Background(), db, key)
	if err != nil {
		t.Fatalf("verifyAudit: %v", err)
	}
	return v
}

func seqs(entries []chart.AuditEntry) []int64 {
	out := make([]int64, len(entries))
	for i, e := range entries {
		out[i] = e.Seq
	}
	return out
}

func TestAuditAppendSetsSeqTimeAndHash(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	now := time.Date(2026, 3, 14, 9, 30, 0, 123456789, time.FixedZone("AKDT", -8*3600))
	first := appendOne(t, db, nil, now, chart.AuditEntry{Username: "mallory", Action: chart.AuditSignInFailed, Detail: "wrong passphrase", DeviceID: testDevice})
	second := appendOne(t, db, key, now.Add(time.Second), chart.AuditEntry{UserID: testAlice, Username: "alice", Action: chart.AuditSignIn, DeviceID: testDevice})

	if first.Seq != 1 || second.Seq != 2 {
		t.Fatalf("seqs = %d, %d; want 1, 2", first.Seq, second.Seq)
	}
	if !first.At.Equal(now) || first.At.Location() != time.UTC {
		t.Errorf("At = %v; want %v in UTC", first.At, now)
	}
	hexHash := regexp.MustCompile(`^[0-9a-f]{64}$`)
	if !hexHash.MatchString(first.Hash) || !hexHash.MatchString(second.Hash) || first.Hash == second.Hash {
		t.Errorf("hashes = %q, %q; want two distinct SHA-256 hex strings", first.Hash, second.Hash)
	}
	if first.Detail != "wrong passphrase" {
		t.Errorf("returned detail = %q", first.Detail)
	}

	got := mustList(t, db, key, chart.AuditFilter{})
	if len(got) != 2 || got[0] != second || got[1] != first {
		t.Fatalf("list = %+v\nwant newest first: %+v, %+v", got, second, first)
	}
}

func TestAuditRejectsEntryWithoutAction(t *testing.T) {
	db, _ := openAuditDB(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := appendAudit(ctx, tx, nil, testNoon, chart.AuditEntry{Username: "alice"}); err == nil {
		t.Fatal("appendAudit accepted an entry without an action")
	}
}

func TestAuditRolledBackAppendLeavesNoTrace(t *testing.T) {
	db, _ := openAuditDB(t)
	seedAudit(t, db, nil, 2)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := appendAudit(ctx, tx, nil, testNoon, chart.AuditEntry{Action: chart.AuditCreate}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()

	if got := mustList(t, db, nil, chart.AuditFilter{}); len(got) != 2 {
		t.Errorf("after rollback, %d entries; want 2", len(got))
	}
	if v := mustVerify(t, db, nil); !v.OK || v.Entries != 2 {
		t.Errorf("after rollback, verify = %+v; want OK with 2", v)
	}
	if next := appendOne(t, db, nil, testNoon, chart.AuditEntry{Action: chart.AuditCreate}); next.Seq != 3 {
		t.Errorf("next seq = %d; want 3", next.Seq)
	}
}

func TestAuditListFilters(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	other := chart.PatientID("0193a1b2-0000-7000-8000-0000000000a2")
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.Local) }
	for _, e := range []struct {
		at time.Time
		chart.AuditEntry
	}{
		{day(13, 23, 59), chart.AuditEntry{UserID: testAlice, Action: chart.AuditSignIn}},                          // 1
		{day(14, 0, 0), chart.AuditEntry{UserID: testAlice, Action: chart.AuditChartOpen, PatientID: testPatient}}, // 2
		{day(14, 10, 0), chart.AuditEntry{UserID: testBob, Action: chart.AuditChartOpen, PatientID: other}},        // 3
		{day(14, 23, 59), chart.AuditEntry{UserID: testBob, Action: chart.AuditUpdate, PatientID: testPatient}},    // 4
		{day(15, 0, 0), chart.AuditEntry{UserID: testAlice, Action: chart.AuditLock}},                              // 5
	} {
		appendOne(t, db, key, e.at, e.AuditEntry)
	}

	for _, tc := range []struct {
		name string
		f    chart.AuditFilter
		want []int64
	}{
		{"everything", chart.AuditFilter{}, []int64{5, 4, 3, 2, 1}},
		{"user", chart.AuditFilter{UserID: testBob}, []int64{4, 3}},
		{"patient", chart.AuditFilter{PatientID: testPatient}, []int64{4, 2}},
		{"action", chart.AuditFilter{Action: chart.AuditChartOpen}, []int64{3, 2}},
		{"user and action", chart.AuditFilter{UserID: testAlice, Action: chart.AuditChartOpen}, []int64{2}},
		{"one local day", chart.AuditFilter{From: "2026-03-14", To: "2026-03-14"}, []int64{4, 3, 2}},
		{"from only", chart.AuditFilter{From: "2026-03-15"}, []int64{5}},
		{"to only", chart.AuditFilter{To: "2026-03-13"}, []int64{1}},
		{"limit", chart.AuditFilter{Limit: 2}, []int64{5, 4}},
		{"before seq", chart.AuditFilter{BeforeSeq: 4, Limit: 2}, []int64{3, 2}},
		{"no match", chart.AuditFilter{UserID: "0193a1b2-0000-7000-8000-000000000000"}, []int64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := seqs(mustList(t, db, key, tc.f)); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("seqs = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestAuditListPagesThroughEverything(t *testing.T) {
	db, _ := openAuditDB(t)
	seedAudit(t, db, nil, 7)
	var all []int64
	f := chart.AuditFilter{Limit: 3}
	for {
		page := mustList(t, db, nil, f)
		if len(page) == 0 {
			break
		}
		all = append(all, seqs(page)...)
		f.BeforeSeq = page[len(page)-1].Seq
	}
	if fmt.Sprint(all) != "[7 6 5 4 3 2 1]" {
		t.Errorf("paged seqs = %v", all)
	}
}

func TestAuditListRejectsBadFilters(t *testing.T) {
	db, _ := openAuditDB(t)
	for _, tc := range []struct {
		f     chart.AuditFilter
		field string
	}{
		{chart.AuditFilter{From: "14/03/2026"}, "from"},
		{chart.AuditFilter{To: "2026-02-30"}, "to"},
		{chart.AuditFilter{From: "2026-03-15", To: "2026-03-14"}, "to"},
		{chart.AuditFilter{BeforeSeq: -1}, "beforeSeq"},
		{chart.AuditFilter{To: "9999-12-31"}, "to"},
	} {
		_, err := listAudit(context.Background(), db, nil, tc.f)
		if chart.ErrorCode(err) != chart.EINVALID || chart.ErrorField(err) != tc.field {
			t.Errorf("listAudit(%+v) = %v; want invalid on %q", tc.f, err, tc.field)
		}
	}
}

func TestAuditLimitIsBounded(t *testing.T) {
	for in, want := range map[int]int{-5: 200, 0: 200, 1: 1, 200: 200, 5000: 5000, 5001: 5000, 1 << 30: 5000} {
		if got := auditLimit(in); got != want {
			t.Errorf("auditLimit(%d) = %d; want %d", in, got, want)
		}
	}
}

func TestAuditDetailUnreadableWithoutTheKey(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Username: "mallory", Action: chart.AuditSignInFailed, Detail: "wrong passphrase"})
	appendOne(t, db, key, testNoon, chart.AuditEntry{UserID: testAlice, Username: "alice", Action: chart.AuditChartOpen, PatientID: testPatient, Detail: "opened chart"})

	for name, k := range map[string]*seal.Key{"other key": newTestKey(t), "no key": nil} {
		got := mustList(t, db, k, chart.AuditFilter{})
		if len(got) != 2 {
			t.Fatalf("%s: %d entries; want 2", name, len(got))
		}
		if got[0].Detail != unreadableDetail || got[0].Username != "alice" || got[0].PatientID != testPatient {
			t.Errorf("%s: sealed entry = %+v; want who/what intact and detail unreadable", name, got[0])
		}
		if got[1].Detail != "wrong passphrase" {
			t.Errorf("%s: unsealed detail = %q", name, got[1].Detail)
		}
	}
	if got := mustList(t, db, key, chart.AuditFilter{}); got[0].Detail != "opened chart" {
		t.Errorf("with the key, detail = %q", got[0].Detail)
	}
}

func TestAuditTriggersRefuseRewrites(t *testing.T) {
	db, _ := openAuditDB(t)
	seedAudit(t, db, nil, 3)
	for _, stmt := range []string{
		`UPDATE audit_log SET detail = x'00' WHERE seq = 2`,
		`UPDATE audit_log SET seq = 9 WHERE seq = 3`,
		`DELETE FROM audit_log WHERE seq = 3`,
		`DELETE FROM audit_log`,
		`DELETE FROM meta WHERE key = 'audit_head'`,
		`UPDATE meta SET value = x'00' WHERE key = 'audit_head'`,
		`UPDATE meta SET key = 'elsewhere' WHERE key = 'audit_head'`,
	} {
		if _, err := db.Exec(stmt); err == nil {
			t.Errorf("%s: succeeded; want the trigger to refuse it", stmt)
		}
	}
	if v := mustVerify(t, db, nil); !v.OK || v.Entries != 3 {
		t.Errorf("after refused rewrites, verify = %+v; want OK with 3", v)
	}
}

func TestAuditVerifyIntactChain(t *testing.T) {
	db, _ := openAuditDB(t)
	if v := mustVerify(t, db, nil); !v.OK || v.Entries != 0 {
		t.Errorf("empty log: %+v; want OK with 0", v)
	}
	key := newTestKey(t)
	seedAudit(t, db, key, 4)
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Action: chart.AuditSignInFailed, Detail: "unknown user"})
	if v := mustVerify(t, db, nil); !v.OK || v.Entries != 5 || v.FirstBadSeq != 0 || v.Problem != "" {
		t.Errorf("intact log: %+v; want OK with 5", v)
	}
}

// dropAuditTriggers does what someone editing the file by hand would do
// first.
func dropAuditTriggers(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, name := range []string{"audit_log_no_update", "audit_log_no_delete", "audit_head_no_delete", "audit_head_forward_only"} {
		if _, err := db.Exec(`DROP TRIGGER ` + name); err != nil {
			t.Fatal(err)
		}
	}
}

// rehash recomputes one row's own hash from its stored columns, as a
// tamperer who knows the format would, leaving the chain links alone.
func rehash(t *testing.T, db *sql.DB, seq int64) {
	t.Helper()
	r, err := scanAuditRow(db.QueryRow(`SELECT `+auditColumns+` FROM audit_log WHERE seq = ?`, seq).Scan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET hash = ? WHERE seq = ?`, r.computeHash(), seq); err != nil {
		t.Fatal(err)
	}
}

func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	const swap = `UPDATE audit_log SET seq = -1 WHERE seq = 2;
		UPDATE audit_log SET seq = 2 WHERE seq = 4;
		UPDATE audit_log SET seq = 4 WHERE seq = -1;`
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, db *sql.DB)
		badSeq  int64
		problem string
	}{
		{"detail edited", sqlTamper(`UPDATE audit_log SET detail = randomblob(length(detail)) WHERE seq = 3`), 3, "Entry 3 was changed after it was written."},
		{"action edited", sqlTamper(`UPDATE audit_log SET action = 'lock' WHERE seq = 2`), 2, "Entry 2 was changed after it was written."},
		{"time edited", sqlTamper(`UPDATE audit_log SET at = at - 3600000000000 WHERE seq = 4`), 4, "Entry 4 was changed after it was written."},
		{"patient edited", sqlTamper(`UPDATE audit_log SET patient_id = 'someone else' WHERE seq = 1`), 1, "Entry 1 was changed after it was written."},
		{"newest edited", sqlTamper(`UPDATE audit_log SET username = 'bob' WHERE seq = 5`), 5, "Entry 5 was changed after it was written."},
		{"sealed detail moved", sqlTamper(`UPDATE audit_log SET detail = (SELECT detail FROM audit_log WHERE seq = 2) WHERE seq = 3`), 3, "Entry 3 was changed after it was written."},
		{"two entries swapped", sqlTamper(swap), 2, "Entry 2 was changed after it was written."},
		{"swapped and rehashed", func(t *testing.T, db *sql.DB) {
			execAll(t, db, swap)
			rehash(t, db, 2)
			rehash(t, db, 4)
		}, 2, "Entry 2 does not follow entry 1: entries were moved or replaced."},
		{"newest edited and rehashed", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `UPDATE audit_log SET action = 'lock' WHERE seq = 5`)
			rehash(t, db, 5)
		}, 5, "Entry 5 was changed after it was written: its hashes were recomputed to hide it, but its keyed seal does not match."},
		{"middle entry removed", sqlTamper(`DELETE FROM audit_log WHERE seq = 3`), 3, "Entry 3 was removed."},
		{"first entry removed", sqlTamper(`DELETE FROM audit_log WHERE seq = 1`), 1, "Entry 1 was removed."},
		{"several removed", sqlTamper(`DELETE FROM audit_log WHERE seq IN (2, 3)`), 2, "Entries 2 to 3 were removed."},
		{"removed and renumbered", sqlTamper(`DELETE FROM audit_log WHERE seq = 3`, `UPDATE audit_log SET seq = seq - 1 WHERE seq > 3`), 3, "Entry 3 was changed after it was written."},
		{"newest removed", sqlTamper(`DELETE FROM audit_log WHERE seq = 5`), 5, "Entry 5, the newest, was removed."},
		{"two newest removed", sqlTamper(`DELETE FROM audit_log WHERE seq >= 4`), 4, "Entries 4 to 5, the newest, were removed."},
		{"everything removed", sqlTamper(`DELETE FROM audit_log`), 1, "Entries 1 to 5, the newest, were removed."},
		{"newest removed and head wound back", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `DELETE FROM audit_log WHERE seq = 5`)
			head := append([]byte{0, 0, 0, 0, 0, 0, 0, 4}, lastHash(t, db)...)
			if _, err := db.Exec(`UPDATE meta SET value = ? WHERE key = 'audit_head'`, head); err != nil {
				t.Fatal(err)
			}
		}, 5, "The keyed record of where the log ends was removed, so entries after 4 may have been removed."},
		{"head removed", sqlTamper(`DELETE FROM meta WHERE key = 'audit_head'`), 6, "The record of where the log ends is missing, so entries after 5 may have been removed."},
		{"head garbled", sqlTamper(`UPDATE meta SET value = x'00' WHERE key = 'audit_head'`), 6, "The record of where the log ends was changed, so entries after 5 may have been removed."},
		{"entry added outside Outpost", func(t *testing.T, db *sql.DB) {
			r := auditRow{seq: 6, at: testNoon.UnixNano(), action: "create", detail: []byte("forged")}
			r.prevHash = lastHash(t, db)
			r.hash = r.computeHash()
			tx, err := db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if err := insertAuditRow(context.Background(), tx, r); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}, 6, "Entries after 5 were added outside Outpost."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openAuditDB(t)
			key := newTestKey(t)
			seedAudit(t, db, key, 5)
			dropAuditTriggers(t, db)
			tc.tamper(t, db)
			v := mustVerify(t, db, key)
			if v.OK || v.FirstBadSeq != tc.badSeq || v.Problem != tc.problem {
				t.Errorf("verify = %+v\nwant first bad %d: %q", v, tc.badSeq, tc.problem)
			}
		})
	}
}

func sqlTamper(stmts ...string) func(*testing.T, *sql.DB) {
	return func(t *testing.T, db *sql.DB) { execAll(t, db, stmts...) }
}

func lastHash(t *testing.T, db *sql.DB) []byte {
	t.Helper()
	var h []byte
	if err := db.QueryRow(`SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAuditAppendAfterTamperingKeepsTheEvidence(t *testing.T) {
	db, _ := openAuditDB(t)
	seedAudit(t, db, nil, 5)
	dropAuditTriggers(t, db)
	execAll(t, db, `DELETE FROM audit_log WHERE seq = 5`)
	if e := appendOne(t, db, nil, testNoon, chart.AuditEntry{Action: chart.AuditSignIn}); e.Seq != 6 {
		t.Errorf("seq after a removed tail = %d; want 6 (the head's seq + 1)", e.Seq)
	}
	if v := mustVerify(t, db, nil); v.OK || v.FirstBadSeq != 5 {
		t.Errorf("verify = %+v; want entry 5 still reported missing", v)
	}
}

func TestAuditSealedDetailIsNotOnDisk(t *testing.T) {
	db, dir := openAuditDB(t)
	const secret, clear = "SEALED-MARKER chest pain since Tuesday", "CLEAR-MARKER wrong passphrase"
	appendOne(t, db, newTestKey(t), testNoon, chart.AuditEntry{Action: chart.AuditUpdate, PatientID: testPatient, Detail: secret})
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Action: chart.AuditSignInFailed, Detail: clear})
	onDisk := readDir(t, dir) // with the WAL still open
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	onDisk = append(onDisk, readDir(t, dir)...)

	if bytes.Contains(onDisk, []byte("SEALED-MARKER")) || bytes.Contains(onDisk, []byte("chest pain")) {
		t.Error("the sealed detail is readable in the database files")
	}
	// The unsealed detail proves the scan would have seen plaintext.
	if !bytes.Contains(onDisk, []byte(clear)) {
		t.Error("the unsealed detail was not found on disk; the scan is not looking at the data")
	}
}

func readDir(t *testing.T, dir string) []byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "audit.db") {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
	}
	return all
}

// BenchmarkAppendAudit measures one audited action's share of a commit:
// "commit" is a transaction per entry (synchronous=FULL, so dominated by
// fsync), "in-tx" is the append alone inside a long transaction.
func BenchmarkAppendAudit(b *testing.B) {
	e := chart.AuditEntry{UserID: testAlice, Username: "alice", Action: chart.AuditChartOpen,
		PatientID: testPatient, RecordKind: "patient", RecordID: string(testPatient),
		Detail: "opened chart from search", DeviceID: testDevice}
	b.Run("commit", func(b *testing.B) {
		db, _ := openAuditDB(b)
		key := newTestKey(b)
		for b.Loop() {
			appendOne(b, db, key, time.Now(), e)
		}
	})
	b.Run("in-tx", func(b *testing.B) {
		db, _ := openAuditDB(b)
		key := newTestKey(b)
		ctx := context.Background()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer tx.Rollback()
		for b.Loop() {
			if _, err := appendAudit(ctx, tx, key, time.Now(), e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
