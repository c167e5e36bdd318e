package apply

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"outpost/chart"
	"outpost/sync/wire"
)

// Result is what a page's apply, or a merge, did.
type Result struct {
	Applied   int // new chart changes (audit entries and changes held back not counted)
	Audits    int // new audit entries
	Held      int // changes held back
	Conflicts int // field conflicts the touched records now hold
	// Merged are the patients whose current version changed (for the index).
	Merged []chart.Patient
}

func (r *Result) add(o Result) {
	r.Conflicts, r.Held = r.Conflicts+o.Conflicts, r.Held+o.Held
	r.Merged = append(r.Merged, o.Merged...)
}

// Page applies one page of pulled changes in t: it screens each change
// and holds back those that fail, stores the rest (the page's epochs and
// keyboxes first, their tags checked once the keys they bring are taken),
// runs each kind's hook, settles the touched records' bases, and merges
// the touched records (MergeTouched). Changes the store held already are
// skipped, so applying a page twice is harmless.
func Page(ctx context.Context, t Tx, k Kinds, o Options, changes []wire.Change) (Result, error) {
	st, err := store(ctx, t, k, changes)
	if err != nil {
		return Result{}, err
	}
	if err := t.SettleBases(ctx, st.touched); err != nil {
		return Result{}, err
	}
	res, err := MergeTouched(ctx, t, k, o, st.touched, st.fresh)
	if err != nil {
		return Result{}, err
	}
	res.Applied, res.Audits = st.added-st.audits-res.Held, st.audits
	res.Held += st.held
	return res, nil
}

// stored is what store took in of a page.
type stored struct {
	touched []Record                    // records to merge, sorted by kind then id
	fresh   map[Record][]chart.ChangeID // the new changes of each
	added   int                         // new changes stored
	audits  int                         // of which audit entries
	held    int                         // changes held back
}

// screen is how a change is checked before it is stored.
type screen func(c *wire.Change, now time.Time) *Held

// store screens each change of the page, appends the new ones that pass
// to the change log, runs their kind's hook, and returns the records they
// touch that this workstation merges.
func store(ctx context.Context, t Tx, k Kinds, changes []wire.Change) (stored, error) {
	st := stored{fresh: map[Record][]chart.ChangeID{}}
	takes := func(kind string) bool { return Takes(k, kind) }
	wireOnly := func(c *wire.Change, now time.Time) *Held { return ScreenWire(c, now, takes) }
	full := func(c *wire.Change, now time.Time) *Held {
		if h := wireOnly(c, now); h != nil {
			return h
		}
		return t.VerifyTag(c)
	}
	keysFirst, rest := SplitKeyRecords(changes, k)
	if err := storeKeyRecords(ctx, t, k, keysFirst, &st, wireOnly); err != nil {
		return st, err
	}
	if _, err := storeAll(ctx, t, k, rest, &st, full); err != nil {
		return st, err
	}
	st.touched = slices.SortedFunc(maps.Keys(st.fresh), func(a, b Record) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return st, nil
}

// SplitKeyRecords puts the page's epochs and keyboxes first: the rest of
// the page may be tagged under a key they bring.
func SplitKeyRecords(changes []wire.Change, k Kinds) (keys, rest []*wire.Change) {
	for i := range changes {
		if c := &changes[i]; k.Key(c.Kind) {
			keys = append(keys, c)
		} else {
			rest = append(rest, c)
		}
	}
	return keys, rest
}

// storeKeyRecords stores the page's epochs and keyboxes, lets the store
// take the keys they bring, and only then checks their tags (a keybox is
// tagged under the very key it brings): one whose tag fails is held back
// like any other change.
func storeKeyRecords(ctx context.Context, t Tx, k Kinds, changes []*wire.Change, st *stored, wireOnly screen) error {
	if len(changes) == 0 {
		return nil
	}
	added, err := storeAll(ctx, t, k, changes, st, wireOnly)
	if err != nil {
		return err
	}
	if err := t.RefreshKeys(ctx); err != nil {
		return err
	}
	for _, c := range added {
		why := t.VerifyTag(c)
		if why == nil {
			continue
		}
		if err := t.HoldStored(ctx, []chart.ChangeID{c.ChangeID}, func(chart.ChangeID) *Held { return why }); err != nil {
			return err
		}
		r := Record{Kind: c.Kind, ID: c.RecordID}
		st.fresh[r] = slices.DeleteFunc(st.fresh[r], func(id chart.ChangeID) bool { return id == c.ChangeID })
		if len(st.fresh[r]) == 0 {
			delete(st.fresh, r)
		}
		st.added, st.held = st.added-1, st.held+1
	}
	return nil
}

// storeAll screens pulled changes, holds back those that fail, appends
// the rest to the change log in one call (the store writes them a batch
// of rows per statement), then runs the hooks of those it added, in page
// order. It returns the changes added and not refused by their hook.
func storeAll(ctx context.Context, t Tx, k Kinds, cs []*wire.Change, st *stored, screen screen) ([]*wire.Change, error) {
	taken := make([]*wire.Change, 0, len(cs))
	for _, c := range cs {
		if why := screen(c, t.Now()); why != nil {
			if err := t.Hold(ctx, c, why); err != nil {
				return nil, err
			}
			st.held++
			continue
		}
		taken = append(taken, c)
	}
	if len(taken) == 0 {
		return nil, nil
	}
	// This device's own changes come back only when it asks (includeOwn,
	// after a restore from a backup): those it holds are skipped by
	// InsertRemote, those it wrote after the backup are taken back.
	added, err := t.InsertRemote(ctx, taken)
	if err != nil {
		return nil, err
	}
	fresh := make([]*wire.Change, 0, len(taken))
	for i, c := range taken {
		if added[i] {
			fresh = append(fresh, c)
		}
	}
	held, err := runHooks(ctx, t, k, fresh)
	if err != nil {
		return nil, err
	}
	out := make([]*wire.Change, 0, len(fresh))
	for i, c := range fresh {
		if held[i] {
			st.held++
			continue
		}
		st.added++
		if k.Audit(c.Kind) {
			st.audits++
		}
		t.Observe(c.HLC)
		if k.Merged(c.Kind) {
			r := Record{Kind: c.Kind, ID: c.RecordID}
			st.fresh[r] = append(st.fresh[r], c.ChangeID)
		}
		out = append(out, c)
	}
	return out, nil
}

// runHooks runs the hooks of cs, the changes a page added, in page order,
// straight under one savepoint "hooks", in one call (Tx.RunHooks: the
// store writes a page's audit batches together): a savepoint for each (766
// audit batches in a day's pull) made SQLite copy every page each hook
// touched into that savepoint's journal again. When a hook refuses its change, the
// savepoint is rolled back and every hook runs again under its own
// (RunHook), so the refused change alone is held back, as before. held[i]
// is whether cs[i] was held back.
func runHooks(ctx context.Context, t Tx, k Kinds, cs []*wire.Change) (held []bool, err error) {
	held = make([]bool, len(cs))
	if !slices.ContainsFunc(cs, func(c *wire.Change) bool { return k.Hooked(c.Kind) }) {
		return held, nil
	}
	err = t.Savepoint(ctx, "hooks", func() error { return HooksBehind(ctx, t, k, cs, false) })
	if err != errIsolate { //nolint:errorlint // joined with a failed rollback, it must stop the page
		return held, err
	}
	for i, c := range cs {
		if held[i], err = RunHook(ctx, t, k, c); err != nil {
			return nil, err
		}
	}
	return held, nil
}

// RunHook runs c's kind's remote hook, if it has one, under the savepoint
// "hook": a change the hook refuses is held back (held) and the page goes
// on; any other failure stops it.
func RunHook(ctx context.Context, t Tx, k Kinds, c *wire.Change) (held bool, err error) {
	if !k.Hooked(c.Kind) {
		return false, nil
	}
	err = t.Savepoint(ctx, "hook", func() error { return t.RunHook(ctx, c) })
	why, isHeld := AsHeld(err)
	if err == nil || !isHeld {
		if err != nil {
			return false, fmt.Errorf("store change %s: %w", c.ChangeID, err)
		}
		return false, nil
	}
	return true, t.HoldStored(ctx, []chart.ChangeID{c.ChangeID}, func(chart.ChangeID) *Held { return why })
}
