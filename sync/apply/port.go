package apply

import (
	"context"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// Tx is one write transaction of the workstation's chart store, as the
// apply sees it: everything that needs SQL or the practice key is behind
// it (package sqlite implements it in sync_port.go). The apply decides the
// order and what to hold back; the store does the writing.
type Tx interface {
	// Now is the transaction's clock, for the screen's plausibility check.
	Now() time.Time
	// Savepoint runs fn under a savepoint named name: if fn fails,
	// everything it wrote is undone and the transaction goes on.
	Savepoint(ctx context.Context, name string, fn func() error) error
	// VerifyTag checks c's tag with the session's key; non-nil says why
	// it is held back.
	VerifyTag(c *wire.Change) *Held
	// RefreshKeys takes the keys the epochs and keyboxes just stored bring.
	RefreshKeys(ctx context.Context) error
	// Observe moves the workstation's clock past a remote change's.
	Observe(hlc string)
	// InsertRemote appends screened changes to the change log as
	// acknowledged; added[i] is false when the store held cs[i] already
	// (or cs holds it earlier).
	InsertRemote(ctx context.Context, cs []*wire.Change) (added []bool, err error)
	// Hold keeps c, never stored, in the quarantine with why.
	Hold(ctx context.Context, c *wire.Change, why *Held) error
	// HoldStored moves changes already in the change log to the quarantine.
	HoldStored(ctx context.Context, ids []chart.ChangeID, why func(chart.ChangeID) *Held) error
	// RunHook runs the remote hook of c's kind (one Kinds.Hooked names);
	// an error AsHeld accepts refuses the change.
	RunHook(ctx context.Context, c *wire.Change) error
	// RunHooks runs the remote hooks of cs (kinds Hooked names) in order,
	// straight in the transaction, as RunHook each would: the store may
	// take several of one kind in one go (a day's pull brings hundreds of
	// audit batches). An error AsHeld accepts says one of them refused its
	// change, not which: the caller runs them again each under its own
	// savepoint (RunHook).
	RunHooks(ctx context.Context, cs []*wire.Change) error
	// SettleBases records the bases of the records a page touched.
	SettleBases(ctx context.Context, touched []Record) error
	// RemoteChangesOf lists the changes of r written on other workstations.
	RemoteChangesOf(ctx context.Context, r Record) ([]chart.ChangeID, error)
	// Preload reads a batch's versions up front for the merges that
	// follow, until release is called.
	Preload(ctx context.Context, batch []Record) (release func(), err error)
	// MergeOne re-merges r from the change log; p is the patient when a
	// patient record's current version changed.
	MergeOne(ctx context.Context, r Record) (p *chart.Patient, conflicts int, err error)
	// Plan opens and merges r (a kind of a bulk Lane) writing nothing; a
	// nil Plan says no version of r can merge yet.
	Plan(ctx context.Context, r Record) (Plan, error)
	// OpenAlone opens change id of r on its own, as its merge would: a
	// non-nil Held says why it does not open.
	OpenAlone(ctx context.Context, r Record, id chart.ChangeID) (*Held, error)
	// Progress hears how many records a long merge has done of total.
	Progress(done, total int)
}

// Plan is a record merged and not yet written.
type Plan interface {
	// Write writes the merged record; p is the patient for a patient.
	Write(ctx context.Context) (p *chart.Patient, conflicts int, err error)
}

// Kinds is what this build does with each kind of record: the chart
// store's registries.
type Kinds interface {
	// Merged: pulled changes of the kind merge into a current record.
	Merged(kind string) bool
	// Hooked: the kind has a remote hook that stores what it carries.
	Hooked(kind string) bool
	// Key: the kind brings practice keys (epochs, keyboxes), stored first.
	Key(kind string) bool
	// Audit: an audit entry, not counted as a chart change.
	Audit(kind string) bool
	// Lane is the path a merged kind takes in a batch.
	Lane(kind string) Lane
}

// Lane is how the records of a kind merge in a batch.
type Lane int

const (
	// LaneSavepoint: one savepoint over the batch (practice-wide records).
	LaneSavepoint Lane = iota
	// LanePatients: planned in bulk, written without a savepoint.
	LanePatients
	// LaneClinical: planned in bulk, written without a savepoint.
	LaneClinical
	lanes
)

// Takes reports whether this build does something with kind: merges it
// or stores what it carries. A kind it does not take is held back.
func Takes(k Kinds, kind string) bool { return k.Hooked(kind) || k.Merged(kind) }

// Options are the chart store's knobs for a merge.
type Options struct {
	// Bulk turns the savepoint-free lanes on (tests turn it off to
	// compare the charts the two paths write).
	Bulk bool
	// Batch is how many records one preload reads.
	Batch int
}
