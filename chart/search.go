package chart

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// PatientIndex is the in-memory patient finder. It is built at sign-in from
// the decrypted patients and dropped at lock, so search never needs plaintext
// at rest. Safe for concurrent use.
//
// Entries are kept sorted by folded family name, given name and id, so a
// single linear scan yields hits already in tie-break order: ranking only
// has to drop each hit into its rank bucket, never sort. What the scan reads
// is kept in one contiguous slice, its strings packed in sorted order, so a
// scan over 50,000 patients walks memory sequentially instead of chasing a
// pointer per patient.
type PatientIndex struct {
	mu     sync.RWMutex
	sorted []scanEntry               // by (family, given, id), folded
	byID   map[PatientID]*indexEntry // current entry per patient
	log    []*indexEntry             // Put order, oldest first; may hold replaced entries
	// unpacked counts Puts since the scan strings were last packed.
	unpacked int
	// hidden counts the current entries out of the lists by default.
	hidden int
}

// scanEntry is what every search reads for every patient.
type scanEntry struct {
	// hay is "given\x00family\x00preferred\x00mrn", folded. A query term
	// never holds \x00 (fold drops control characters), so a term cannot
	// match across two fields.
	hay   string
	birth string // YYYY-MM-DD
	phone string // digits only
	// hayPairs and phonePairs are bigramMasks of hay and phone: a term whose
	// mask is not a subset cannot be a substring, which rejects most
	// patients with one AND instead of a string search.
	hayPairs, phonePairs uint64
	rec                  *indexEntry
}

// indexEntry is what a hit needs: the summary to return and the folded
// fields to rank by (slices of the scan entry's hay).
type indexEntry struct {
	summary                       PatientSummary
	given, family, preferred, mrn string
	// identifiers are the patient's numbers elsewhere, for matching an
	// imported patient (search_import.go); nil for most patients.
	identifiers []Identifier
}

const defaultSearchLimit = 50

// NewPatientIndex indexes ps. For the empty-query "recent patients" list,
// ps are taken as put in order of UpdatedAt (oldest first), keeping the
// slice's order among equal times; when an id repeats, the last one wins.
func NewPatientIndex(ps []Patient) *PatientIndex {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return ps[a].UpdatedAt.Compare(ps[b].UpdatedAt) })

	ix := &PatientIndex{byID: make(map[PatientID]*indexEntry, len(ps)), log: make([]*indexEntry, 0, len(ps))}
	scans := make([]scanEntry, 0, len(ps))
	for _, i := range order {
		s := newScanEntry(&ps[i])
		ix.byID[ps[i].ID] = s.rec
		ix.log = append(ix.log, s.rec)
		scans = append(scans, s)
	}
	ix.sorted = scans[:0]
	for _, s := range scans {
		if ix.byID[s.rec.summary.ID] == s.rec { // a repeated id: the last one won
			ix.sorted = append(ix.sorted, s)
		}
	}
	slices.SortFunc(ix.sorted, compareScans)
	packStrings(ix.sorted)
	for _, e := range ix.byID {
		ix.hidden += hiddenCount(e)
	}
	return ix
}

func newScanEntry(p *Patient) scanEntry {
	var b strings.Builder // one allocation for all four folded fields
	b.Grow(len(p.GivenName) + len(p.FamilyName) + len(p.PreferredName) + len(p.MRN) + 3)
	var end [4]int
	for i, f := range [4]string{p.GivenName, p.FamilyName, p.PreferredName, p.MRN} {
		if i > 0 {
			b.WriteByte(0)
		}
		foldInto(&b, f)
		end[i] = b.Len()
	}
	hay := b.String()
	e := &indexEntry{summary: p.Summary(), given: hay[:end[0]], family: hay[end[0]+1 : end[1]],
		preferred: hay[end[1]+1 : end[2]], mrn: hay[end[2]+1:], identifiers: p.Identifiers}
	s := scanEntry{hay: hay, birth: p.BirthDate, phone: PhoneDigits(p.Phone), rec: e}
	s.hayPairs, s.phonePairs = bigramMask(s.hay), bigramMask(s.phone)
	return s
}

// bigramMask sets one of 64 bits for each pair of adjacent bytes in s
// (pairs that straddle a \x00 field separator excepted). If t is a
// substring of s, bigramMask(t) is a subset of bigramMask(s).
func bigramMask(s string) uint64 {
	var m uint64
	for i := 0; i+1 < len(s); i++ {
		if s[i] != 0 && s[i+1] != 0 {
			m |= 1 << ((uint64(s[i])<<8 | uint64(s[i+1])) * 0x9E3779B97F4A7C15 >> 58)
		}
	}
	return m
}

// pointInto re-slices the folded fields out of hay, which holds them in
// order, so that they share its memory.
func (e *indexEntry) pointInto(hay string) {
	at := 0
	e.given, at = hay[at:at+len(e.given)], at+len(e.given)+1
	e.family, at = hay[at:at+len(e.family)], at+len(e.family)+1
	e.preferred, at = hay[at:at+len(e.preferred)], at+len(e.preferred)+1
	e.mrn = hay[at : at+len(e.mrn)]
}

// packStrings copies the scanned strings of ss into one allocation, in
// order, for a cache-friendly scan.
func packStrings(ss []scanEntry) {
	n := 0
	for i := range ss {
		n += len(ss[i].hay) + len(ss[i].birth) + len(ss[i].phone)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range ss {
		b.WriteString(ss[i].hay)
		b.WriteString(ss[i].birth)
		b.WriteString(ss[i].phone)
	}
	arena, at := b.String(), 0
	next := func(n int) string {
		at += n
		return arena[at-n : at]
	}
	for i := range ss {
		s := &ss[i]
		s.hay, s.birth, s.phone = next(len(s.hay)), next(len(s.birth)), next(len(s.phone))
		s.rec.pointInto(s.hay)
	}
}

func compareScans(a, b scanEntry) int {
	return cmp.Or(strings.Compare(a.rec.family, b.rec.family), strings.Compare(a.rec.given, b.rec.given),
		strings.Compare(string(a.rec.summary.ID), string(b.rec.summary.ID)))
}

// Put inserts p, or replaces the patient with the same ID.
func (ix *PatientIndex) Put(p Patient) {
	s := newScanEntry(&p) // fold outside the lock
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.byID == nil {
		ix.byID = make(map[PatientID]*indexEntry)
	}
	if old := ix.byID[p.ID]; old != nil {
		ix.hidden -= hiddenCount(old)
		i := ix.position(old)
		if compareScans(ix.sorted[i], s) == 0 {
			ix.sorted[i] = s // same name: an edit elsewhere keeps its place
		} else {
			ix.sorted = slices.Delete(ix.sorted, i, i+1)
			ix.insert(s)
		}
	} else {
		ix.insert(s)
	}
	ix.byID[p.ID] = s.rec
	ix.hidden += hiddenCount(s.rec)
	ix.log = append(ix.log, s.rec)
	if len(ix.log) > 2*len(ix.byID)+1024 {
		ix.compactLog()
	}
	if ix.unpacked++; ix.unpacked > 1024 && ix.unpacked > len(ix.sorted)/8 {
		packStrings(ix.sorted) // many Puts scattered the scan over the heap
		ix.unpacked = 0
	}
}

func (ix *PatientIndex) insert(s scanEntry) {
	i, _ := slices.BinarySearchFunc(ix.sorted, s, compareScans)
	ix.sorted = slices.Insert(ix.sorted, i, s)
}

// position returns the index of e in sorted; e must be there.
func (ix *PatientIndex) position(e *indexEntry) int {
	i, _ := slices.BinarySearchFunc(ix.sorted, scanEntry{rec: e}, compareScans)
	for ix.sorted[i].rec != e {
		i++ // never taken while keys are unique; a guard, not a search
	}
	return i
}

// compactLog drops replaced entries from the recency log so it does not grow
// without bound in a long session of edits.
func (ix *PatientIndex) compactLog() {
	kept := ix.log[:0]
	for _, e := range ix.log {
		if ix.byID[e.summary.ID] == e {
			kept = append(kept, e)
		}
	}
	clear(ix.log[len(kept):])
	ix.log = kept
}

// Len returns the number of patients indexed.
func (ix *PatientIndex) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.sorted)
}

// Clear drops every patient, for lock. The entries themselves are zeroed so
// that no stray reference to one keeps the decrypted strings reachable; Go
// strings are immutable, so dropping references is all that can be done.
func (ix *PatientIndex) Clear() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, e := range ix.log {
		*e = indexEntry{}
	}
	for i := range ix.sorted {
		*ix.sorted[i].rec = indexEntry{}
	}
	clear(ix.log)
	clear(ix.sorted)
	clear(ix.byID)
	ix.log, ix.sorted, ix.byID, ix.unpacked, ix.hidden = nil, nil, make(map[PatientID]*indexEntry), 0, 0
}

// hiddenCount is 1 for an entry out of the lists by default, else 0.
func hiddenCount(e *indexEntry) int {
	if e.summary.Active() {
		return 0
	}
	return 1
}

// Search returns the patients matching every term of query, best first;
// see matchTerm for what a term matches and rankEntry for the order. An
// empty query lists the most recently put patients; a query with no letter
// or digit matches no one. limit <= 0 means 50.
//
// Patients out of the lists by default (Patient.Active) are left out;
// FindWith finds them on request.
func (ix *PatientIndex) Search(query string, limit int) []PatientSummary {
	return ix.search(query, limit, false, false).Patients
}

// Find is Search that also counts every match, so a list cut at limit can
// say how many patients matched in all. It scans the whole index (Search
// may stop early): 0.3–0.8 ms per query at 50,000 patients (BenchmarkFind50k).
func (ix *PatientIndex) Find(query string, limit int) PatientSearch {
	return ix.search(query, limit, true, false)
}

// FindWith is Find that, with inactive, also lists the patients left out
// by default: inactive, deceased, and records retired by a merge.
func (ix *PatientIndex) FindWith(query string, limit int, inactive bool) PatientSearch {
	return ix.search(query, limit, true, inactive)
}

// PatientSearch is a page of search hits and how many matched in all.
type PatientSearch struct {
	Patients []PatientSummary `json:"patients"`
	Total    int              `json:"total"`
	// Unsearchable is set when the query held no letter or digit to search
	// for ("-", "'"): nothing is listed, and the form says why.
	Unsearchable bool `json:"unsearchable"`
	// Unreadable counts the patient records on this workstation that
	// could not be opened (altered on disk, or sealed under a key it does
	// not hold): they are in no list, and the list says so.
	Unreadable int `json:"unreadable,omitempty"`
}

func (ix *PatientIndex) search(query string, limit int, count, inactive bool) PatientSearch {
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	terms := parseQuery(query)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if len(terms) == 0 {
		if strings.TrimSpace(query) != "" {
			return PatientSearch{Patients: []PatientSummary{}, Unsearchable: true}
		}
		return ix.recent(limit, inactive)
	}
	var buckets [rankCount][]*indexEntry
	total := 0
	for i := range ix.sorted {
		s := &ix.sorted[i]
		if !matchAll(s, terms) || !inactive && !s.rec.summary.Active() {
			continue
		}
		total++
		e := s.rec
		r := rankEntry(e, terms)
		if len(buckets[r]) < limit {
			buckets[r] = append(buckets[r], e)
		}
		if !count && len(buckets[rankMRN]) == limit {
			break // nothing can outrank a full first bucket
		}
	}
	out := make([]PatientSummary, 0, min(limit, len(buckets[0])+len(buckets[1])+len(buckets[2])+len(buckets[3])))
	for _, b := range buckets {
		for _, e := range b {
			if len(out) == limit {
				return PatientSearch{Patients: out, Total: total}
			}
			out = append(out, e.summary)
		}
	}
	return PatientSearch{Patients: out, Total: total}
}

// recent lists the most recently put patients; Total counts those the
// list would show (every patient with inactive).
func (ix *PatientIndex) recent(limit int, inactive bool) PatientSearch {
	out := make([]PatientSummary, 0, min(limit, len(ix.byID)))
	total := len(ix.byID)
	if !inactive {
		total -= ix.hidden
	}
	for i := len(ix.log) - 1; i >= 0 && len(out) < limit; i-- {
		if e := ix.log[i]; ix.byID[e.summary.ID] == e && (inactive || e.summary.Active()) {
			out = append(out, e.summary)
		}
	}
	return PatientSearch{Patients: out, Total: total}
}

// Duplicates lists indexed patients that may be the same person as p, with
// DuplicateReason's rules: same given and family name (case-insensitive)
// and date of birth, or the same phone digits. p itself (by ID) is excluded.
func (ix *PatientIndex) Duplicates(p Patient) []DuplicateCandidate {
	phone := PhoneDigits(p.Phone)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := []DuplicateCandidate{}
	for i := range ix.sorted {
		s := &ix.sorted[i]
		if reason := duplicateReason(&p, phone, s); reason != "" {
			out = append(out, DuplicateCandidate{Patient: s.rec.summary, Reason: reason})
		}
	}
	return out
}

// duplicateReason is DuplicateReason against an index entry. It compares
// the packed birth date and phone digits first so that only a likely
// candidate costs a look at its names.
func duplicateReason(p *Patient, phone string, s *scanEntry) string {
	reason := ""
	switch {
	case p.BirthDate == s.birth && strings.EqualFold(p.FamilyName, s.rec.summary.FamilyName) &&
		strings.EqualFold(p.GivenName, s.rec.summary.GivenName):
		reason = "same name and date of birth"
	case phone != "" && phone == s.phone:
		reason = "same phone number"
	}
	if reason != "" && p.ID == s.rec.summary.ID {
		return ""
	}
	return reason
}

// Ranks, best first.
const (
	rankMRN    = iota // a term is the whole MRN
	rankFamily        // a term starts the family name (or a word of it)
	rankGiven         // a term starts the given or preferred name (or a word of it)
	rankOther
	rankCount
)

func rankEntry(e *indexEntry, terms []queryTerm) int {
	best := rankOther
	for i := range terms {
		t := terms[i].text
		switch {
		case t == e.mrn:
			return rankMRN
		case hasWordPrefix(e.family, t):
			best = min(best, rankFamily)
		case hasWordPrefix(e.given, t) || hasWordPrefix(e.preferred, t):
			best = min(best, rankGiven)
		}
	}
	return best
}

// hasWordPrefix reports whether t starts s or starts a word of s
// ("cruz" in "de la cruz", "jones" in "smith-jones").
func hasWordPrefix(s, t string) bool {
	for {
		if strings.HasPrefix(s, t) {
			return true
		}
		i := strings.IndexAny(s, " -")
		if i < 0 {
			return false
		}
		s = s[i+1:]
	}
}

// queryTerm is one whitespace-separated part of a query, prepared once per
// search so the scan does no allocation.
type queryTerm struct {
	text   string    // folded
	digits string    // set when the term reads as a phone fragment (3+ digits)
	dates  [2]string // birth-date prefixes when the term reads as a date
	// bigramMasks of text and digits
	textPairs, digitPairs uint64
}

// parseQuery splits q into terms. A term with no letter or digit ("-",
// "'", "/") is dropped: it would match any hyphenated name or nothing
// meaningful, never the patient someone is looking for.
func parseQuery(q string) []queryTerm {
	var terms []queryTerm
	for _, raw := range strings.Fields(q) {
		if !strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		t := queryTerm{text: foldText(raw), dates: dateTerms(raw)}
		if t.text == "" {
			continue
		}
		if d := PhoneDigits(raw); len(d) >= 3 && isPhoneFragment(raw) {
			t.digits = d
		}
		t.textPairs, t.digitPairs = bigramMask(t.text), bigramMask(t.digits)
		terms = append(terms, t)
	}
	return terms
}

func matchAll(s *scanEntry, terms []queryTerm) bool {
	for i := range terms {
		if !matchTerm(s, &terms[i]) {
			return false
		}
	}
	return true
}

// matchTerm: any part of a name or the MRN (both folded, substring); the
// birth date when the term reads as a date; the phone's digits when the term
// reads as a phone fragment.
func matchTerm(s *scanEntry, t *queryTerm) bool {
	if t.textPairs&^s.hayPairs == 0 && strings.Contains(s.hay, t.text) {
		return true
	}
	for _, d := range t.dates {
		if d != "" && strings.HasPrefix(s.birth, d) {
			return true
		}
	}
	return t.digits != "" && t.digitPairs&^s.phonePairs == 0 && strings.Contains(s.phone, t.digits)
}

// isPhoneFragment reports whether s is written like (part of) a phone number.
func isPhoneFragment(s string) bool { return strings.Trim(s, "0123456789+-()./") == "" }

// dateTerms returns the birth-date prefixes a term may mean: YYYY-MM-DD,
// YYYY-MM and YYYY as written; D/M/YYYY both day-first and month-first (also
// with . or - between the parts), since a front desk types either.
// Impossible dates are dropped.
func dateTerms(s string) [2]string {
	var out [2]string
	sep := "-"
	if strings.ContainsRune(s, '/') {
		sep = "/"
	} else if strings.ContainsRune(s, '.') {
		sep = "."
	}
	parts := strings.Split(s, sep)
	if len(parts) > 3 || !allDigits(parts) {
		return out
	}
	isoLike := sep == "-" && len(parts[0]) == 4
	switch {
	case len(parts) == 1 && len(parts[0]) == 4:
		out[0] = parts[0] + "-"
	case isoLike && len(parts) == 2 && len(parts[1]) <= 2:
		if m := atoi(parts[1]); m >= 1 && m <= 12 {
			out[0] = fmt.Sprintf("%s-%02d-", parts[0], m)
		}
	case isoLike && len(parts) == 3 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		out[0] = isoDate(atoi(parts[0]), atoi(parts[1]), atoi(parts[2]))
	case len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4:
		y, a, b := atoi(parts[2]), atoi(parts[0]), atoi(parts[1])
		out[0] = isoDate(y, b, a) // day first
		if alt := isoDate(y, a, b); alt != out[0] {
			out[1] = alt // month first
		}
	}
	return out
}

// isoDate returns YYYY-MM-DD, or "" when no such day exists.
func isoDate(y, m, d int) string {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "" // 31 April, 29 February of a common year
	}
	return t.Format(time.DateOnly)
}

// allDigits reports whether every part is 1 to 4 ASCII digits.
func allDigits(parts []string) bool {
	for _, p := range parts {
		if p == "" || len(p) > 4 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // only called on 1 to 4 digits
	return n
}

// foldText lower-cases s and folds accented Latin letters to their base
// ("Zoë Núñez" → "zoe nunez") so a front desk can type without accents.
// Combining marks (decomposed input), apostrophes and control characters
// are dropped, so "O'Brien" is found by "obrien" and typed "o'b".
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	foldInto(&b, s)
	return b.String()
}

func foldInto(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteByte(byte(r + 'a' - 'A'))
		case r < 0x80 && r != '\'' && !unicode.IsControl(r):
			b.WriteByte(byte(r))
		case r < 0x80, unicode.IsControl(r), unicode.Is(unicode.Mn, r), r == '’', r == 'ʼ', r == '‘':
			// dropped
		default:
			r = unicode.ToLower(r)
			if f, ok := foldTable[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		}
	}
}

// foldTable maps lower-case accented Latin letters to their unaccented
// spelling. Hand-made because package chart imports only the standard
// library (no golang.org/x/text normalisation).
var foldTable = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ĳ': "ij"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăąǎ", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįıǐ", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏőǒ", "r": "ŕŗř",
		"s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűųǔ", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
