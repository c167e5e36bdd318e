package seal

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"
)

// inflateWithDict is what Open does with a markDeflateDict1 stream, by
// compress/flate's reader: the outside judge of smallDeflater's output.
func inflateWithDict(t testing.TB, stream []byte) []byte {
	t.Helper()
	got, err := io.ReadAll(flate.NewReaderDict(bytes.NewReader(stream), dict1))
	if err != nil {
		t.Fatalf("compress/flate cannot read the stream: %v", err)
	}
	return got
}

// smallCorpus is plaintexts of the shapes records take, and some they
// never do (random bytes, long runs, the dictionary itself).
func smallCorpus(t testing.TB) [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, smallMax)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	corpus := [][]byte{
		sampleRecord, dict1, dict1[:100], random, random[:97], []byte(strings.Repeat("a", smallMax)),
		make([]byte, 1000), []byte(strings.Repeat("ab", 300) + strings.Repeat("x", 259) + "y"),
		append(append([]byte{}, sampleRecord...), random[:5000]...),
	}
	for _, rec := range syntheaRecords(t) {
		corpus = append(corpus, rec)
	}
	return corpus
}

// syntheaRecords cuts a shared Synthea Bundle into pieces of record sizes
// (100 bytes to smallMax); none without the fixtures.
func syntheaRecords(t testing.TB) [][]byte {
	doc := syntheaJSONOrNil(t, 1<<20)
	var recs [][]byte
	for i, size := 0, 100; i+size <= len(doc) && len(recs) < 400; i, size = i+size, 100+(size*7)%(smallMax-100) {
		recs = append(recs, doc[i:i+size])
	}
	return recs
}

func TestSmallDeflateRoundTripsThroughCompressFlate(t *testing.T) {
	for i, pt := range smallCorpus(t) {
		if got := inflateWithDict(t, deflateSmall(nil, pt)); !bytes.Equal(got, pt) {
			t.Fatalf("plaintext %d (%d bytes) came back as %d different bytes", i, len(pt), len(got))
		}
	}
}

// A block is written with the fixed codes (BTYPE=01) when they are no
// larger than the plaintext's own dynamic codes with their header: the
// output is never larger than the dynamic-only encoder's, and the inputs
// where the fixed codes are shorter do take them.
func TestSmallDeflateTakesTheFixedCodesWhenNoLarger(t *testing.T) {
	blockType := func(stream []byte) byte { return stream[0] >> 1 & 3 }
	fixed := 0
	for i, pt := range smallCorpus(t) {
		out, dynamic := deflateSmall(nil, pt), deflateSmallCodes(nil, pt, false)
		if blockType(dynamic) != 2 {
			t.Fatalf("plaintext %d: the dynamic-only encoder wrote block type %d", i, blockType(dynamic))
		}
		if len(out) > len(dynamic) {
			t.Fatalf("plaintext %d (%d bytes) deflated to %d bytes, %d with dynamic codes alone", i, len(pt), len(out), len(dynamic))
		}
		if blockType(out) == 1 {
			fixed++
			if got := inflateWithDict(t, out); !bytes.Equal(got, pt) {
				t.Fatalf("plaintext %d's fixed block came back different", i)
			}
		}
	}
	if fixed == 0 {
		t.Fatal("no plaintext took the fixed codes, not even 97 random bytes")
	}
}

// The smaller encoder must keep what compression saves on disk and on
// the wire: within 3% of compress/flate's default level on record-sized
// JSON.
func TestSmallDeflateKeepsTheSavings(t *testing.T) {
	recs := syntheaRecords(t)
	if len(recs) == 0 {
		t.Skip("no shared Synthea fixtures")
	}
	var plain, ours, theirs int
	for _, pt := range recs {
		plain += len(pt)
		ours += len(deflateSmall(nil, pt))
		theirs += len(deflated(t, pt, dict1))
	}
	t.Logf("%d records, %d bytes: ours %d (%.1f%%), compress/flate %d (%.1f%%)", len(recs), plain,
		ours, 100*float64(ours)/float64(plain), theirs, 100*float64(theirs)/float64(plain))
	if float64(ours) > 1.03*float64(theirs) {
		t.Fatalf("deflateSmall gives %d bytes where compress/flate gives %d", ours, theirs)
	}
}

// A record is deflated by smallDeflater, not by compress/flate's writer,
// whose Reset cost more than compressing the record.
func TestSealDeflatesRecordsWithTheSmallEncoder(t *testing.T) {
	body, _ := pack(sampleRecord)
	want := deflateSmall(binary.AppendUvarint([]byte{markDeflateDict1}, uint64(len(sampleRecord))), sampleRecord)
	if !bytes.Equal(body, want) {
		t.Fatalf("a %d-byte record packed to %d bytes that are not smallDeflater's %d", len(sampleRecord), len(body), len(want))
	}
}

// A stream the small encoder got wrong is caught by reading it back before
// sealing, and the record goes through compress/flate instead: an encoder
// defect costs speed, never the record.
func TestSealFallsBackWhenTheSmallStreamDoesNotReadBack(t *testing.T) {
	defer func(e func(dst, plaintext []byte) []byte) { smallEncoder = e }(smallEncoder)
	smallEncoder = func(dst, plaintext []byte) []byte {
		out := deflateSmall(dst, plaintext)
		out[len(out)-3] ^= 0x40 // a wrong stream that still looks like one
		return out
	}
	body, fresh := pack(sampleRecord)
	if !fresh || body[0] != markDeflateDict1 {
		t.Fatalf("packed as marker %#x, want a deflated record", body[0])
	}
	got, err := unpack(body)
	if err != nil || !bytes.Equal(got, sampleRecord) {
		t.Fatalf("the record did not survive a faulty small encoder: %v", err)
	}
}

func FuzzSmallDeflate(f *testing.F) {
	f.Add(sampleRecord)
	f.Add([]byte(strings.Repeat("abc", 100)))
	f.Add(dict1[:500])
	f.Fuzz(func(t *testing.T, pt []byte) {
		if len(pt) > smallMax {
			pt = pt[:smallMax]
		}
		if got := inflateWithDict(t, deflateSmall(nil, pt)); !bytes.Equal(got, pt) {
			t.Fatalf("%d bytes came back as %d different bytes", len(pt), len(got))
		}
	})
}

func BenchmarkDeflateSmallRecord(b *testing.B) {
	for _, enc := range []struct {
		name string
		f    func([]byte) []byte
	}{
		{"ours", func(pt []byte) []byte { return deflateSmall(nil, pt) }},
		{"compress-flate", func(pt []byte) []byte {
			var buf bytes.Buffer
			w := writers.get()
			w.Reset(&buf)
			w.Write(pt)
			w.Close()
			writers.put(w)
			return buf.Bytes()
		}},
	} {
		for _, corpus := range []struct {
			name string
			recs [][]byte
		}{{"record-450B", [][]byte{sampleRecord}}, {"synthea-100B-16KB", syntheaRecords(b)}} {
			benchDeflate(b, enc.name+"/"+corpus.name, corpus.recs, enc.f)
		}
	}
}

func benchDeflate(b *testing.B, name string, recs [][]byte, f func([]byte) []byte) {
	b.Run(name, func(b *testing.B) {
		n := 0
		for _, r := range recs {
			n += len(r)
		}
		b.SetBytes(int64(n))
		cpu0 := processCPU(b)
		for b.Loop() {
			for _, r := range recs {
				f(r)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(recs)), "µs/record")
		// CPU time is the steadier figure on a shared machine.
		b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N*len(recs)), "cpu-µs/record")
	})
}

// processCPU is the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
