package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/client"
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
