package sqlite

// The convergence test's checks: what every workstation and the server must
// agree on once the run quiesces, and the oracle of which concurrent writes
// must survive as conflicts.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/clock"
	"outpost/sync/merge"
)

// checkServer: one row per change id, seqs (a primary key) with holes only
// for retried pushes, and every workstation holds exactly the server's changes
// with nothing left to send. The holes: the server's INSERT ... ON CONFLICT
// (change_id) DO NOTHING still takes an AUTOINCREMENT value for a change it
// already holds, so each change pushed again after a lost reply burns a
// seq. Pulls are unaffected (the cursor is "after seq"), so holes are
// allowed, but no more than the retries explain.
func (c *convergeRun) checkServer() {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(c.server.dir, "server.db")+"?mode=ro")
	if err != nil {
		c.fatalf("open server db: %v", err)
	}
	defer db.Close()
	var n, ids, last int64
	err = db.QueryRow(`SELECT count(*), count(DISTINCT change_id), coalesce(max(seq), 0) FROM changes`).Scan(&n, &ids, &last)
	if err != nil {
		c.fatalf("read server changes: %v", err)
	}
	if ids != n {
		c.fatalf("server holds %d changes under %d change ids", n, ids)
	}
	if holes := last - n; holes > int64(c.resent()) {
		c.fatalf("server seqs have %d holes (last %d, %d changes) but only %d changes were pushed again", holes, last, n, c.resent())
	}
	for i, d := range c.devices {
		if got := countRows(c.t, d.w, "changes"); int64(got) != n {
			c.fatalf("dev%d holds %d changes, the server %d", i, got, n)
		}
		if out, err := d.admin.Outbox(context.Background(), 10); err != nil || len(out) != 0 {
			c.fatalf("dev%d outbox after quiescence: %d changes, %v", i, len(out), err)
		}
	}
}

// checkSame compares every patient on every device with device 0, as the
// chart shows it (OpenPatient, every field: version and bookkeeping too)
// and as the search index lists it. It returns what each device shows.
func (c *convergeRun) checkSame() []map[chart.PatientID]chart.Patient {
	ctx := context.Background()
	shown := make([]map[chart.PatientID]chart.Patient, len(c.devices))
	for i := range shown {
		shown[i] = map[chart.PatientID]chart.Patient{}
	}
	for _, id := range c.patients {
		var want []byte
		for i, d := range c.devices {
			p, err := d.admin.OpenPatient(ctx, id)
			if err != nil {
				c.fatalf("dev%d open %s: %v", i, id, err)
			}
			shown[i][id] = p
			got, _ := json.Marshal(p)
			if i == 0 {
				want = got
			} else if !bytes.Equal(got, want) {
				c.fatalf("patient %s differs:\n dev0 %s\n dev%d %s", id, want, i, got)
			}
			hits, err := d.admin.SearchPatients(ctx, c.families[id], 10)
			if err != nil || len(hits) != 1 || hits[0] != p.Summary() {
				c.fatalf("dev%d search %q = %+v, %v; want only %+v", i, c.families[id], hits, err, p.Summary())
			}
		}
	}
	return shown
}

// checkListsSame: every workstation lists the same conflicts, in the same
// order, with the same values (what a reviewer sees must not depend on
// where they sit).
func (c *convergeRun) checkListsSame() {
	var want []byte
	for i, d := range c.devices {
		cs, err := d.admin.Conflicts(context.Background())
		if err != nil {
			c.fatalf("dev%d conflicts: %v", i, err)
		}
		got, _ := json.Marshal(cs)
		if i == 0 {
			want = got
		} else if !bytes.Equal(got, want) {
			c.fatalf("conflict lists differ:\n dev0 %s\n dev%d %s", want, i, got)
		}
	}
}

// checkConflicts recomputes, from the change log, each field's live writes
// (writes no later write of that field descends from, as sync/merge.go
// defines them) and checks every device shows the latest one and keeps
// every distinct live value in record_conflicts. Merge fields are
// top-level, so city and directions are both the "address" field.
func (c *convergeRun) checkConflicts(shownBy []map[chart.PatientID]chart.Patient) {
	for i, d := range c.devices {
		for _, id := range c.patients {
			vs := loadConvergeVersions(c, d.admin, id)
			shown := mergeView(c, shownBy[i][id])
			kept := keptConflicts(c, d.admin, id)
			for _, f := range []string{"phone", "preferredName", "address"} {
				live, winner := liveWrites(c, vs, f)
				if shown[f] != winner {
					c.fatalf("dev%d patient %s %s shows %s, want the latest live write %s", i, id, f, shown[f], winner)
				}
				k, ok := kept[f]
				if len(live) == 1 {
					if ok {
						c.fatalf("dev%d patient %s keeps a conflict on %s %v but it has one live value %s", i, id, f, k, winner)
					}
					continue
				}
				c.multiLive++
				for v := range live {
					if !slices.Contains(k, v) {
						c.fatalf("dev%d patient %s %s: live value %s is neither shown nor kept (kept %v, live %v)", i, id, f, v, k, live)
					}
				}
				if len(k) != len(live) {
					c.fatalf("dev%d patient %s %s: kept %v, live %v", i, id, f, k, live)
				}
			}
		}
	}
}

type convergeVersion struct {
	parents  []chart.ChangeID
	stamp    clock.Timestamp
	fields   map[string]json.RawMessage
	resolves []string
}

func loadConvergeVersions(c *convergeRun, s *Session, id chart.PatientID) map[chart.ChangeID]convergeVersion {
	rows, err := s.w.db.Query(`SELECT change_id, version, parents, hlc, sealed FROM changes WHERE record_id = ? AND kind = ?`,
		string(id), kindPatient)
	if err != nil {
		c.fatalf("versions of %s: %v", id, err)
	}
	defer rows.Close()
	out := map[chart.ChangeID]convergeVersion{}
	for rows.Next() {
		var cid chart.ChangeID
		var version int64
		var parents, stamp string
		var sealed []byte
		if err := rows.Scan(&cid, &version, &parents, &stamp, &sealed); err != nil {
			c.fatalf("versions of %s: %v", id, err)
		}
		var v convergeVersion
		pt, err := s.key.Open(sealed, recordAD(kindPatient, string(id), version, cid))
		if err == nil {
			err = errors.Join(json.Unmarshal(pt, &v.fields), json.Unmarshal([]byte(parents), &v.parents))
		}
		if err == nil {
			v.stamp, err = clock.ParseTimestamp(stamp)
		}
		if raw, ok := v.fields["$resolves"]; ok && err == nil {
			delete(v.fields, "$resolves")
			err = json.Unmarshal(raw, &v.resolves)
		}
		if err != nil {
			c.fatalf("version %s of %s: %v", cid, id, err)
		}
		out[cid] = v
	}
	if err := rows.Err(); err != nil {
		c.fatalf("versions of %s: %v", id, err)
	}
	return out
}

// liveWrites returns the distinct live values of field f and the one the
// merge must show (highest clock, then change id), computed from the
// definitions in sync/merge.go rather than by calling it: a version writes
// f when it is a root, names f in "$resolves", or its value differs from
// what its ancestors' live writes show; a write is live while no other
// write of f descends from it.
func liveWrites(c *convergeRun, vs map[chart.ChangeID]convergeVersion, f string) (map[string]bool, string) {
	o := &liveOracle{vs: vs, f: f, anc: map[chart.ChangeID]map[chart.ChangeID]bool{}, writes: map[chart.ChangeID]bool{}}
	all := map[chart.ChangeID]bool{}
	for cid := range vs {
		all[cid] = true
	}
	live, best := o.live(all)
	values := map[string]bool{}
	for _, w := range live {
		values[compactJSON(vs[w].fields[f])] = true
	}
	return values, compactJSON(vs[best].fields[f])
}

type liveOracle struct {
	vs     map[chart.ChangeID]convergeVersion
	f      string
	anc    map[chart.ChangeID]map[chart.ChangeID]bool // strict ancestors
	writes map[chart.ChangeID]bool
}

func (o *liveOracle) ancestors(cid chart.ChangeID) map[chart.ChangeID]bool {
	if a, ok := o.anc[cid]; ok {
		return a
	}
	a := map[chart.ChangeID]bool{}
	for _, p := range o.vs[cid].parents {
		a[p] = true
		for q := range o.ancestors(p) {
			a[q] = true
		}
	}
	o.anc[cid] = a
	return a
}

func (o *liveOracle) writesField(cid chart.ChangeID) bool {
	if w, ok := o.writes[cid]; ok {
		return w
	}
	v := o.vs[cid]
	w := len(v.parents) == 0 || slices.Contains(v.resolves, o.f)
	if !w {
		_, shown := o.live(o.ancestors(cid))
		w = compactJSON(v.fields[o.f]) != compactJSON(o.vs[shown].fields[o.f])
	}
	o.writes[cid] = w
	return w
}

// live returns the live writes of f among set and the latest of them.
func (o *liveOracle) live(set map[chart.ChangeID]bool) ([]chart.ChangeID, chart.ChangeID) {
	var writes []chart.ChangeID
	for cid := range set {
		if o.writesField(cid) {
			writes = append(writes, cid)
		}
	}
	var live []chart.ChangeID
	var best chart.ChangeID
	for _, w := range writes {
		if slices.ContainsFunc(writes, func(x chart.ChangeID) bool { return x != w && o.ancestors(x)[w] }) {
			continue
		}
		live = append(live, w)
		if cmp := o.vs[w].stamp.Compare(o.vs[best].stamp); best == "" || cmp > 0 || cmp == 0 && w > best {
			best = w
		}
	}
	return live, best
}

func compactJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "invalid:" + string(raw)
	}
	return b.String()
}

// mergeView is a shown patient as merge fields (top-level JSON, compact).
func mergeView(c *convergeRun, p chart.Patient) map[string]string {
	raw, _ := json.Marshal(p)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		c.fatalf("patient json: %v", err)
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = compactJSON(v)
	}
	return out
}

// keptConflicts opens the record's sealed conflicts: field -> every value
// kept (the winner and the others).
func keptConflicts(c *convergeRun, s *Session, id chart.PatientID) map[string][]string {
	var sealed []byte
	err := s.w.db.QueryRow(`SELECT sealed FROM record_conflicts WHERE record_id = ?`, string(id)).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	var conflicts []merge.Conflict
	if err == nil {
		var pt []byte
		if pt, err = s.key.Open(sealed, seal.AD(conflictsADLabel, kindPatient, string(id))); err == nil {
			err = json.Unmarshal(pt, &conflicts)
		}
	}
	if err != nil {
		c.fatalf("conflicts of %s: %v", id, err)
	}
	out := map[string][]string{}
	for _, cf := range conflicts {
		vals := []string{compactJSON(cf.Winner.Value)}
		for _, o := range cf.Others {
			vals = append(vals, compactJSON(o.Value))
		}
		out[cf.Field] = vals
	}
	return out
}
