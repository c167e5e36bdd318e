package wire

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"math"
	"outpost/sync/clock"
	"strings"
	"testing"

	"outpost/chart"
)

// The per-endpoint limits hold the largest request a correct workstation
// can send, so tightening them refused no honest body.
func TestPushLimitCoversTheLargestPush(t *testing.T) {
	parents := make([]chart.ChangeID, MaxParents)
	for i := range parents {
		parents[i] = chart.NewChangeID()
	}
	changes := make([]Change, MaxChangesPerPush)
	per := MaxPushSealed / MaxChangesPerPush
	for i := range changes {
		c := validChange()
		c.ChangeID, c.Kind, c.Parents, c.Version = chart.NewChangeID(), strings.Repeat("k", MaxKindLen), parents, math.MaxInt64
		c.HLC = clock.Timestamp{Wall: clock.MaxWall, Logical: math.MaxUint32}.String()
		c.Sealed = make([]byte, per)
		rand.Read(c.Sealed)
		c.Auth = make([]byte, MaxAuthLen)
		rand.Read(c.Auth)
		changes[i] = c
	}
	changes[0].Sealed = append(changes[0].Sealed, make([]byte, MaxPushSealed-per*MaxChangesPerPush)...)
	push := PushRequest{Changes: changes}
	if err := push.Validate(); err != nil {
		t.Fatalf("the largest push is not valid: %v", err)
	}
	assertFits(t, "push", &push, DefaultEndpointLimits.Push)
	push.Changes[1].Sealed = append(push.Changes[1].Sealed, 0)
	if err := push.Validate(); err == nil {
		t.Fatal("a push over MaxPushSealed was accepted")
	}
}

func TestPullAndEnrolLimitsCoverTheLargestRequests(t *testing.T) {
	patients := make([]chart.PatientID, MaxPullPatients)
	for i := range patients {
		patients[i] = chart.NewPatientID()
	}
	pull := PullRequest{After: math.MaxInt64, Limit: MaxPullLimit, Patients: patients, IncludeOwn: true}
	assertFits(t, "pull", &pull, DefaultEndpointLimits.Pull)
	enrol := EnrollRequest{Code: strings.Repeat("<", 100), DeviceID: testDevice, DeviceName: strings.Repeat("<", MaxDeviceNameLen),
		PublicKey: make([]byte, 32), PracticeID: testPractice}
	if err := enrol.Validate(); err != nil {
		t.Fatal(err)
	}
	assertFits(t, "enrol", &enrol, DefaultEndpointLimits.Enroll)
}

func assertFits(t *testing.T, what string, v any, lim Limits) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	if err := Encode(&body, v); err != nil {
		t.Fatal(err)
	}
	t.Logf("largest %s: %d bytes, %d compressed (limit %d)", what, len(raw), body.Len(), lim.Uncompressed)
	if int64(len(raw))+1 > lim.Uncompressed || int64(body.Len()) > lim.Compressed {
		t.Fatalf("the largest %s (%d bytes, %d compressed) is over its limits %+v", what, len(raw), body.Len(), lim)
	}
	declared, err := DeclaredSize(body.Bytes())
	if err != nil || declared != int64(len(raw))+1 { // Encode adds a newline
		t.Fatalf("declared size %d (%v), want %d", declared, err, len(raw)+1)
	}
}
