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
// integer comparison per entry word, with no string work per entry.
type index struct {
	keys []string // each entry's code normalised for matching (upper case, no dot)
	// get makes the Code of an entry: lists keep entries compactly and
	// build a Code only for what a search returns.
	get func(e int32) Code
	// byKey lists entry ids in key order, for code-prefix search.
	byKey []int32
	// alias maps alternative exact keys ("3" for CVX "03") to an entry.
	alias map[string]int32

	vocab     []string // sorted, unique
	postStart []int32  // postings of word w: postings[postStart[w]:postStart[w+1]]
	postings  []int32  // entry ids, ascending per word
	wordStart []int32  // words of entry e: words[wordStart[e]:wordStart[e+1]]
	words     []int32  // word ids in text order
	// Lead words name the entry (a description's first word, a drug's
	// ingredients and brand, the first word of an entry term): a query word
	// starting one of them is a better match than one found further in.
	leadStart []int32
	leads     []int32
	// codeKey normalises a query that looks like a code, or reports false.
	codeKey func(q string) (string, bool)
}

// entryText is what an entry is found by.
type entryText struct {
	text string
	// leads are the lead words; nil means the first word of text.
	leads []string
}

// buildIndex indexes entries: keys[i] is entry i's code as codeKey spells
// it, text[i] what it is found by, get(i) its Code.
func buildIndex(keys []string, text []entryText, codeKey func(string) (string, bool), get func(e int32) Code) *index {
	ix := &index{keys: keys, get: get, codeKey: codeKey, alias: map[string]int32{}}
	ix.byKey = make([]int32, len(keys))
	for i := range keys {
		ix.byKey[i] = int32(i)
	}
	slices.SortFunc(ix.byKey, func(a, b int32) int { return strings.Compare(ix.keys[a], ix.keys[b]) })
	ix.indexWords(text)
	return ix
}

// indexWords fills the vocabulary, postings and per-entry word lists.
func (ix *index) indexWords(text []entryText) {
	tmpID := map[string]int32{}
	intern := func(buf []byte) int32 {
		id, ok := tmpID[string(buf)] // no allocation for a word seen before
		if !ok {
			id = int32(len(ix.vocab))
			word := string(buf)
			tmpID[word] = id
			ix.vocab = append(ix.vocab, word)
		}
		return id
	}
	ix.wordStart = make([]int32, 1, len(text)+1)
	ix.leadStart = make([]int32, 1, len(text)+1)
	size := 0
	for _, t := range text {
		size += len(t.text)
	}
	ix.words = make([]int32, 0, size/6) // about one word per six bytes
	ix.leads = make([]int32, 0, len(text))
	var buf []byte
	for _, t := range text {
		first := len(ix.words)
		for i := 0; ; {
			start, end := nextWord(t.text, i)
			if start == end {
				break
			}
			i = end
			buf = appendLower(buf[:0], t.text[start:end])
			ix.words = append(ix.words, intern(buf))
		}
		ix.wordStart = append(ix.wordStart, int32(len(ix.words)))
		if t.leads == nil && len(ix.words) > first {
			ix.leads = append(ix.leads, ix.words[first])
		}
		for _, l := range t.leads {
			start, end := nextWord(l, 0)
			if start < end {
				ix.leads = append(ix.leads, intern(appendLower(buf[:0], l[start:end])))
			}
		}
		ix.leadStart = append(ix.leadStart, int32(len(ix.leads)))
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

// nextWord returns the bounds of the first word of s at or after i. A
// decimal point between digits belongs to the word, so that "25" does not
// find a strength of 6.25 MG.
func nextWord(s string, i int) (start, end int) {
	for i < len(s) && !isWordByte(s[i]) {
		i++
	}
	start = i
	for i < len(s) && (isWordByte(s[i]) || isDecimalPoint(s, i)) {
		i++
	}
	return start, i
}

func isDecimalPoint(s string, i int) bool {
	return s[i] == '.' && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

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
	for i, w := range ix.leads {
		ix.leads[i] = renumber[w]
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
	if e, ok := ix.find(code); ok {
		return ix.get(e), true
	}
	return Code{}, false
}

// find returns the entry id of code.
func (ix *index) find(code string) (int32, bool) {
	key, ok := ix.codeKey(strings.TrimSpace(code))
	if !ok {
		return 0, false
	}
	i := sort.Search(len(ix.byKey), func(i int) bool { return ix.keys[ix.byKey[i]] >= key })
	if i < len(ix.byKey) && ix.keys[ix.byKey[i]] == key {
		return ix.byKey[i], true
	}
	e, ok := ix.alias[key]
	return e, ok
}

// match says how an entry matched a query.
type match struct {
	byCode bool // the query is (a prefix of) the entry's code
	lead   bool // a query word starts one of the entry's lead words
}

// wordTier is 0 for a code match, 1 for a match on a lead word, 2 else.
func wordTier(m match) int8 {
	switch {
	case m.byCode:
		return 0
	case m.lead:
		return 1
	}
	return 2
}

// rankKey orders entries within a tier, lower first, compared field by
// field; each list fills it from what it knows of an entry (how common,
// billable, how long its name…).
type rankKey [7]int32

// order is a ranking of a list's entries: order[e] is entry e's place.
// Computed once per list, it makes ranking a hit one integer comparison.
type order []int32

// newOrder ranks n entries by key, ties in entry order.
func newOrder(n int, key func(e int32) rankKey) order {
	keys := make([]rankKey, n)
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
		keys[i] = key(int32(i))
	}
	slices.SortFunc(ids, func(a, b int32) int {
		if c := slices.Compare(keys[a][:], keys[b][:]); c != 0 {
			return c
		}
		return int(a - b)
	})
	o := make(order, n)
	for place, e := range ids {
		o[e] = int32(place)
	}
	return o
}

// hit is a match with its rank: tier first, then place (code matches keep
// code order).
type hit struct {
	entry int32
	tier  int8
	place int32
}

// search returns up to limit matches for query: code matches in code
// order, then lead-word matches, then the rest, each tier in rank order;
// keep, when set, filters entries.
func (ix *index) search(query string, limit int, keep func(e int32) bool, rank order) []Code {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	top := topHits{limit: limit}
	var seen map[int32]bool
	for i, e := range ix.codeMatches(query) {
		if keep == nil || keep(e) {
			if seen == nil {
				seen = map[int32]bool{}
			}
			seen[e] = true
			top.add(hit{entry: e, tier: 0, place: int32(i)})
		}
	}
	ix.wordMatches(query, func(e int32, lead bool) {
		if seen[e] || (keep != nil && !keep(e)) {
			return
		}
		top.add(hit{entry: e, tier: wordTier(match{lead: lead}), place: rank[e]})
	})
	out := make([]Code, len(top.hits))
	for i, h := range top.hits {
		out[i] = ix.get(h.entry)
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

// wordMatches calls fn for each entry that has, for every query word, a
// word starting with it; lead reports whether one of the entry's lead words
// starts with a query word.
func (ix *index) wordMatches(query string, fn func(e int32, lead bool)) {
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
	visited := make([]uint64, (len(ix.keys)+63)/64)
	for _, e := range ix.postings[ix.postStart[r[0]]:ix.postStart[r[1]]] {
		if visited[e/64]&(1<<(e%64)) != 0 {
			continue
		}
		visited[e/64] |= 1 << (e % 64)
		if matchesAll(ix.words[ix.wordStart[e]:ix.wordStart[e+1]], ranges) {
			fn(e, anyInRanges(ix.leads[ix.leadStart[e]:ix.leadStart[e+1]], ranges))
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

func anyInRanges(words []int32, ranges [][2]int32) bool {
	for _, w := range words {
		for _, r := range ranges {
			if w >= r[0] && w < r[1] {
				return true
			}
		}
	}
	return false
}

// topHits keeps the best limit hits, sorted, without sorting every match.
type topHits struct {
	limit int
	hits  []hit
}

func less(a, b *hit) bool {
	if a.tier != b.tier {
		return a.tier < b.tier
	}
	return a.place < b.place
}

func (t *topHits) add(h hit) {
	if len(t.hits) == t.limit && !less(&h, &t.hits[len(t.hits)-1]) {
		return
	}
	i := sort.Search(len(t.hits), func(i int) bool { return less(&h, &t.hits[i]) })
	if len(t.hits) < t.limit {
		t.hits = append(t.hits, hit{})
	}
	copy(t.hits[i+1:], t.hits[i:])
	t.hits[i] = h
}
