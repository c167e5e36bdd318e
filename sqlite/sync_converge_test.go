package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/seal"
	"outpost/sync/client"
	"outpost/sync/clock"
	"outpost/sync/merge"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// TestSyncConverges is a property test over the real pieces: 3-5
// workstations, the practice server over TLS, the transport and SyncOnce. Random
// registrations, edits (often of one field on two workstations at once) and
// syncs, some cut after the server did its part, some repeated, must end,
// once everyone has synced (the server killed now and then: before,
// between or after a sync's requests), with every workstation showing the same
// patients, every live concurrent write shown or kept as a conflict, and
// the same conflict list on every workstation. Random resolutions settle
// conflicts along the way. The workstations speak sync protocol v1 or v2
// at random, and some start on v1 and are upgraded to v2 mid-run (as a
// practice upgrading one workstation at a time): the property holds
// across the mix, with the same faults.
// It runs 20 seeds (fast enough under -race); OUTPOST_SEEDS=n runs n (CI
// runs hundreds without -race), OUTPOST_LONG=1 runs 3000, OUTPOST_SEED=n
// runs only seed n.
func TestSyncConverges(t *testing.T) {
	n, first := 20, uint64(1)
	if s := os.Getenv("OUTPOST_SEEDS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("OUTPOST_SEEDS=%q: want a positive number of seeds", s)
		}
		n = v
	}
	if os.Getenv("OUTPOST_LONG") != "" {
		n = 3000
	}
	if s := os.Getenv("OUTPOST_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("OUTPOST_SEED: %v", err)
		}
		n, first = 1, seed
	}
	inMemoryTempDirs(t)
	for seed := first; seed < first+uint64(n); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel() // seeds share nothing
			c := newConvergeRun(t, seed)
			c.play()
			c.quiesce()
			c.checkServer()
			c.checkConflicts(c.checkSame())
			c.checkListsSame()
			c.checkKeys()
			c.checkProtocols()
			t.Logf("%d devices, %d patients, %d changes pushed again, %d fields with concurrent live writes checked, %d key epochs, syncs by protocol %v, %d server kills",
				len(c.devices), len(c.patients), c.resent(), c.multiLive, c.rotations, c.syncsBy, c.kills)
		})
	}
}

// inMemoryTempDirs puts the seeds' workstations and servers (t.TempDir)
// on tmpfs when the machine has one. The property is about merging, not
// durability, and with synchronous=FULL on disk every seed waited on
// hundreds of fsyncs: 100 seeds took 45 s on disk, 11 s on tmpfs (2 cores).
// Setenv is safe here: the parent test is not parallel, and no other test
// runs while its parallel subtests do.
func inMemoryTempDirs(t *testing.T) {
	const shm = "/dev/shm"
	if os.Getenv("OUTPOST_CONVERGE_ON_DISK") != "" {
		return
	}
	if fi, err := os.Stat(shm); err != nil || !fi.IsDir() {
		return
	}
	dir, err := os.MkdirTemp(shm, "outpost-converge-")
	if err != nil {
		return // not writable: stay on disk
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Setenv("TMPDIR", dir)
}

var (
	errCut  = errors.New("test: connection cut after the server answered")
	errDown = errors.New("test: the practice server is down (killed)")
)

// cutTransport delivers a request to the server and, when armed, loses the
// reply: the server did its part, the workstation does not know it.
type cutTransport struct {
	real             client.Transport
	cutPush, cutPull bool
	// aliveFor, when not negative, is how many more requests reach the
	// server before it is killed: what it committed stays, later
	// requests never arrive, until the next sync step restarts it.
	aliveFor int
	pushed   map[chart.ChangeID]bool
	resent   int // changes pushed again after a lost reply
}

// reach reports whether the server is up for one more request.
func (c *cutTransport) reach() bool {
	if c.aliveFor == 0 {
		return false
	}
	if c.aliveFor > 0 {
		c.aliveFor--
	}
	return true
}

func (c *cutTransport) Push(ctx context.Context, changes []wire.Change) ([]wire.Ack, error) {
	if !c.reach() {
		return nil, errDown
	}
	acks, err := c.real.Push(ctx, changes)
	for _, ch := range changes {
		if c.pushed[ch.ChangeID] {
			c.resent++
		}
		c.pushed[ch.ChangeID] = c.pushed[ch.ChangeID] || err == nil
	}
	if err == nil && c.cutPush {
		c.cutPush = false
		return nil, errCut
	}
	return acks, err
}

func (c *cutTransport) Pull(ctx context.Context, after int64, limit int, patients []chart.PatientID) (wire.PullResponse, error) {
	if !c.reach() {
		return wire.PullResponse{}, errDown
	}
	page, err := c.real.Pull(ctx, after, limit, patients)
	if err == nil && c.cutPull {
		c.cutPull = false
		return wire.PullResponse{}, errCut
	}
	return page, err
}

type convergeDevice struct {
	*fixture
	net *cutTransport
	// client is the device's HTTP client: its Protocol is the version
	// the device speaks (0: v2; wire.ProtocolV1: a build before v2).
	client *transport.Client
	// upgradeAt is the step of play at which a device speaking v1 is
	// upgraded to v2 (-1: never).
	upgradeAt int
}

// Protocol mixes of a device: v1 throughout, v2 throughout, or v1 then
// upgraded to v2 mid-run.
const (
	speaksV1 = iota
	speaksV2
	upgradesToV2
)

type convergeRun struct {
	t        *testing.T
	seed     uint64
	rng      *rand.Rand
	server   *practiceServer
	devices  []convergeDevice
	patients []chart.PatientID
	families map[chart.PatientID]string
	log      []string // the schedule, shown on failure
	// multiLive counts checked fields with several live values, to show
	// the schedules do make conflicts.
	multiLive int
	rotations int // key epochs started
	// syncsBy counts SyncOnce calls by the protocol version spoken.
	syncsBy map[int]int
	// faults draws server kills, apart from rng so that a seed's
	// schedule is the same as before kills were added.
	faults *rand.Rand
	kills  int
}

func newConvergeRun(t *testing.T, seed uint64) *convergeRun {
	c := &convergeRun{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 0x07905)), server: newPracticeServer(t),
		families: map[chart.PatientID]string{}, syncsBy: map[int]int{}, faults: rand.New(rand.NewPCG(seed, 0xdead))}
	// The protocols have their own stream, so a seed's schedule is the
	// same as before protocols were mixed.
	protocols := rand.New(rand.NewPCG(seed, 0x7702))
	first := newFixture(t)
	for i := range 3 + c.rng.IntN(3) {
		f := first
		if i > 0 {
			f = joinPractice(t, first)
		}
		hc := c.server.enroll(t, f.admin)
		d := convergeDevice{fixture: f, net: &cutTransport{real: hc, pushed: map[chart.ChangeID]bool{}, aliveFor: -1}, client: hc, upgradeAt: -1}
		switch protocols.IntN(3) {
		case speaksV1:
			hc.Protocol = wire.ProtocolV1
		case upgradesToV2:
			hc.Protocol, d.upgradeAt = wire.ProtocolV1, protocols.IntN(20)
		}
		c.devices = append(c.devices, d)
	}
	return c
}

// upgrade moves the devices due at step to protocol v2.
func (c *convergeRun) upgrade(step int) {
	for i, d := range c.devices {
		if d.upgradeAt == step {
			d.client.Protocol = 0
			c.log = append(c.log, fmt.Sprintf("dev%d upgraded to protocol %d", i, d.client.SpeaksProtocol()))
		}
	}
}

// checkProtocols: every device ended speaking the protocol it was given
// (the server speaks both, so nobody fell back).
func (c *convergeRun) checkProtocols() {
	for i, d := range c.devices {
		want := wire.ProtocolV2
		if d.client.Protocol == wire.ProtocolV1 {
			want = wire.ProtocolV1
		}
		if got := d.client.SpeaksProtocol(); got != want {
			c.fatalf("dev%d speaks protocol %d, want %d", i, got, want)
		}
	}
}

func (c *convergeRun) resent() int {
	n := 0
	for _, d := range c.devices {
		n += d.net.resent
	}
	return n
}

func (c *convergeRun) fatalf(format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf("seed %d: %s\nreproduce: OUTPOST_SEED=%d go test -race -run TestSyncConverges ./sqlite\nschedule:\n  %s",
		c.seed, fmt.Sprintf(format, args...), c.seed, strings.Join(c.log, "\n  "))
}

// play runs the random schedule.
func (c *convergeRun) play() {
	for step := range 20 + c.rng.IntN(20) {
		c.upgrade(step)
		d := c.rng.IntN(len(c.devices))
		switch r := c.rng.IntN(100); {
		case r < 15 || len(c.patients) == 0:
			c.register(d)
		case r < 35:
			c.concurrentEdit(d)
		case r < 55:
			c.edit(d, c.pick(), c.field())
		case r < 63:
			c.resolve(d)
		case r < 66:
			c.rotate(d)
		default:
			c.syncStep(d)
		}
	}
}

var convergeFields = []string{"phone", "preferredName", "city", "directions"}

func (c *convergeRun) pick() chart.PatientID { return c.patients[c.rng.IntN(len(c.patients))] }
func (c *convergeRun) field() string         { return convergeFields[c.rng.IntN(len(convergeFields))] }

func (c *convergeRun) register(d int) {
	n := len(c.patients)
	family := "Quill" + string(rune('a'+n%26)) + string(rune('a'+n/26))
	p := register(c.t, c.devices[d].admin, samplePatient("Wilhelmina", family))
	c.patients = append(c.patients, p.ID)
	c.families[p.ID] = family
	c.log = append(c.log, fmt.Sprintf("dev%d registers %s (%s)", d, p.ID, family))
}

// concurrentEdit edits one field of one patient on two workstations before
// either syncs: the case the merge exists for.
func (c *convergeRun) concurrentEdit(d int) {
	id, f, e := c.pick(), c.field(), c.rng.IntN(len(c.devices))
	c.edit(d, id, f)
	if e != d {
		c.edit(e, id, f)
	}
}

// edit sets field f of patient id on device d to a fresh value, if d holds
// the patient yet.
func (c *convergeRun) edit(d int, id chart.PatientID, f string) {
	s := c.devices[d].admin
	p, err := s.OpenPatient(context.Background(), id)
	var ce *chart.Error
	if errors.As(err, &ce) && ce.Code == chart.ENOTFOUND {
		return
	}
	if err != nil {
		c.fatalf("dev%d open %s: %v", d, id, err)
	}
	v := c.rng.IntN(1_000_000)
	switch f {
	case "phone":
		p.Phone = fmt.Sprintf("+1 555 %04d %02d", v/100, v%100)
	case "preferredName":
		p.PreferredName = fmt.Sprintf("Mina %c%c", 'A'+v%26, 'a'+v/26%26)
	case "city":
		p.Address.City = fmt.Sprintf("Town %d", v)
	case "directions":
		p.Address.Directions = fmt.Sprintf("Turn left %d m after the cattle grid", v)
	}
	if _, err := s.UpdatePatient(context.Background(), p); err != nil {
		c.fatalf("dev%d edit %s of %s: %v", d, f, id, err)
	}
	c.log = append(c.log, fmt.Sprintf("dev%d sets %s of %s (v%d)", d, f, id, p.Version+1))
}

// resolve settles one of device d's conflicts, if it lists any, with a
// random choice: keep the shown value, take another, or a merged value.
func (c *convergeRun) resolve(d int) {
	s := c.devices[d].admin
	cs, err := s.Conflicts(context.Background())
	if err != nil {
		c.fatalf("dev%d conflicts: %v", d, err)
	}
	if len(cs) == 0 {
		return
	}
	cf := cs[c.rng.IntN(len(cs))]
	r := chart.Resolution{RecordID: cf.RecordID, Kind: cf.Kind, Field: cf.Field}
	switch n := c.rng.IntN(3); n {
	case 0:
		r.Choice = chart.ResolveKeepShown
	case 1:
		r.Choice, r.OtherIndex = chart.ResolveTakeOther, c.rng.IntN(len(cf.Others))
	default:
		r.Choice, r.Value = chart.ResolveMerged, c.mergedValue(cf)
	}
	if err := s.ResolveConflict(context.Background(), r); err != nil {
		c.fatalf("dev%d resolve %+v: %v", d, r, err)
	}
	c.log = append(c.log, fmt.Sprintf("dev%d resolves %s of %s: %s %d %s", d, r.Field, r.RecordID, r.Choice, r.OtherIndex, r.Value))
}

// mergedValue is a fresh value for a conflicting field, as a reviewer
// would write it (for the address, the shown one with a new city).
func (c *convergeRun) mergedValue(cf chart.RecordConflict) json.RawMessage {
	v := c.rng.IntN(1_000_000)
	var out any
	switch cf.Field {
	case "phone":
		out = fmt.Sprintf("+1 555 %04d %02d", v/100, v%100)
	case "preferredName":
		out = fmt.Sprintf("Mina %c%c merged", 'A'+v%26, 'a'+v/26%26)
	case "address":
		var a map[string]any
		if err := json.Unmarshal(cf.Shown.Value, &a); err != nil {
			c.fatalf("shown address %s: %v", cf.Shown.Value, err)
		}
		a["city"] = fmt.Sprintf("Merged %d", v)
		out = a
	default:
		c.fatalf("conflict on unexpected field %s", cf.Field)
	}
	raw, err := json.Marshal(out)
	if err != nil {
		c.fatalf("merged value: %v", err)
	}
	return raw
}

// rotate starts a new practice key on device d, concurrently with any
// other device's rotation since the last sync.
func (c *convergeRun) rotate(d int) {
	st, err := c.devices[d].admin.RotatePracticeKey(context.Background(), "convergence test")
	if err != nil {
		c.fatalf("dev%d rotate: %v", d, err)
	}
	c.rotations++
	c.log = append(c.log, fmt.Sprintf("dev%d starts key %s", d, st.Current))
}

// checkKeys: every device seals under the same key epoch, and holds every
// epoch any device started.
func (c *convergeRun) checkKeys() {
	var want chart.KeyStatus
	for i, d := range c.devices {
		st, err := d.admin.KeyStatus(context.Background())
		if err != nil {
			c.fatalf("dev%d key status: %v", i, err)
		}
		if i == 0 {
			want = st
		} else if st.Current != want.Current || st.Epochs != want.Epochs {
			c.fatalf("dev%d key status %+v, dev0 %+v", i, st, want)
		}
	}
	if want.Epochs != c.rotations+1 {
		c.fatalf("devices hold %d keys after %d rotations", want.Epochs, c.rotations)
	}
}

// syncStep syncs device d: sometimes with a reply lost, sometimes twice.
func (c *convergeRun) syncStep(d int) {
	dev := c.devices[d]
	dev.net.cutPush = c.rng.IntN(100) < 15
	dev.net.cutPull = c.rng.IntN(100) < 10
	if c.faults.IntN(100) < 10 { // killed before, between or after this sync's requests
		dev.net.aliveFor = c.faults.IntN(3)
		c.kills++
		c.log = append(c.log, fmt.Sprintf("server killed after %d more requests of dev%d", dev.net.aliveFor, d))
	}
	for range 1 + c.rng.IntN(100)/85 { // twice in a row 15% of the time
		c.syncsBy[dev.client.SpeaksProtocol()]++
		r, err := client.SyncOnce(context.Background(), dev.admin, dev.net)
		if err != nil && !errors.Is(err, errCut) && !errors.Is(err, errDown) {
			c.fatalf("dev%d sync: %v", d, err)
		}
		c.log = append(c.log, fmt.Sprintf("dev%d syncs: %+v err=%v", d, r, err))
	}
	dev.net.cutPush, dev.net.cutPull, dev.net.aliveFor = false, false, -1 // restarted
}

// quiesce syncs every device until two whole rounds move nothing.
func (c *convergeRun) quiesce() {
	for round, quiet := 0, 0; quiet < 2; round++ {
		if round == 10 {
			c.fatalf("still moving changes after %d rounds of syncing everyone", round)
		}
		quiet++
		for i, d := range c.devices {
			c.syncsBy[d.client.SpeaksProtocol()]++
			r, err := client.SyncOnce(context.Background(), d.admin, d.net)
			if err != nil {
				c.fatalf("final sync of dev%d: %v", i, err)
			}
			if r.Sent > 0 || r.Received > 0 {
				quiet = 0
			}
		}
	}
}

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
		if got := countSynced(c.t, d.w); int64(got) != n {
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
