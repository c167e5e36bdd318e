package seal

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"runtime"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// sealBody seals body as Seal would after packing, so that tests can
// present any marker and stream.
func sealBody(t *testing.T, k *Key, body, ad []byte) []byte {
	t.Helper()
	aead, err := chacha20poly1305.NewX(k.b[:])
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	return aead.Seal(nonce, nonce, body, ad)
}

func deflated(t *testing.T, pt, dict []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriterDict(&buf, flate.BestCompression, dict)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(pt)
	w.Close()
	return buf.Bytes()
}

var sampleRecord = []byte(`{"id":"01a243c0-22b4-714f-9068-21aa81fa3144","mrn":"224256644","givenName":"Wiremu","familyName":"Smith","preferredName":"","birthDate":"1985-12-22","sex":"unknown","genderIdentity":"","phone":"+64 27 951 0043","address":{"line1":"258 Station Road","line2":"","city":"Ruatoria","region":"","postalCode":"","country":"NZ","directions":""},"emergencyContact":{"name":"","relationship":"","phone":""},"createdAt":"2026-12-05T01:09:55.145046207Z"}`)

// Blobs sealed while compression had no dictionary (marker 0x00) still open.
func TestOpenReadsDeflateWithoutDictionary(t *testing.T) {
	k := mustKey(t)
	blob := sealBody(t, k, append([]byte{markDeflate}, deflated(t, sampleRecord, nil)...), []byte("ad"))
	got, err := k.Open(blob, []byte("ad"))
	if err != nil || !bytes.Equal(got, sampleRecord) {
		t.Fatalf("opened %q, %v", got, err)
	}
}

func TestSealCompressesRecordsAgainstTheDictionary(t *testing.T) {
	k := mustKey(t)
	s := k.Seal(sampleRecord, nil)
	plain := len(deflated(t, sampleRecord, nil))
	if got := len(s) - Overhead; got >= plain {
		t.Fatalf("sealed body is %d bytes; deflate without the dictionary gives %d", got, plain)
	}
	if raw := append([]byte{markDeflateDict1}, "x"...); !bytes.Equal(mustOpen(t, k, k.Seal(raw, nil)), raw) {
		t.Fatal("a plaintext starting with the dictionary marker did not round-trip")
	}
}

func mustOpen(t *testing.T, k *Key, blob []byte) []byte {
	t.Helper()
	pt, err := k.Open(blob, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

// A stated length that disagrees with the stream, or exceeds MaxOpened, is
// refused as an integrity failure.
func TestOpenRefusesWrongStatedLengths(t *testing.T) {
	k := mustKey(t)
	stream := deflated(t, sampleRecord, dict1)
	body := func(n uint64) []byte {
		b := binary.AppendUvarint([]byte{markDeflateDict1}, n)
		return append(b, stream...)
	}
	if got := mustOpen(t, k, sealBody(t, k, body(uint64(len(sampleRecord))), nil)); !bytes.Equal(got, sampleRecord) {
		t.Fatal("the right length did not open")
	}
	for name, b := range map[string][]byte{
		"shorter":        body(uint64(len(sampleRecord) - 1)),
		"longer":         body(uint64(len(sampleRecord) + 1)),
		"over MaxOpened": body(MaxOpened + 1),
		"no length":      {markDeflateDict1},
	} {
		if _, err := k.Open(sealBody(t, k, b, nil), nil); !errors.Is(err, ErrIntegrity) {
			t.Errorf("%s: open = %v, want ErrIntegrity", name, err)
		}
	}
}

// The dictionary is part of the format: changing a byte would make every
// blob sealed with it unreadable.
func TestDictionaryIsFrozen(t *testing.T) {
	const want = "6501713f57c1792412cc1fc72094a1ce262dcdc4764e81d41eb51d38e37c21ca"
	sum := sha256.Sum256(dict1)
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("records-v1.dict has sha256 %s, want %s: add a new dictionary under a new marker instead", got, want)
	}
}

// Issue #14: opening a record built a fresh inflater and its 32 KB window
// each time, which was most of the cost of opening 50,000 patients.
func TestOpenReusesInflaters(t *testing.T) {
	k := mustKey(t)
	blobs := [][]byte{
		k.Seal(sampleRecord, nil),
		sealBody(t, k, append([]byte{markDeflate}, deflated(t, sampleRecord, nil)...), nil),
	}
	for i, blob := range blobs {
		mustOpen(t, k, blob) // warm the pool
		const n = 200
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range n {
			mustOpen(t, k, blob)
		}
		runtime.ReadMemStats(&after)
		if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 8<<10 {
			t.Fatalf("blob %d: opening a %d-byte record allocates %d bytes", i, len(sampleRecord), per)
		}
	}
}

// A garbage collection empties a sync.Pool: an audited chart read, which
// makes plenty of garbage, rebuilt a deflate writer (about a megabyte)
// most times it sealed its audit entry. The writers survive collections.
func TestSealKeepsItsWritersAcrossCollections(t *testing.T) {
	k := mustKey(t)
	k.Seal(sampleRecord, nil) // warm
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	k.Seal(sampleRecord, nil)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Fatalf("sealing a %d-byte record after two collections allocated %d KiB", len(sampleRecord), n>>10)
	}
}

// A plaintext past bulkAbove (an imported source document) deflates at
// the faster level and still opens to the same bytes.
func TestSealBulkPlaintextRoundTrips(t *testing.T) {
	k := mustKey(t)
	var big []byte
	for i := 0; len(big) <= 2*bulkAbove; i++ {
		big = append(big, sampleRecord...)
		big = append(big, byte('a'+i%26))
	}
	blob := k.Seal(big, []byte("ad"))
	if len(blob) >= len(big)/2 {
		t.Fatalf("a %d-byte plaintext sealed to %d bytes: not compressed", len(big), len(blob))
	}
	got, err := k.Open(blob, []byte("ad"))
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("opened %d bytes, %v", len(got), err)
	}
}
