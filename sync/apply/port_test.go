package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// fakeTx fakes the port (Tx), not SQLite: it keeps no chart, only the log
// of the calls the apply makes, and fails where a test says, so a test can
// pin the order of the apply's decisions. What the real port does (package
// sqlite's sync_port.go over the chart store) is tested by sqlite's suite.
type fakeTx struct {
	now      time.Time
	log      []string
	names    map[string]string // record id, change id or clock → a readable name
	tagFails map[string]bool   // changes whose tag does not verify
	refuse   map[string]bool   // changes whose hook refuses them
	bad      map[string]string // records that do not merge until their changes are held: why
	changes  map[string][]chart.ChangeID
}

func newFake(now time.Time) *fakeTx {
	return &fakeTx{now: now, names: map[string]string{}, tagFails: map[string]bool{}, refuse: map[string]bool{},
		bad: map[string]string{}, changes: map[string][]chart.ChangeID{}}
}

// id is a UUID for name, remembered for the log.
func (f *fakeTx) id(name string) string {
	id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)).String()
	f.names[id] = name
	return id
}

// change is a valid pulled change of record kind:name, the n-th of the page.
func (f *fakeTx) change(kind, name string, n int) wire.Change {
	hlc := clock.Timestamp{Wall: f.now.UnixMilli() - int64(n)}.String()
	f.names[hlc] = kind + ":" + name
	rec := f.id(kind + ":" + name)
	c := wire.Change{ChangeID: chart.ChangeID(f.id("change of " + kind + ":" + name)), RecordID: rec, Kind: kind,
		Version: 1, HLC: hlc, DeviceID: chart.DeviceID(f.id("device")), UserID: chart.UserID(f.id("user")),
		Sealed: []byte{1}, Auth: []byte{1}}
	f.changes[rec] = append(f.changes[rec], c.ChangeID)
	return c
}

func (f *fakeTx) record(kind, name string) Record {
	return Record{Kind: kind, ID: f.id(kind + ":" + name)}
}

func (f *fakeTx) logf(format string, args ...any) {
	f.log = append(f.log, fmt.Sprintf(format, args...))
}

func (f *fakeTx) name(r Record) string { return f.names[r.ID] }

func (f *fakeTx) list(batch []Record) string {
	var out []string
	for _, r := range batch {
		out = append(out, f.name(r))
	}
	return strings.Join(out, " ")
}

func (f *fakeTx) Now() time.Time { return f.now }

func (f *fakeTx) Savepoint(_ context.Context, name string, fn func() error) error {
	f.logf("savepoint %s", name)
	if err := fn(); err != nil {
		f.logf("rollback %s", name)
		return err
	}
	f.logf("release %s", name)
	return nil
}

func (f *fakeTx) VerifyTag(c *wire.Change) *Held {
	f.logf("verify %s", f.names[c.RecordID])
	if f.tagFails[c.RecordID] {
		return Hold(ReasonUnverified, "its tag does not match")
	}
	return nil
}

func (f *fakeTx) RefreshKeys(context.Context) error { f.logf("refresh keys"); return nil }

func (f *fakeTx) Observe(hlc string) { f.logf("observe %s", f.names[hlc]) }

func (f *fakeTx) InsertRemote(_ context.Context, cs []*wire.Change) ([]bool, error) {
	names := make([]string, len(cs))
	added := make([]bool, len(cs))
	for i, c := range cs {
		names[i], added[i] = f.names[c.RecordID], true
	}
	f.logf("insert %s", strings.Join(names, " "))
	return added, nil
}

func (f *fakeTx) Hold(_ context.Context, c *wire.Change, why *Held) error {
	f.logf("hold %s %s", f.names[c.RecordID], why.Reason)
	return nil
}

func (f *fakeTx) HoldStored(_ context.Context, ids []chart.ChangeID, why func(chart.ChangeID) *Held) error {
	for _, id := range ids {
		rec := strings.TrimPrefix(f.names[string(id)], "change of ")
		f.logf("hold stored %s %s", rec, why(id).Reason)
		delete(f.bad, f.id(rec))
	}
	return nil
}

func (f *fakeTx) RunHook(_ context.Context, c *wire.Change) error {
	f.logf("hook %s", f.names[c.RecordID])
	if f.refuse[c.RecordID] {
		return Hold(ReasonContent, "the hook refuses it")
	}
	return nil
}

func (f *fakeTx) RunHooks(_ context.Context, cs []*wire.Change) error {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = f.names[c.RecordID]
	}
	f.logf("hooks %s", strings.Join(names, " "))
	for _, c := range cs {
		if f.refuse[c.RecordID] {
			return Hold(ReasonContent, "the hook refuses it")
		}
	}
	return nil
}

func (f *fakeTx) SettleBases(_ context.Context, touched []Record) error {
	f.logf("settle %s", f.list(touched))
	return nil
}

func (f *fakeTx) RemoteChangesOf(_ context.Context, r Record) ([]chart.ChangeID, error) {
	f.logf("remote changes of %s", f.name(r))
	return f.changes[r.ID], nil
}

func (f *fakeTx) Preload(_ context.Context, batch []Record) (func(), error) {
	f.logf("preload %s", f.list(batch))
	return func() { f.logf("unload") }, nil
}

func (f *fakeTx) merged(r Record) (*chart.Patient, int, error) {
	if why, bad := f.bad[r.ID]; bad {
		if why == ReasonUnopened {
			return nil, 0, chart.Errorf(chart.EINTEGRITY, "does not open")
		}
		return nil, 0, MergeFailed(errors.New("cycle"))
	}
	if r.Kind == "patient" {
		return &chart.Patient{}, 1, nil
	}
	return nil, 1, nil
}

func (f *fakeTx) MergeOne(_ context.Context, r Record) (*chart.Patient, int, error) {
	f.logf("merge %s", f.name(r))
	return f.merged(r)
}

type fakePlan struct {
	f *fakeTx
	r Record
}

func (p fakePlan) Write(context.Context) (*chart.Patient, int, error) {
	p.f.logf("write %s", p.f.name(p.r))
	return p.f.merged(p.r)
}

func (f *fakeTx) Plan(_ context.Context, r Record) (Plan, error) {
	f.logf("plan %s", f.name(r))
	if _, _, err := f.merged(r); err != nil {
		return nil, err
	}
	return fakePlan{f, r}, nil
}

func (f *fakeTx) OpenAlone(_ context.Context, r Record, _ chart.ChangeID) (*Held, error) {
	f.logf("open alone %s", f.name(r))
	if f.bad[r.ID] == ReasonUnopened {
		return Hold(ReasonUnopened, "does not open"), nil
	}
	return nil, nil
}

func (f *fakeTx) Progress(done, total int) { f.logf("progress %d/%d", done, total) }

// fakeKinds: patient and note merge in bulk lanes; user, epoch and keybox
// under a savepoint; audit is hooked and not merged.
type fakeKinds struct{}

func (fakeKinds) Merged(kind string) bool {
	return kind == "patient" || kind == "note" || kind == "user" || kind == "epoch" || kind == "keybox"
}
func (fakeKinds) Hooked(kind string) bool { return kind == "audit" }
func (fakeKinds) Key(kind string) bool    { return kind == "epoch" || kind == "keybox" }
func (fakeKinds) Audit(kind string) bool  { return kind == "audit" }
func (fakeKinds) Lane(kind string) Lane {
	switch kind {
	case "patient":
		return LanePatients
	case "note":
		return LaneClinical
	}
	return LaneSavepoint
}
