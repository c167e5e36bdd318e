package main

import (
	crand "crypto/rand"
	"math/rand/v2"
	"time"

	"outpost/chart"
	"outpost/sync/clock"
	"outpost/sync/wire"
)

// visitKind is one kind of change a visit writes: how many per visit on
// average and its sealed size. The mix and sizes follow cmd/outpost-bench's
// data set (testdata/dataset-3.ndjson: per patient one person, 5
// encounters with their notes, 6 vitals, 4 medications, 2 allergies, 2
// immunizations; the sizes are its records compressed, plus what sealing
// adds).
type visitKind struct {
	kind     string
	perVisit float64 // expected changes of this kind per visit
	size     int     // mean sealed bytes (each change ±25%)
}

var clinicVisit = []visitKind{
	{"patient", 0.2, 420}, // a new or updated registration
	{"encounter", 1, 520}, // the visit itself
	{"note", 1.5, 1100},   // the visit note, saved as a draft then signed
	{"vitals", 1.2, 380},  // a set of vital signs
	{"medication", 0.8, 450},
	{"allergy", 0.4, 340},
	{"immunization", 0.4, 370},
}

// visit makes the changes one visit on one workstation writes, all for
// one patient, as its sync loop would push them in one batch.
func visit(dev chart.DeviceID, user chart.UserID, rng *rand.Rand) []wire.Change {
	patient := chart.NewPatientID()
	var out []wire.Change
	for _, k := range clinicVisit {
		n := int(k.perVisit)
		if rng.Float64() < k.perVisit-float64(n) {
			n++
		}
		for range n {
			size := k.size*3/4 + rng.IntN(k.size/2+1)
			sealed, auth := make([]byte, size), make([]byte, 32)
			crand.Read(sealed) // sealed bytes do not compress
			crand.Read(auth)
			out = append(out, wire.Change{ChangeID: chart.NewChangeID(), RecordID: string(chart.NewChangeID()), Kind: k.kind,
				PatientID: patient, Version: 1, Parents: []chart.ChangeID{}, DeviceID: dev, UserID: user,
				HLC: clock.Timestamp{Wall: time.Now().UnixMilli(), Logical: uint32(len(out))}.String(), Sealed: sealed, Auth: auth})
		}
	}
	return out
}
