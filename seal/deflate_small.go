package seal

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// smallDeflater writes the deflate stream of markDeflateDict1 for records
// of up to smallMax bytes, the chart's everyday size (median about a
// kilobyte). compress/flate's writer costs more to set up than to
// compress such a record: Reset clears 640 KB of hash tables and hashes
// the 5 kB dictionary again every time. Here the dictionary is hashed
// once, at start-up, and a record starts from a copy of that 32 KB table.
// The output is an ordinary single-block deflate stream (RFC 1951) against
// dict1, which compress/flate's reader opens like any other; longer
// plaintexts still go through compress/flate.
type smallDeflater struct {
	// win is dict1 then the plaintext; distances reach into both.
	win []byte
	// head is the latest position+1 of each hash (0: none); prev chains a
	// position to the previous one with its hash. prev's dict1 part is
	// the same for every record and is filled once.
	head   [1 << smallHashBits]int32
	prev   []int32
	tokens []uint32
	lit    [numLitLen]int32
	dist   [numDist]int32
	out    bitWriter
	// the dynamic block's codes and their working space
	litCode, distCode huffCode
	header            dynamicHeader
	scratch           *huffScratch
}

const (
	// smallMax: the dictionary plus the plaintext must stay within
	// deflate's 32 KiB window.
	smallMax      = 16 << 10
	smallHashBits = 13
	minMatch      = 4 // the hash covers 4 bytes
	maxMatch      = 258
	maxDistance   = 32768
	// maxChain and niceMatch bound the search; lazyBelow skips the lazy
	// look one byte on after a match this long. At 32 and 16 the output
	// is within 1% of compress/flate's default level on record-sized
	// JSON (TestSmallDeflateKeepsTheSavings), 128 and 32 gain 0.7% for
	// about 10% more time.
	maxChain  = 32
	niceMatch = 128
	lazyBelow = 16
	numLitLen = 286
	numDist   = 30
	endBlock  = 256
	// matchFlag marks a token as a match: length-3 in bits 16–23,
	// distance-1 in bits 0–15.
	matchFlag = 1 << 31
)

// dictTables are the hash head and chains of dict1 alone, built once.
var dictTables = sync.OnceValues(func() (*[1 << smallHashBits]int32, []int32) {
	head := new([1 << smallHashBits]int32)
	prev := make([]int32, len(dict1))
	for i := 0; i+minMatch <= len(dict1); i++ {
		h := hash4(dict1[i:])
		prev[i], head[h] = head[h], int32(i+1)
	}
	return head, prev
})

var smallDeflaters = newFreeList(func() *smallDeflater {
	_, prev := dictTables()
	d := &smallDeflater{win: make([]byte, 0, len(dict1)+smallMax), prev: make([]int32, len(dict1)+smallMax),
		litCode: newHuffCode(numLitLen), distCode: newHuffCode(numDist), header: newDynamicHeader(), scratch: newHuffScratch()}
	copy(d.prev, prev)
	return d
})

func hash4(b []byte) uint32 {
	return (binary.LittleEndian.Uint32(b) * 0x1e35a7bd) >> (32 - smallHashBits)
}

// deflateSmall appends to dst the deflate stream of plaintext (at most
// smallMax bytes) against dict1.
func deflateSmall(dst, plaintext []byte) []byte { return deflateSmallCodes(dst, plaintext, true) }

// deflateSmallCodes is deflateSmall, with the fixed codes considered or
// not (a test's dynamic-only yardstick).
func deflateSmallCodes(dst, plaintext []byte, fixedToo bool) []byte {
	d := smallDeflaters.get()
	defer smallDeflaters.put(d)
	head, _ := dictTables()
	d.head = *head
	d.win = append(append(d.win[:0], dict1...), plaintext...)
	d.tokens, d.lit, d.dist = d.tokens[:0], [numLitLen]int32{}, [numDist]int32{}
	// The dictionary's last positions hash bytes of the plaintext too.
	for i := max(0, len(dict1)-minMatch+1); i < len(dict1); i++ {
		d.insert(i)
	}
	d.match(len(dict1))
	d.lit[endBlock]++
	d.out.reset(dst)
	d.writeBlock(fixedToo)
	clear(d.win) // the plaintext is chart data, and so are the literals
	clear(d.tokens)
	return d.out.bytes()
}

// insert adds position i to the hash chains, when 4 bytes follow it.
func (d *smallDeflater) insert(i int) {
	if i+minMatch > len(d.win) {
		return
	}
	h := hash4(d.win[i:])
	d.prev[i], d.head[h] = d.head[h], int32(i+1)
}

// longest inserts position i and returns the longest earlier match for it
// (length 0 when none reaches minMatch).
func (d *smallDeflater) longest(i int) (length, distance int) {
	if i+minMatch > len(d.win) {
		return 0, 0
	}
	h := hash4(d.win[i:])
	cand := int(d.head[h]) - 1
	d.prev[i], d.head[h] = d.head[h], int32(i+1)
	limit := min(maxMatch, len(d.win)-i)
	best := minMatch - 1
	for chain := maxChain; cand >= 0 && i-cand <= maxDistance && chain > 0; chain-- {
		if d.win[cand+best] == d.win[i+best] {
			if n := matchLen(d.win[cand:cand+limit], d.win[i:i+limit]); n > best {
				best, distance = n, i-cand
				if n >= niceMatch || n == limit {
					break
				}
			}
		}
		cand = int(d.prev[cand]) - 1
	}
	if distance == 0 {
		return 0, 0
	}
	return best, distance
}

// matchLen is the length of the common prefix of a and b (len(a) <= len(b)).
func matchLen(a, b []byte) int {
	n := 0
	for len(a)-n >= 8 {
		if x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:]); x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(a) && a[n] == b[n] {
		n++
	}
	return n
}

// match turns win[from:] into tokens with lazy matching: a match is
// taken only when the next position does not start a longer one.
func (d *smallDeflater) match(from int) {
	end := len(d.win)
	i := from
	length, distance := d.longest(i)
	for i < end {
		if length == 0 {
			d.literal(d.win[i])
			i++
			length, distance = d.longest(i)
			continue
		}
		if length < lazyBelow && i+1 < end {
			if l2, d2 := d.longest(i + 1); l2 > length {
				d.literal(d.win[i])
				i++
				length, distance = l2, d2
				continue
			}
			d.matched(length, distance)
			for k := i + 2; k < i+length; k++ {
				d.insert(k)
			}
		} else {
			d.matched(length, distance)
			for k := i + 1; k < i+length; k++ {
				d.insert(k)
			}
		}
		i += length
		length, distance = d.longest(i)
	}
}

func (d *smallDeflater) literal(c byte) {
	d.tokens = append(d.tokens, uint32(c))
	d.lit[c]++
}

func (d *smallDeflater) matched(length, distance int) {
	d.tokens = append(d.tokens, matchFlag|uint32(length-3)<<16|uint32(distance-1))
	d.lit[257+int(lengthCode[length-3])]++
	d.dist[distCode(distance-1)]++
}
