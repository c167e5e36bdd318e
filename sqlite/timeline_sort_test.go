package sqlite

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"outpost/chart"
)

// timelineRecordsFor makes n encounters, each with a note, a few visits on
// one day (ties on time), some placeholders, as a chart's timeline has.
func timelineRecordsFor(n int, seed uint64) ([]chart.Encounter, []noteHeader) {
	r := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2011, 11, 1, 9, 0, 0, 0, time.UTC)
	var es []chart.Encounter
	var ns []noteHeader
	for i := range n {
		id := chart.RecordID(fmt.Sprintf("e-%04d", r.IntN(10*n)))
		at := start.Add(time.Duration(r.IntN(n/3+1)) * 24 * time.Hour).Format(chart.LocalDateTimeLayout)
		e := chart.Encounter{Meta: chart.Meta{ID: id}, Type: chart.EncounterOffice, Start: at, Reason: "Review"}
		if i%50 == 7 {
			e.Damaged = "could not be opened"
		}
		es = append(es, e)
		n := noteHeader{Meta: chart.Meta{ID: chart.RecordID(fmt.Sprintf("n-%04d", i)), CreatedAt: start}, EncounterID: id, Title: "Follow-up"}
		if i%3 == 0 {
			n.EncounterID = ""
		}
		if i%60 == 11 {
			n.Damaged = "could not be opened"
		}
		ns = append(ns, n)
	}
	return es, ns
}

// TestTimelineOrder: the timeline sorted by position gives the order the
// items sorted themselves in (placeholders first, then newest first, then
// kind and id descending), for charts with ties on time and placeholders.
func TestTimelineOrder(t *testing.T) {
	for seed := range uint64(20) {
		es, ns := timelineRecordsFor(int(seed)*17+1, seed)
		got := timeline(es, ns)
		want := slices.Clone(got)
		rand.New(rand.NewPCG(seed, 2)).Shuffle(len(want), func(i, j int) { want[i], want[j] = want[j], want[i] })
		undated := func(it chart.TimelineItem) int {
			if it.Damaged != "" {
				return 0
			}
			return 1
		}
		slices.SortStableFunc(want, func(a, b chart.TimelineItem) int {
			return cmp.Or(cmp.Compare(undated(a), undated(b)), strings.Compare(b.At, a.At),
				strings.Compare(b.Kind, a.Kind), strings.Compare(string(b.ID), string(a.ID)))
		})
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: timeline order differs from the reference sort", seed)
		}
	}
}

// BenchmarkTimeline600 builds and sorts a 15-year chart's timeline (300
// visits, each with a note).
func BenchmarkTimeline600(b *testing.B) {
	es, ns := timelineRecordsFor(300, 1)
	b.ReportAllocs()
	for b.Loop() {
		timeline(es, ns)
	}
}
