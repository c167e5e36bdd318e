package seal

import (
	"math/bits"
	"slices"
)

// The block writer of smallDeflater: one final block, with dynamic
// Huffman codes or the fixed ones, whichever is shorter (RFC 1951 3.2).

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [numDist]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [numDist]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// codeLengthOrder is the order the code length code's lengths are sent in.
	codeLengthOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	// lengthCode maps a match length-3 to its length code (symbol-257).
	lengthCode = func() (t [256]uint8) {
		for c := range 28 {
			for l := int(lengthBase[c]); l < int(lengthBase[c])+1<<lengthExtra[c] && l < 258; l++ {
				t[l-3] = uint8(c)
			}
		}
		t[258-3] = 28
		return t
	}()
	fixedLit, fixedDist = fixedCodes()
)

// distCode is the distance code of a distance-1.
func distCode(d int) int {
	if d < 4 {
		return d
	}
	n := bits.Len32(uint32(d)) - 1
	return 2*n + int(d>>(n-1))&1
}

// huffCode is a code's lengths and its codes, bit-reversed for writing.
type huffCode struct {
	lens  []uint8
	codes []uint16
}

func fixedCodes() (lit, dist huffCode) {
	lit = newHuffCode(288)
	for s := range lit.lens {
		switch {
		case s < 144:
			lit.lens[s] = 8
		case s < 256:
			lit.lens[s] = 9
		case s < 280:
			lit.lens[s] = 7
		default:
			lit.lens[s] = 8
		}
	}
	dist = newHuffCode(numDist)
	for s := range dist.lens {
		dist.lens[s] = 5
	}
	lit.canonical()
	dist.canonical()
	return lit, dist
}

// canonical assigns the canonical codes of the lengths (RFC 1951 3.2.2).
func (h huffCode) canonical() {
	var count, next [16]int
	for _, l := range h.lens {
		count[l]++
	}
	count[0] = 0
	code := 0
	for b := 1; b < 16; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	for s, l := range h.lens {
		if l > 0 {
			h.codes[s] = bits.Reverse16(uint16(next[l])) >> (16 - l)
			next[l]++
		}
	}
}

// buildLengths sets h.lens to a length-limited Huffman code for freq:
// optimal code depths by the two-queue method, the deepest pushed up to
// maxBits as JPEG's Annex K.3 does (the code stays complete), then the
// shortest lengths given to the most frequent symbols. At least two
// symbols must have counts.
func (h huffCode) buildLengths(freq []int32, maxBits int, sc *huffScratch) {
	clear(h.lens)
	// Sorted by count, then symbol: one key each, no comparison function.
	keys := sc.keys[:0]
	for s, f := range freq {
		if f > 0 {
			keys = append(keys, uint64(f)<<16|uint64(s))
		}
	}
	slices.Sort(keys)
	syms := sc.syms[:len(keys)]
	for i, k := range keys {
		syms[i] = int(k & 0xffff)
	}
	n := len(syms)
	weight, parent, depth := sc.weight[:2*n-1], sc.parent[:2*n-1], sc.depth[:2*n-1]
	count := sc.count[:n+1]
	clear(count)
	depth[2*n-2] = 0
	for i, s := range syms {
		weight[i] = int64(freq[s])
	}
	leaf, node := 0, n
	pick := func(built int) int {
		if leaf < n && (node >= built || weight[leaf] <= weight[node]) {
			leaf++
			return leaf - 1
		}
		node++
		return node - 1
	}
	for k := n; k < 2*n-1; k++ {
		a, b := pick(k), pick(k)
		weight[k] = weight[a] + weight[b]
		parent[a], parent[b] = k, k
	}
	for k := 2*n - 3; k >= 0; k-- {
		depth[k] = depth[parent[k]] + 1
		if k < n {
			count[depth[k]]++
		}
	}
	for i := n; i > maxBits; i-- {
		for count[i] > 0 {
			j := i - 2
			for count[j] == 0 {
				j--
			}
			count[i] -= 2
			count[i-1]++
			count[j+1] += 2
			count[j]--
		}
	}
	k := n - 1
	for l := 1; l <= min(maxBits, n); l++ {
		for range count[l] {
			h.lens[syms[k]] = uint8(l)
			k--
		}
	}
}

// huffScratch is buildLengths' working space, kept for reuse.
type huffScratch struct {
	keys                 []uint64
	syms                 []int
	weight               []int64
	parent, depth, count []int
}

func newHuffScratch() *huffScratch {
	const most = numLitLen
	return &huffScratch{keys: make([]uint64, 0, most), syms: make([]int, most), weight: make([]int64, 2*most), parent: make([]int, 2*most),
		depth: make([]int, 2*most), count: make([]int, most+1)}
}

func newHuffCode(n int) huffCode { return huffCode{lens: make([]uint8, n), codes: make([]uint16, n)} }

// atLeastTwo gives two symbols a count when fewer have one, so that every
// code built is complete (a code of one symbol is degenerate).
func atLeastTwo(freq []int32) {
	used := 0
	for _, f := range freq {
		if f > 0 {
			used++
		}
	}
	for s := 0; used < 2; s++ {
		if freq[s] == 0 {
			freq[s] = 1
			used++
		}
	}
}

// writeBlock writes d.tokens and the end of block as the stream's one
// and final block: with the fixed codes when fixedToo and they are no
// larger than the dynamic ones (header included), else with dynamic codes.
// Only tiny or degenerate plaintexts take the fixed codes: on the fixture
// import's 56,855 records they were larger every time, by 30 bits at the
// least and 25% at the median (docs/benchmarks.md, huff26).
func (d *smallDeflater) writeBlock(fixedToo bool) {
	fixedBits := d.symbolBits(fixedLit, fixedDist, d.lit[:], d.dist[:])
	atLeastTwo(d.lit[:])
	atLeastTwo(d.dist[:])
	lit, dist, header := d.litCode, d.distCode, &d.header
	lit.buildLengths(d.lit[:], 15, d.scratch)
	dist.buildLengths(d.dist[:], 15, d.scratch)
	header.build(lit.lens, dist.lens, d.scratch)
	if fixedToo && header.bits()+d.symbolBits(lit, dist, d.lit[:], d.dist[:]) >= fixedBits {
		d.out.write(1|1<<1, 3) // final, fixed codes
		d.writeTokens(fixedLit, fixedDist)
		return
	}
	lit.canonical()
	dist.canonical()
	d.out.write(1|2<<1, 3) // final, dynamic codes
	header.write(&d.out)
	d.writeTokens(lit, dist)
}

// symbolBits is the size of the tokens' codes under lit and dist (the
// extra bits are the same under any code and left out).
func (d *smallDeflater) symbolBits(lit, dist huffCode, litFreq, distFreq []int32) int {
	n := 0
	for s, f := range litFreq {
		n += int(f) * int(lit.lens[s])
	}
	for s, f := range distFreq {
		n += int(f) * int(dist.lens[s])
	}
	return n
}

func (d *smallDeflater) writeTokens(lit, dist huffCode) {
	w := &d.out
	for _, t := range d.tokens {
		if t&matchFlag == 0 {
			w.write(uint32(lit.codes[t]), uint(lit.lens[t]))
			continue
		}
		l, dd := int(t>>16&0xff), int(t&0xffff)
		c := lengthCode[l]
		w.write(uint32(lit.codes[257+int(c)]), uint(lit.lens[257+int(c)]))
		w.write(uint32(l+3-int(lengthBase[c])), uint(lengthExtra[c]))
		dc := distCode(dd)
		w.write(uint32(dist.codes[dc]), uint(dist.lens[dc]))
		w.write(uint32(dd+1-int(distBase[dc])), uint(distExtra[dc]))
	}
	w.write(uint32(lit.codes[endBlock]), uint(lit.lens[endBlock]))
}

// dynamicHeader is a dynamic block's code description: the literal/length
// and distance code lengths, run-length coded (symbols 16, 17, 18) and
// sent in the code length code.
type dynamicHeader struct {
	numLit, numDist, numCL int
	// rle holds each code length symbol, its extra bits in bits 8–15.
	rle []uint16
	cl  huffCode
	// lens is the two codes' lengths, one after the other.
	lens []uint8
}

func newDynamicHeader() dynamicHeader {
	return dynamicHeader{cl: newHuffCode(19), lens: make([]uint8, 0, numLitLen+numDist), rle: make([]uint16, 0, numLitLen+numDist)}
}

func (h *dynamicHeader) build(litLens, distLens []uint8, sc *huffScratch) {
	h.numLit, h.numDist = lastUsed(litLens, 257), lastUsed(distLens, 1)
	h.lens = append(append(h.lens[:0], litLens[:h.numLit]...), distLens[:h.numDist]...)
	h.rle = h.rle[:0]
	lens := h.lens
	var freq [19]int32
	emit := func(sym uint16, extra int) {
		h.rle = append(h.rle, sym|uint16(extra)<<8)
		freq[sym]++
	}
	for i := 0; i < len(lens); {
		l, run := lens[i], 1
		for i+run < len(lens) && lens[i+run] == l {
			run++
		}
		i += run
		if l != 0 { // the length once, then 16: repeat it 3–6 times
			emit(uint16(l), 0)
			run--
			for ; run >= 3; run -= min(run, 6) {
				emit(16, min(run, 6)-3)
			}
		} else { // 18: 11–138 zeros, 17: 3–10
			for ; run >= 11; run -= min(run, 138) {
				emit(18, min(run, 138)-11)
			}
			if run >= 3 {
				emit(17, run-3)
				run = 0
			}
		}
		for ; run > 0; run-- {
			emit(uint16(l), 0)
		}
	}
	atLeastTwo(freq[:])
	h.cl.buildLengths(freq[:], 7, sc)
	h.numCL = 4
	for i, s := range codeLengthOrder {
		if h.cl.lens[s] > 0 {
			h.numCL = max(h.numCL, i+1)
		}
	}
}

// lastUsed is the number of leading lengths to send: up to the last
// non-zero one, at least least.
func lastUsed(lens []uint8, least int) int {
	n := len(lens)
	for n > least && lens[n-1] == 0 {
		n--
	}
	return n
}

var rleExtraBits = [19]uint8{16: 2, 17: 3, 18: 7}

func (h *dynamicHeader) bits() int {
	n := 5 + 5 + 4 + 3*h.numCL // the block's 3-bit header is the fixed block's too
	for _, r := range h.rle {
		s := r & 0xff
		n += int(h.cl.lens[s]) + int(rleExtraBits[s])
	}
	return n
}

func (h *dynamicHeader) write(w *bitWriter) {
	h.cl.canonical()
	w.write(uint32(h.numLit-257), 5)
	w.write(uint32(h.numDist-1), 5)
	w.write(uint32(h.numCL-4), 4)
	for _, s := range codeLengthOrder[:h.numCL] {
		w.write(uint32(h.cl.lens[s]), 3)
	}
	for _, r := range h.rle {
		s := r & 0xff
		w.write(uint32(h.cl.codes[s]), uint(h.cl.lens[s]))
		w.write(uint32(r>>8), uint(rleExtraBits[s]))
	}
}

// bitWriter packs codes into bytes, least significant bit first.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (w *bitWriter) reset(dst []byte) { w.buf, w.acc, w.n = dst, 0, 0 }

func (w *bitWriter) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.n
	w.n += n
	if w.n >= 32 {
		w.buf = append(w.buf, byte(w.acc), byte(w.acc>>8), byte(w.acc>>16), byte(w.acc>>24))
		w.acc >>= 32
		w.n -= 32
	}
}

// bytes flushes the last bits and hands the buffer over.
func (w *bitWriter) bytes() []byte {
	for int(w.n) > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.n -= min(w.n, 8)
	}
	b := w.buf
	w.buf = nil
	return b
}
