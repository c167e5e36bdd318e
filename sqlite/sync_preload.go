package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"outpost/sync/apply"
)

// A pull or a join's first sign-in merges thousands of records; asking
// SQLite for each one's versions, head and conflicts costs more than the
// merge itself (modernc prepares every statement anew). preload reads
// them for a whole batch of records up front, a few queries per batch,
// and mergeKind takes them from there.

// preloadBatch is how many records one preload reads.
const preloadBatch = 500

// rawVersion is one row of the change log, not yet opened.
type rawVersion struct {
	cid, patient, parents, stamp, device, user string
	version                                    int64
	sealed                                     []byte
}

// currentRow is what setKindHead needs to know of a record's current row.
type currentRow struct {
	locked bool
	head   string
}

// preloaded holds, for the records of one mergeTouched call, their
// versions, current rows and whether they have kept conflicts.
type preloaded struct {
	ids       map[string]bool // the records preloaded
	versions  map[apply.Record][]rawVersion
	current   map[apply.Record]currentRow
	conflicts map[string]bool
	patients  map[string]plannedPatient    // the batch's patients planned (planPatients)
	kinds     map[apply.Record]plannedKind // the batch's clinical records planned (planKinds)
	mrn       *mrnOwners                   // who holds their MRNs' tags (loadMRNOwners)
	ahead     *aheadBatch                  // the batch as read and planned ahead, if it was
}

// preload reads the versions, current rows and conflict flags of the
// clinical and patient records in touched, at most preloadBatch of them
// (practice-wide kinds keep their own loaders).
func preload(ctx context.Context, t *tx, touched []apply.Record) (*preloaded, error) {
	p := &preloaded{ids: map[string]bool{}, versions: map[apply.Record][]rawVersion{}, current: map[apply.Record]currentRow{},
		conflicts: map[string]bool{}}
	var ids []string
	for _, r := range touched {
		if _, ok := kindMergers[r.Kind]; ok || r.Kind == kindPatient {
			ids = append(ids, r.ID)
			p.ids[r.ID] = true
		}
	}
	if len(ids) == 0 {
		return p, nil
	}
	batch, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("preload records: %w", err)
	}
	if ah := t.ahead.take(ids); ah != nil { // read (and planned) while the batch before wrote
		p.versions, p.ahead = ah.versions, ah
	} else if err := p.loadVersions(ctx, t, string(batch)); err != nil {
		return nil, fmt.Errorf("preload records: %w", err)
	}
	if err := p.loadRows(ctx, t, string(batch)); err != nil {
		return nil, fmt.Errorf("preload records: %w", err)
	}
	return p, nil
}

// loadVersions reads the change-log rows of the records ids (a JSON array).
func (p *preloaded) loadVersions(ctx context.Context, t *tx, ids string) error {
	rows, err := t.QueryContext(ctx, `SELECT record_id, kind, change_id, patient_id, version, `+mergeParents+`, hlc, device_id,
		user_id, `+changeSealed("changes")+` FROM changes WHERE record_id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r apply.Record
		var v rawVersion
		if err := rows.Scan(&r.ID, &r.Kind, &v.cid, &v.patient, &v.version, &v.parents, &v.stamp, &v.device, &v.user,
			&v.sealed); err != nil {
			rows.Close()
			return err
		}
		p.versions[r] = append(p.versions[r], v)
	}
	rows.Close()
	return rows.Err()
}

// loadRows reads the current rows and kept conflicts of the records ids.
func (p *preloaded) loadRows(ctx context.Context, t *tx, ids string) error {
	rows, err := t.QueryContext(ctx, `SELECT id, kind, locked, head_change_id FROM records
		WHERE id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r apply.Record
		var c currentRow
		if err := rows.Scan(&r.ID, &r.Kind, &c.locked, &c.head); err != nil {
			rows.Close()
			return err
		}
		p.current[r] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.QueryContext(ctx, `SELECT record_id FROM record_conflicts WHERE record_id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		p.conflicts[id] = true
	}
	return rows.Err()
}
