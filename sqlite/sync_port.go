package sqlite

import (
	"context"
	"time"

	"outpost/chart"
	"outpost/sync/apply"
	"outpost/sync/wire"
)

// The port between the apply's decisions (package sync/apply: the order
// of a page, batches, bulk or savepoint, what to hold back) and this
// store, which does every read and write over its own tables and keys.
// Each method calls what the store already has; none decides anything.

// applyTx is one write transaction of a session, as sync/apply sees it.
type applyTx struct {
	s *Session
	t *tx
}

var _ apply.Tx = applyTx{}

// port is the session's transaction t as sync/apply's Tx.
func (s *Session) port(t *tx) applyTx { return applyTx{s: s, t: t} }

func (a applyTx) Now() time.Time { return a.t.now }

func (a applyTx) Savepoint(ctx context.Context, name string, fn func() error) error {
	return savepoint(ctx, a.t, name, fn)
}

func (a applyTx) VerifyTag(c *wire.Change) *apply.Held { return a.s.verifyTag(c) }

func (a applyTx) RefreshKeys(ctx context.Context) error { return a.s.refreshRing(ctx, a.t) }

func (a applyTx) Observe(hlc string) { a.s.observe(hlc) }

func (a applyTx) InsertRemote(ctx context.Context, cs []*wire.Change) ([]bool, error) {
	return insertRemoteChanges(ctx, a.t, cs, false)
}

func (a applyTx) Hold(ctx context.Context, c *wire.Change, why *apply.Held) error {
	return quarantine(ctx, a.t, c, why)
}

func (a applyTx) HoldStored(ctx context.Context, ids []chart.ChangeID, why func(chart.ChangeID) *apply.Held) error {
	return quarantineStored(ctx, a.t, ids, why)
}

func (a applyTx) RunHook(ctx context.Context, c *wire.Change) error {
	return remoteHooks[c.Kind](a.s, ctx, a.t, c)
}

func (a applyTx) RunHooks(ctx context.Context, cs []*wire.Change) error {
	return a.s.runRemoteHooks(ctx, a.t, cs)
}

func (a applyTx) SettleBases(ctx context.Context, touched []apply.Record) error {
	return settleBases(ctx, a.t, touched)
}

func (a applyTx) RemoteChangesOf(ctx context.Context, r apply.Record) ([]chart.ChangeID, error) {
	return remoteChangesOf(ctx, a.t, a.s.deviceID, r)
}

func (a applyTx) Preload(ctx context.Context, batch []apply.Record) (func(), error) {
	pre, err := preload(ctx, a.t, batch)
	if err != nil {
		return nil, err
	}
	if err := a.s.planPatients(ctx, a.t, pre, batch); err != nil {
		return nil, err
	}
	a.s.planKinds(pre, batch)
	a.t.pre = pre
	return func() { a.t.pre = nil }, nil
}

func (a applyTx) MergeOne(ctx context.Context, r apply.Record) (*chart.Patient, int, error) {
	return a.s.mergeOne(ctx, a.t, r)
}

// Plan plans a record of a bulk lane: a patient (sync_merge_patient_bulk.go)
// or a clinical record (sync_apply_bulk.go).
func (a applyTx) Plan(ctx context.Context, r apply.Record) (apply.Plan, error) {
	if r.Kind == kindPatient {
		h, ready, err := a.s.planPatient(ctx, a.t, r.ID)
		if err != nil || !ready {
			return nil, err
		}
		return patientPlan{a, h}, nil
	}
	h, err := a.s.planKind(ctx, a.t, r.Kind, r.ID, kindMergers[r.Kind])
	if err != nil || !h.ready {
		return nil, err
	}
	return kindPlan{a, h}, nil
}

func (a applyTx) OpenAlone(ctx context.Context, r apply.Record, id chart.ChangeID) (*apply.Held, error) {
	return a.s.openAlone(ctx, a.t, r, id)
}

func (a applyTx) Progress(done, total int) {
	if a.t.progress != nil {
		a.t.progress(done, total)
	}
}

// applyKinds is what this build does with each kind, read from the
// store's registries: kindMergers, practiceMergers, remoteHooks.
type applyKinds struct{}

var _ apply.Kinds = applyKinds{}

func (applyKinds) Merged(kind string) bool { return mergesKind(kind) }

func (applyKinds) Hooked(kind string) bool {
	_, ok := remoteHooks[kind]
	return ok
}

func (applyKinds) Key(kind string) bool { return kind == kindEpoch || kind == kindKeybox }

func (applyKinds) Audit(kind string) bool { return isAuditKind(kind) }

func (applyKinds) Lane(kind string) apply.Lane {
	if kind == kindPatient {
		return apply.LanePatients
	}
	if _, ok := kindMergers[kind]; ok {
		return apply.LaneClinical
	}
	return apply.LaneSavepoint
}

// applyOptions are the store's merge knobs, read at each call (tests
// change bulkMerge and preloadBatch).
func applyOptions() apply.Options { return apply.Options{Bulk: bulkMerge, Batch: preloadBatch} }

// mergeTouched re-merges the touched records (apply.MergeTouched), every
// change of each from another workstation a candidate to hold back.
// Patients are read and planned a batch ahead (sync_merge_patient_ahead.go).
func (s *Session) mergeTouched(ctx context.Context, t *tx, touched []apply.Record) error {
	return s.mergeTouchedWith(ctx, t, touched, applyOptions())
}

func (s *Session) mergeTouchedWith(ctx context.Context, t *tx, touched []apply.Record, o apply.Options) error {
	t.ahead = &mergeAhead{touched: touched, batch: max(o.Batch, 1)}
	defer func() { t.ahead.stop(); t.ahead = nil }()
	_, err := apply.MergeTouched(ctx, s.port(t), applyKinds{}, o, touched, nil)
	return err
}

// runHook is apply.RunHook in t.
func (s *Session) runHook(ctx context.Context, t *tx, c *wire.Change) (held bool, err error) {
	return apply.RunHook(ctx, s.port(t), applyKinds{}, c)
}

// mergeOrHold is apply.MergeOrHold in t.
func (s *Session) mergeOrHold(ctx context.Context, t *tx, r apply.Record, fresh []chart.ChangeID, known bool) (
	*chart.Patient, int, int, error) {
	return apply.MergeOrHold(ctx, s.port(t), r, fresh, known)
}
