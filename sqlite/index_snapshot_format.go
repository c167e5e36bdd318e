package sqlite

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"outpost/chart"
)

// The plaintext of one chunk of the index snapshot: snapshotMagic, then
// the number of entries (uvarint), then each entry: its record's id,
// head change and version, then what decodeIndexed reads of the patient
// (the strings of indexedStrings, updatedAt as time.Time's text, a flags
// byte for inactive and deceased, identifiers and merged as JSON, empty
// when nil). A binary layout, not JSON: reading it back must cost far less
// than opening the records, or the snapshot would not pay.
//
// A new layout takes a new magic; a chunk whose magic is unknown is
// ignored like a damaged one (every record is opened instead).
const snapshotMagic = "outpost/index-snapshot/v1\x00"

var errSnapshotFormat = errors.New("snapshot: unknown format or truncated")

const (
	flagInactive = 1 << iota
	flagDeceased
)

// encodeSnapshotChunk lays out entries as above.
func encodeSnapshotChunk(entries []snapEntry) ([]byte, error) {
	b := make([]byte, 0, 64+len(entries)*160)
	b = append(b, snapshotMagic...)
	b = binary.AppendUvarint(b, uint64(len(entries)))
	for i := range entries {
		var err error
		if b, err = appendEntry(b, &entries[i]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func appendEntry(b []byte, e *snapEntry) ([]byte, error) {
	p := &e.patient
	updated, err := p.UpdatedAt.MarshalText()
	if err != nil {
		return nil, fmt.Errorf("index snapshot: updatedAt: %w", err)
	}
	identifiers, err := jsonUnlessNil(p.Identifiers == nil, p.Identifiers)
	if err != nil {
		return nil, err
	}
	merged, err := jsonUnlessNil(p.Merged == nil, p.Merged)
	if err != nil {
		return nil, err
	}
	for _, s := range []string{string(p.ID), string(e.head), strconv.FormatInt(e.version, 10), p.MRN, p.GivenName,
		p.FamilyName, p.PreferredName, p.BirthDate, string(p.Sex), p.Phone, string(updated)} {
		b = appendString(b, s)
	}
	var flags byte
	if p.Inactive {
		flags |= flagInactive
	}
	if p.Deceased {
		flags |= flagDeceased
	}
	b = append(b, flags)
	b = appendString(b, string(identifiers))
	return appendString(b, string(merged)), nil
}

func jsonUnlessNil(isNil bool, v any) ([]byte, error) {
	if isNil {
		return nil, nil
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("index snapshot: %w", err)
	}
	return out, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeSnapshotChunk reads what encodeSnapshotChunk wrote. The strings it
// returns share one copy of pt (no allocation per field).
func decodeSnapshotChunk(pt []byte) ([]snapEntry, error) {
	r, err := newSnapReader(pt, snapshotMagic)
	if err != nil {
		return nil, err
	}
	out := make([]snapEntry, r.count())
	for i := range out {
		if err := r.entry(&out[i]); err != nil {
			return nil, err
		}
	}
	if r.bad || r.i != len(r.s) {
		return nil, errSnapshotFormat
	}
	return out, nil
}

// snapReader reads a snapshot's layout from s at i; bad records any
// overrun. The index and the summary snapshots share it.
type snapReader struct {
	s   string
	i   int
	bad bool
}

// newSnapReader reads pt after its magic (one copy: the strings it returns
// share it, no allocation per field).
func newSnapReader(pt []byte, magic string) (*snapReader, error) {
	if len(pt) < len(magic) || string(pt[:len(magic)]) != magic {
		return nil, errSnapshotFormat
	}
	return &snapReader{s: string(pt[len(magic):])}, nil
}

// count reads a number of entries: 0 and bad when it cannot be, since
// every entry takes more than a byte.
func (r *snapReader) count() int {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.i) {
		r.bad = true
		return 0
	}
	return int(n)
}

func (r *snapReader) uvarint() uint64 {
	var v uint64
	for shift := 0; r.i < len(r.s) && shift < 64; shift += 7 {
		c := r.s[r.i]
		r.i++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.bad = true
	return 0
}

func (r *snapReader) str() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.s)-r.i) {
		r.bad = true
		return ""
	}
	v := r.s[r.i : r.i+int(n)]
	r.i += int(n)
	return v
}

func (r *snapReader) byte() byte {
	if r.i >= len(r.s) {
		r.bad = true
		return 0
	}
	r.i++
	return r.s[r.i-1]
}

func (r *snapReader) entry(e *snapEntry) error {
	p := &e.patient
	p.ID, e.head = chart.PatientID(r.str()), chart.ChangeID(r.str())
	version, err := strconv.ParseInt(r.str(), 10, 64)
	if err != nil {
		return errSnapshotFormat
	}
	e.version = version
	p.MRN, p.GivenName, p.FamilyName, p.PreferredName = r.str(), r.str(), r.str(), r.str()
	p.BirthDate, p.Sex, p.Phone = r.str(), chart.Sex(r.str()), r.str()
	if err := p.UpdatedAt.UnmarshalText([]byte(r.str())); err != nil {
		return errSnapshotFormat
	}
	flags := r.byte()
	p.Inactive, p.Deceased = flags&flagInactive != 0, flags&flagDeceased != 0
	if err := jsonInto(r.str(), &p.Identifiers); err != nil {
		return err
	}
	if err := jsonInto(r.str(), &p.Merged); err != nil {
		return err
	}
	if r.bad {
		return errSnapshotFormat
	}
	return nil
}

// jsonInto decodes s into v, leaving v as it is when s is empty (nil).
func jsonInto(s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return errSnapshotFormat
	}
	return nil
}
