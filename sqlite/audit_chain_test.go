package sqlite

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"outpost/chart"
	"outpost/seal"
)

// The keyed chain against an attacker who holds the file but not the key:
// they drop the triggers, edit rows, and recompute every plain hash and the
// plain head, exactly as verification would.

// rechain recomputes, as such an attacker would, the plain hash chain from
// entry from to the end and moves the plain head to the last row, leaving
// the keyed part of the head (which they cannot make) as it was, or
// dropping it when dropKeyed.
func rechain(t *testing.T, db *sql.DB, from int64, dropKeyed bool) {
	t.Helper()
	var prev []byte
	if from == 1 {
		prev = zeroHash
	} else if err := db.QueryRow(`SELECT hash FROM audit_log WHERE seq = ?`, from-1).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows := loadRows(t, db, from)
	for _, r := range rows {
		r.prevHash = prev
		r.hash = r.computeHash()
		if _, err := db.Exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`, r.prevHash, r.hash, r.seq); err != nil {
			t.Fatal(err)
		}
		prev = r.hash
	}
	var raw []byte
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'audit_head'`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	head, ok := parseAuditHead(raw)
	if !ok {
		t.Fatal("head does not parse")
	}
	var last int64
	if err := db.QueryRow(`SELECT coalesce(max(seq), 0) FROM audit_log`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	head.seq, head.hash = last, prev
	if dropKeyed {
		head.keyed = nil
	}
	if _, err := db.Exec(`UPDATE meta SET value = ? WHERE key = 'audit_head'`, head.encode()); err != nil {
		t.Fatal(err)
	}
}

func loadRows(t *testing.T, db *sql.DB, from int64) []auditRow {
	t.Helper()
	rows, err := db.Query(`SELECT `+auditColumns+` FROM audit_log WHERE seq >= ? ORDER BY seq`, from)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		r, err := scanAuditRow(rows.Scan)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestAuditKeyedChainCatchesRecomputedHashes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, db *sql.DB)
		kind    chart.AuditBreakKind
		badSeq  int64
		problem string
	}{
		{"rewritten entry, hashes and head recomputed", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `UPDATE audit_log SET username = 'bob', user_id = '`+string(testBob)+`' WHERE seq = 3`)
			rechain(t, db, 3, false)
		}, chart.AuditBreakChanged, 3, "Entry 3 was changed after it was written: its hashes were recomputed to hide it, but its keyed seal does not match."},
		{"reordered pair, hashes and head recomputed", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `UPDATE audit_log SET seq = -1 WHERE seq = 2`, `UPDATE audit_log SET seq = 2 WHERE seq = 3`,
				`UPDATE audit_log SET seq = 3 WHERE seq = -1`)
			rechain(t, db, 2, false)
		}, chart.AuditBreakChanged, 2, "Entry 2 was changed after it was written: its hashes were recomputed to hide it, but its keyed seal does not match."},
		{"tail cut, plain head moved back", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `DELETE FROM audit_log WHERE seq >= 4`)
			rechain(t, db, 4, false)
		}, chart.AuditBreakRemoved, 4, "Entries 4 to 5, the newest, were removed and the log's end moved back to hide it: the keyed record of where the log ends still names entry 5."},
		{"tail cut, keyed head dropped", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `DELETE FROM audit_log WHERE seq >= 4`)
			rechain(t, db, 4, true)
		}, chart.AuditBreakRemoved, 4, "The keyed record of where the log ends was removed, so entries after 3 may have been removed."},
		{"keyed head forged", func(t *testing.T, db *sql.DB) {
			execAll(t, db, `DELETE FROM audit_log WHERE seq >= 4`)
			rechain(t, db, 4, false)
			var mac []byte
			if err := db.QueryRow(`SELECT mac FROM audit_log WHERE seq = 3`).Scan(&mac); err != nil {
				t.Fatal(err)
			}
			var raw []byte
			if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'audit_head'`).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			head, _ := parseAuditHead(raw)
			head.keyed.seq, head.keyed.mac = 3, mac // the tag stays: they cannot make one
			if _, err := db.Exec(`UPDATE meta SET value = ? WHERE key = 'audit_head'`, head.encode()); err != nil {
				t.Fatal(err)
			}
		}, chart.AuditBreakChanged, 3, "The keyed record of where the log ends was changed outside Outpost."},
		{"one seal removed", sqlTamper(`UPDATE audit_log SET mac = NULL WHERE seq = 3`),
			chart.AuditBreakUnsealed, 3, "Entry 3 lost its keyed seal, though entry 4 after it has one: the seal was removed outside Outpost."},
		{"newest seals removed", sqlTamper(`UPDATE audit_log SET mac = NULL WHERE seq >= 4`),
			chart.AuditBreakUnsealed, 4, "Entries 4 to 5 lost their keyed seals: the seals were removed outside Outpost."},
		{"entry sealed late hides the mark", sqlTamper(`UPDATE audit_log SET keyed_at = 12345 WHERE seq = 2`),
			chart.AuditBreakChanged, 2, "Entry 2 was changed after it was written: its hashes were recomputed to hide it, but its keyed seal does not match."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openAuditDB(t)
			key := newTestKey(t)
			seedAudit(t, db, key, 5)
			dropAuditTriggers(t, db)
			tc.tamper(t, db)
			// The plain chain alone is fooled: that is the attack.
			if v := mustVerify(t, db, nil); !v.OK && tc.kind != chart.AuditBreakUnsealed && tc.name != "entry sealed late hides the mark" {
				t.Fatalf("plain chain = %+v; the tamper should have recomputed it", v)
			}
			v := mustVerify(t, db, key)
			if v.OK || v.FirstBadSeq != tc.badSeq || v.Problem != tc.problem || len(v.Breaks) != 1 || v.Breaks[0].Kind != tc.kind {
				t.Errorf("verify = %+v\nwant %s at %d: %q", v, tc.kind, tc.badSeq, tc.problem)
			}
		})
	}
}

// TestAuditStrippedAndResealedIsReported: an attacker strips every seal and
// the keyed head, rewrites an entry, and waits for the next sign-in to seal
// the log again. Entries written by someone signed in (sealed details)
// cannot legitimately be sealed late, so verification says so.
func TestAuditStrippedAndResealedIsReported(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	seedAudit(t, db, key, 4)
	dropAuditTriggers(t, db)
	execAll(t, db, `UPDATE audit_log SET mac = NULL`, `UPDATE audit_log SET username = 'bob' WHERE seq = 2`)
	rechain(t, db, 1, true)
	if v := mustVerify(t, db, key); !v.OK || v.Pending != 4 {
		t.Fatalf("before the next sign-in: %+v; want OK with 4 waiting (the documented window)", v)
	}
	appendOne(t, db, key, testNoon.Add(time.Hour), chart.AuditEntry{Action: chart.AuditSignIn, Detail: "signed in"})
	v := mustVerify(t, db, key)
	if v.OK || v.FirstBadSeq != 1 || v.Breaks[0].Kind != chart.AuditBreakUnsealed ||
		!strings.HasPrefix(v.Problem, "Entry 1 was written by someone signed in, yet sealed into the keyed chain only on") {
		t.Fatalf("after re-sealing: %+v; want entry 1 reported as stripped", v)
	}
}

// TestAuditPendingEntriesAreSealedAtTheNextKeyedWrite: entries written with
// no key verify by their plain hashes, then join the keyed chain, marked as
// sealed late, at the next write made with the key.
func TestAuditPendingEntriesAreSealedAtTheNextKeyedWrite(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	seedAudit(t, db, key, 2)
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Username: "mallory", Action: chart.AuditSignInFailed, Detail: "wrong passphrase"})
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Username: "mallory", Action: chart.AuditSignInFailed, Detail: "wrong passphrase"})
	if v := mustVerify(t, db, key); !v.OK || v.Keyed != 2 || v.Pending != 2 {
		t.Fatalf("with two waiting: %+v; want OK, 2 keyed, 2 pending", v)
	}
	appendOne(t, db, key, testNoon.Add(time.Minute), chart.AuditEntry{Action: chart.AuditSignIn, Detail: "signed in"})
	v := mustVerify(t, db, key)
	if !v.OK || v.Keyed != 5 || v.Pending != 0 || v.SealedLate != 2 || len(v.Checked) != 2 ||
		!strings.Contains(v.Checked[1], "entries 3–4 on") {
		t.Fatalf("after the next keyed write: %+v; want OK, 5 keyed, 2 sealed late (entries 3–4)", v)
	}
}

// TestAuditPendingEntriesCanBeRewrittenBeforeTheKey pins the documented
// limit: before the next keyed write, an attacker with the file can rewrite
// a waiting entry (recomputing the plain hashes), and it is then sealed as
// rewritten. Only the plain chain ever protected it.
func TestAuditPendingEntriesCanBeRewrittenBeforeTheKey(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	seedAudit(t, db, key, 2)
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Username: "mallory", Action: chart.AuditSignInFailed, Detail: "wrong passphrase"})
	dropAuditTriggers(t, db)
	execAll(t, db, `UPDATE audit_log SET username = 'nobody' WHERE seq = 3`)
	rechain(t, db, 3, false)
	appendOne(t, db, key, testNoon.Add(time.Minute), chart.AuditEntry{Action: chart.AuditSignIn, Detail: "signed in"})
	if v := mustVerify(t, db, key); !v.OK || v.SealedLate != 1 {
		t.Fatalf("verify = %+v; want the documented blind spot (OK, entry 3 sealed late)", v)
	}
}

// TestAuditUpgradeSealsTheOldLogForward: a log written before the keyed
// chain keeps verifying, and the first keyed write after the upgrade seals
// it into the chain, as sealed late, without rewriting a row.
func TestAuditUpgradeSealsTheOldLogForward(t *testing.T) {
	db := openPreChainDB(t)
	key := newTestKey(t)
	var hashes [][]byte
	for i := range 3 {
		r := legacyRow(t, db, key, int64(i+1))
		hashes = append(hashes, r.hash)
	}
	applyMigration0010(t, db)
	if v := mustVerify(t, db, key); !v.OK || v.Entries != 3 || v.Pending != 3 {
		t.Fatalf("right after the upgrade: %+v; want OK, 3 waiting", v)
	}
	appendOne(t, db, key, testNoon.Add(time.Hour), chart.AuditEntry{Action: chart.AuditSignIn, Detail: "signed in"})
	v := mustVerify(t, db, key)
	if !v.OK || v.Entries != 4 || v.Keyed != 4 || v.SealedLate != 3 {
		t.Fatalf("after the first sign-in: %+v; want OK, 4 keyed, 3 sealed late", v)
	}
	for i, r := range loadRows(t, db, 1)[:3] {
		if string(r.hash) != string(hashes[i]) {
			t.Fatalf("entry %d was rewritten by the upgrade", r.seq)
		}
	}
	// Rewriting an old entry now, hashes recomputed, is caught.
	dropAuditTriggers(t, db)
	execAll(t, db, `UPDATE audit_log SET action = 'lock' WHERE seq = 2`)
	rechain(t, db, 2, false)
	if v := mustVerify(t, db, key); v.OK || v.FirstBadSeq != 2 {
		t.Fatalf("old entry rewritten after the upgrade: %+v; want a break at 2", v)
	}
}

// openPreChainDB is a store as it was before migration 0010.
func openPreChainDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", auditDSN(t.TempDir()+"/old.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range []string{"0002_audit.sql", "0008_sync_audit.sql"} {
		body, err := migrationFiles.ReadFile("migrations/" + f)
		if err != nil {
			t.Fatal(err)
		}
		execAll(t, db, `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)`, string(body))
	}
	return db
}

// legacyRow writes entry seq as the previous version did: a sealed detail,
// the plain chain and a plain head, in the old columns only.
func legacyRow(t *testing.T, db *sql.DB, key *seal.Key, seq int64) auditRow {
	t.Helper()
	prev := zeroHash
	if seq > 1 {
		if err := db.QueryRow(`SELECT hash FROM audit_log WHERE seq = ?`, seq-1).Scan(&prev); err != nil {
			t.Fatal(err)
		}
	}
	r := auditRow{seq: seq, at: testNoon.UnixNano(), userID: string(testAlice), username: "alice",
		action: string(chart.AuditChartOpen), patientID: string(testPatient), deviceID: string(testDevice),
		detail: key.Seal([]byte("opened chart"), auditAD(seq)), sealed: true, prevHash: prev}
	r.hash = r.computeHash()
	_, err := db.Exec(`INSERT INTO audit_log (seq, at, user_id, username, action, patient_id, record_kind, record_id,
		device_id, detail, detail_sealed, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?, 1, ?, ?)`,
		r.seq, r.at, r.userID, r.username, r.action, r.patientID, r.deviceID, r.detail, r.prevHash, r.hash)
	if err != nil {
		t.Fatal(err)
	}
	head := auditHead{seq: seq, hash: r.hash}
	if _, err := db.Exec(`INSERT INTO meta (key, value) VALUES ('audit_head', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, head.encode()); err != nil {
		t.Fatal(err)
	}
	return r
}

func applyMigration0010(t *testing.T, db *sql.DB) {
	t.Helper()
	body, err := migrationFiles.ReadFile("migrations/0010_audit_chain.sql")
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, db, string(body))
}

func TestAuditSealingTriggerAllowsOnlyTheSeal(t *testing.T) {
	db, _ := openAuditDB(t)
	key := newTestKey(t)
	seedAudit(t, db, key, 1)
	appendOne(t, db, nil, testNoon, chart.AuditEntry{Action: chart.AuditSignInFailed, Detail: "x"})
	for _, stmt := range []string{
		`UPDATE audit_log SET mac = x'00' WHERE seq = 1`,                   // already sealed
		`UPDATE audit_log SET mac = x'00', username = 'bob' WHERE seq = 2`, // more than the seal
		`UPDATE audit_log SET username = 'bob' WHERE seq = 2`,
	} {
		if _, err := db.Exec(stmt); err == nil {
			t.Errorf("%s: succeeded; want the trigger to refuse it", stmt)
		}
	}
	if v := mustVerify(t, db, key); !v.OK {
		t.Errorf("after refused rewrites: %+v", v)
	}
}
