package codes

import (
	"slices"
	"sort"
	"strings"
)

// index answers as-you-type searches over one code list. Words are
// interned into a sorted vocabulary so a query word (a prefix) becomes a
// range of word ids [lo, hi): finding candidates is a walk over the
// postings of the rarest query word, and checking the other words is an
// integer comparison per description word, with no string work per entry.
type index struct {
	codes []Code
	keys  []string // each code normalised for matching (upper case, no dot)
	// byKey lists entry ids in key order, for code-prefix search.
	byKey []int32
	// alias maps alternative exact keys ("3" for CVX "03") to an entry.
	alias map[string]int32
	// demoted entries rank after the others of their tier (inactive CVX).
	demoted []bool

	vocab     []string // sorted, unique
	postStart []int32  // postings of word w: postings[postStart[w]:postStart[w+1]]
	postings  []int32  // entry ids, ascending per word
	wordStart []int32  // words of entry e: words[wordStart[e]:wordStart[e+1]]
	words     []int32  // word ids in description order
	// codeKey normalises a query that looks like a code, or reports false.
	codeKey func(q string) (string, bool)
}

// buildIndex indexes codes; keys[i] is codes[i].Code as codeKey spells it,
// and text[i] its searchable text.
func buildIndex(codes []Code, keys, text []string, demoted []bool, codeKey func(string) (string, bool)) *index {
	ix := &index{codes: codes, keys: keys, demoted: demoted, codeKey: codeKey, alias: map[string]int32{}}
	ix.byKey = make([]int32, len(codes))
	for i := range codes {
		ix.byKey[i] = int32(i)
	}
	slices.SortFunc(ix.byKey, func(a, b int32) int { return strings.Compare(ix.keys[a], ix.keys[b]) })
	ix.indexWords(text)
	return ix
}

// indexWords fills the vocabulary, postings and per-entry word lists.
func (ix *index) indexWords(text []string) {
	tmpID := map[string]int32{}
	ix.wordStart = make([]int32, 1, len(text)+1)
	size := 0
	for _, t := range text {
		size += len(t)
	}
	ix.words = make([]int32, 0, size/6) // about one word per six bytes
	var buf []byte
	for _, t := range text {
		for i := 0; ; {
			start, end := nextWord(t, i)
			if start == end {
				break
			}
			i = end
			buf = appendLower(buf[:0], t[start:end])
			id, ok := tmpID[string(buf)] // no allocation for a word seen before
			if !ok {
				id = int32(len(ix.vocab))
				word := string(buf)
				tmpID[word] = id
				ix.vocab = append(ix.vocab, word)
			}
			ix.words = append(ix.words, id)
		}
		ix.wordStart = append(ix.wordStart, int32(len(ix.words)))
	}
	ix.sortVocabulary()
	ix.buildPostings()
}

// Words are runs of ASCII letters and digits, lower-cased; bytes of
// non-ASCII characters count as word characters and are kept as they are
// (the shipped lists are ASCII, so no Unicode case folding is needed).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// nextWord returns the bounds of the first word of s at or after i.
func nextWord(s string, i int) (start, end int) {
	for i < len(s) && !isWordByte(s[i]) {
		i++
	}
	start = i
	for i < len(s) && isWordByte(s[i]) {
		i++
	}
	return start, i
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// tokenize splits a query into words the way descriptions are split.
func tokenize(s string) []string {
	var words []string
	for i := 0; ; {
		start, end := nextWord(s, i)
		if start == end {
			return words
		}
		i = end
		words = append(words, string(appendLower(nil, s[start:end])))
	}
}

// sortVocabulary renumbers words in sorted order so that the words
// starting with a prefix form a contiguous id range.
func (ix *index) sortVocabulary() {
	order := make([]int32, len(ix.vocab))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ix.vocab[a], ix.vocab[b]) })
	renumber := make([]int32, len(order))
	sorted := make([]string, len(order))
	for newID, oldID := range order {
		renumber[oldID] = int32(newID)
		sorted[newID] = ix.vocab[oldID]
	}
	ix.vocab = sorted
	for i, w := range ix.words {
		ix.words[i] = renumber[w]
	}
}

// buildPostings lists, for each word, the entries using it (ascending).
func (ix *index) buildPostings() {
	counts := make([]int32, len(ix.vocab)+1)
	for _, w := range ix.words {
		counts[w+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	ix.postStart = counts
	ix.postings = make([]int32, len(ix.words))
	next := slices.Clone(counts[:len(counts)-1])
	for e := range len(ix.wordStart) - 1 {
		for _, w := range ix.words[ix.wordStart[e]:ix.wordStart[e+1]] {
			ix.postings[next[w]] = int32(e)
			next[w]++
		}
	}
}

// wordRange returns the ids of the vocabulary words starting with prefix.
func (ix *index) wordRange(prefix string) (lo, hi int32) {
	l := sort.SearchStrings(ix.vocab, prefix)
	h := l + sort.Search(len(ix.vocab)-l, func(i int) bool { return !strings.HasPrefix(ix.vocab[l+i], prefix) })
	return int32(l), int32(h)
}

// lookup returns the entry whose code is code, in any accepted spelling.
func (ix *index) lookup(code string) (Code, bool) {
	key, ok := ix.codeKey(strings.TrimSpace(code))
	if !ok {
		return Code{}, false
	}
	i := sort.Search(len(ix.byKey), func(i int) bool { return ix.keys[ix.byKey[i]] >= key })
	if i < len(ix.byKey) && ix.keys[ix.byKey[i]] == key {
		return ix.codes[ix.byKey[i]], true
	}
	if e, ok := ix.alias[key]; ok {
		return ix.codes[e], true
	}
	return Code{}, false
}

// hit is a match with its rank: lower tier first, then not demoted, then
// shorter display, then code order.
type hit struct {
	entry   int32
	tier    int8
	demoted bool
	length  int
}

const (
	tierCode       = 0 // the query is (a prefix of) the code
	tierFirstWord  = 1 // a query word starts the description
	tierOtherWords = 2
)

// search returns up to limit matches for query; keep, when set, filters entries.
func (ix *index) search(query string, limit int, keep func(*Code) bool) []Code {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	top := topHits{ix: ix, limit: limit}
	seen := map[int32]bool{}
	for _, e := range ix.codeMatches(query) {
		if keep == nil || keep(&ix.codes[e]) {
			seen[e] = true
			top.add(hit{entry: e, tier: tierCode, demoted: ix.demoted[e], length: len(ix.codes[e].Display)})
		}
	}
	ix.wordMatches(query, func(e int32, first bool) {
		if seen[e] || (keep != nil && !keep(&ix.codes[e])) {
			return
		}
		tier := int8(tierOtherWords)
		if first {
			tier = tierFirstWord
		}
		top.add(hit{entry: e, tier: tier, demoted: ix.demoted[e], length: len(ix.codes[e].Display)})
	})
	out := make([]Code, len(top.hits))
	for i, h := range top.hits {
		out[i] = ix.codes[h.entry]
	}
	return out
}

// codeMatches returns the entries whose code starts with query, in code
// order, capped so a one-letter query does not walk the whole list.
func (ix *index) codeMatches(query string) []int32 {
	key, ok := ix.codeKey(strings.TrimSpace(query))
	if !ok || key == "" {
		return nil
	}
	var out []int32
	if e, ok := ix.alias[key]; ok {
		out = append(out, e)
	}
	i := sort.Search(len(ix.byKey), func(i int) bool { return ix.keys[ix.byKey[i]] >= key })
	for ; i < len(ix.byKey) && strings.HasPrefix(ix.keys[ix.byKey[i]], key) && len(out) < MaxLimit; i++ {
		if len(out) == 0 || out[0] != ix.byKey[i] {
			out = append(out, ix.byKey[i])
		}
	}
	return out
}

// wordMatches calls fn for each entry whose description has, for every
// query word, a word starting with it; first reports whether the
// description's first word is one of those.
func (ix *index) wordMatches(query string, fn func(e int32, first bool)) {
	terms := tokenize(query)
	if len(terms) == 0 {
		return
	}
	ranges := make([][2]int32, len(terms))
	rarest, rarestCount := 0, int32(-1)
	for i, t := range terms {
		lo, hi := ix.wordRange(t)
		if lo == hi {
			return
		}
		ranges[i] = [2]int32{lo, hi}
		if n := ix.postStart[hi] - ix.postStart[lo]; rarestCount < 0 || n < rarestCount {
			rarest, rarestCount = i, n
		}
	}
	r := ranges[rarest]
	visited := make([]uint64, (len(ix.codes)+63)/64)
	for _, e := range ix.postings[ix.postStart[r[0]]:ix.postStart[r[1]]] {
		if visited[e/64]&(1<<(e%64)) != 0 {
			continue
		}
		visited[e/64] |= 1 << (e % 64)
		words := ix.words[ix.wordStart[e]:ix.wordStart[e+1]]
		if matchesAll(words, ranges) {
			fn(e, inAnyRange(words[0], ranges))
		}
	}
}

func matchesAll(words []int32, ranges [][2]int32) bool {
	for _, r := range ranges {
		found := false
		for _, w := range words {
			if w >= r[0] && w < r[1] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func inAnyRange(w int32, ranges [][2]int32) bool {
	for _, r := range ranges {
		if w >= r[0] && w < r[1] {
			return true
		}
	}
	return false
}

// topHits keeps the best limit hits, sorted, without sorting every match.
type topHits struct {
	ix    *index
	limit int
	hits  []hit
}

func (t *topHits) less(a, b hit) bool {
	if a.tier != b.tier {
		return a.tier < b.tier
	}
	if a.demoted != b.demoted {
		return !a.demoted
	}
	if a.tier != tierCode && a.length != b.length {
		return a.length < b.length
	}
	return t.ix.keys[a.entry] < t.ix.keys[b.entry]
}

func (t *topHits) add(h hit) {
	if len(t.hits) == t.limit && !t.less(h, t.hits[len(t.hits)-1]) {
		return
	}
	i := sort.Search(len(t.hits), func(i int) bool { return t.less(h, t.hits[i]) })
	if len(t.hits) < t.limit {
		t.hits = append(t.hits, hit{})
	}
	copy(t.hits[i+1:], t.hits[i:])
	t.hits[i] = h
}
