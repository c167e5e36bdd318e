package sqlite

import (
	"context"
	"fmt"
)

// A pulled patient takes its MRN's uniqueness tag unless another patient
// here holds it (remoteMRNTag). That was one query per patient as it was
// written (at 2,000 patients, the first sign-in's 2,000 statements, ~8% of
// its CPU). A preloaded batch now reads the owners of all its patients'
// tags in one query (loadMRNOwners) and keeps them up to date as the batch
// writes its rows (noteMRNOwner), so each patient sees what it saw before:
// the rows written before it in the batch included.

// mrnOwners is the owner (record id, "" for none) of each MRN tag a
// preloaded batch's patients carry, kept as the batch writes them.
type mrnOwners struct {
	owner map[string]string // tag -> record id holding it ("" none)
	held  map[string]string // record id -> the tag of owner it holds
}

// loadMRNOwners reads who holds the tags of the batch's planned patients.
func loadMRNOwners(ctx context.Context, t *tx, p *preloaded) error {
	m := mrnOwners{owner: map[string]string{}, held: map[string]string{}}
	var tags [][]byte
	for _, pl := range p.patients {
		if pl.tag != nil {
			if _, ok := m.owner[string(pl.tag)]; !ok {
				m.owner[string(pl.tag)] = ""
				tags = append(tags, pl.tag)
			}
		}
	}
	if len(tags) > 0 {
		in, args := inList(tags)
		rows, err := t.QueryContext(ctx, `SELECT mrn_tag, id FROM records WHERE mrn_tag IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("check MRNs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var tag []byte
			var id string
			if err := rows.Scan(&tag, &id); err != nil {
				return fmt.Errorf("check MRNs: %w", err)
			}
			m.owner[string(tag)], m.held[id] = id, string(tag)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("check MRNs: %w", err)
		}
	}
	p.mrn = &m
	return nil
}

// lookup returns the holder of tag and true when the batch tracks it.
func (m *mrnOwners) lookup(tag []byte) (string, bool) {
	if m == nil {
		return "", false
	}
	id, ok := m.owner[string(tag)]
	return id, ok
}

// note records that record id was just written holding tag (nil: none),
// letting go of the tag it held before.
func (m *mrnOwners) note(id string, tag []byte) {
	if m == nil {
		return
	}
	if old, ok := m.held[id]; ok {
		m.owner[old] = ""
		delete(m.held, id)
	}
	if _, tracked := m.owner[string(tag)]; tracked && tag != nil {
		m.owner[string(tag)], m.held[id] = id, string(tag)
	}
}
