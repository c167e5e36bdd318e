package wire

import (
	"crypto/sha256"
	"strconv"
	"strings"
)

// authLabel versions the layout of AuthParts.
const authLabel = "outpost/change-auth/v1"

// AuthParts are what a change's Auth tag is computed over (length-prefixed
// by the sealer, seal.AD): every field that drives merging (record, kind,
// version, parents, clock), routing (patient) and attribution (device,
// user), and a hash of the sealed content.
func (c *Change) AuthParts() []string {
	sum := sha256.Sum256(c.Sealed)
	parents := make([]string, len(c.Parents))
	for i, p := range c.Parents {
		parents[i] = string(p)
	}
	return []string{authLabel, string(c.ChangeID), c.RecordID, c.Kind, string(c.PatientID),
		strconv.FormatInt(c.Version, 10), strings.Join(parents, ","), c.HLC, string(c.DeviceID),
		string(c.UserID), string(sum[:])}
}
