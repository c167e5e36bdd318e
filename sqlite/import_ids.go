package sqlite

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	gosync "sync"

	"outpost/chart"
)

// importIDLabel derives the subkey of imported records' ids.
const importIDLabel = "outpost/import-id/v1"

// ImportIDs gives the stable record id of an imported resource: an HMAC of
// its source key under a subkey of the practice key, shaped as a UUID.
// Every workstation of the practice derives the same id from the same
// source, so a second import (here or elsewhere) finds what the first
// wrote, while the practice server, without the key, cannot tell which
// outside resource a record came from. A locked session gives "" for
// every key (the import itself is then refused).
func (s *Session) ImportIDs() func(sourceKey string) chart.RecordID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key == nil {
		return func(string) chart.RecordID { return "" }
	}
	sub := s.key.Derive(importIDLabel)
	// One keyed HMAC, reset for each id: hmac.New hashes the key's pads
	// again every time, half the work of an id (every imported resource
	// has one). A mutex, as the mapper and the store may both ask.
	var mu gosync.Mutex
	m := hmac.New(sha256.New, sub)
	return func(sourceKey string) chart.RecordID {
		mu.Lock()
		defer mu.Unlock()
		m.Reset()
		return idOf(m, sourceKey)
	}
}

// importID is the UUID (version 8: custom) made of the first 16 bytes of
// HMAC-SHA256(sub, sourceKey).
func importID(sub []byte, sourceKey string) chart.RecordID {
	return idOf(hmac.New(sha256.New, sub), sourceKey)
}

// idOf is importID with the keyed HMAC m, fresh or reset.
func idOf(m hash.Hash, sourceKey string) chart.RecordID {
	m.Write([]byte(sourceKey))
	var u [16]byte
	copy(u[:], m.Sum(make([]byte, 0, sha256.Size)))
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return chart.RecordID(b[:])
}

// importedPatientID is the id a new patient gets from an import: the
// importer's stable id when it gave one, else one derived from the
// patient's source, else a fresh one.
func (s *Session) importedPatientID(p *chart.Patient) chart.PatientID {
	switch {
	case chart.ValidID(string(p.ID)):
		return p.ID
	case p.Origin != nil && p.Origin.ID != "":
		return chart.PatientID(importID(s.key.Derive(importIDLabel), "patient|"+p.Origin.System+"|"+p.Origin.Type+"/"+p.Origin.ID))
	}
	return chart.NewPatientID()
}
