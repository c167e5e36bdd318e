package chart

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

var (
	synthGivenNames = []string{"Ann", "Anna", "Annabel", "Joann", "Mary", "Maria", "José", "Zoë", "Chloé", "Seán",
		"Peter", "Paul", "John", "Jon", "Li", "Wei", "Aroha", "Tama", "Émile", "Grete", "Ingrid", "Björn",
		"Fatima", "Omar", "Aisha", "Ravi", "Priya", "Kofi", "Ama", "Lucía", "Mateo", "Noah", "Olivia", "Liam"}
	synthFamilyNames = []string{"Smith", "Smithers", "Jones", "Brown", "Núñez", "García", "O'Brien", "de la Cruz",
		"Weiß", "Müller", "Nguyen", "Tran", "Wang", "Li", "Patel", "Singh", "Ngata", "Walker", "Taylor",
		"Thompson", "White", "Harris", "Martin", "Jackson", "Clarke", "Wilson", "Anderson", "Mensah",
		"Okafor", "Johansson", "Østergård", "Kowalski", "Dąbrowski", "Hernández", "López", "MacDonald"}
	synthPreferredNames = []string{"", "", "", "", "", "Annie", "Jo", "Bill", "Sam", "Kit"}
)

// syntheticPatients returns n realistic, reproducible patients: combined
// names (some double-barrelled), birth dates over a century, phones in a few
// formats (some missing) and MRN-like numbers.
func syntheticPatients(n int, seed int64) []Patient {
	r := rand.New(rand.NewSource(seed))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ps := make([]Patient, n)
	for i := range ps {
		family := synthFamilyNames[r.Intn(len(synthFamilyNames))]
		if r.Intn(10) == 0 {
			family += "-" + synthFamilyNames[r.Intn(len(synthFamilyNames))]
		}
		birth := time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.Intn(100*365))
		ps[i] = Patient{
			ID:            PatientID(fmt.Sprintf("00000000-0000-7000-8000-%012d", i)),
			MRN:           fmt.Sprintf("%08d%d", 10_000_000+r.Intn(90_000_000), r.Intn(10)),
			GivenName:     synthGivenNames[r.Intn(len(synthGivenNames))],
			FamilyName:    family,
			PreferredName: synthPreferredNames[r.Intn(len(synthPreferredNames))],
			BirthDate:     birth.Format(time.DateOnly),
			Sex:           []Sex{SexFemale, SexMale, SexOther, SexUnknown}[r.Intn(4)],
			Phone:         syntheticPhone(r),
			UpdatedAt:     base.Add(time.Duration(r.Intn(1_000_000)) * time.Second),
		}
	}
	return ps
}

func syntheticPhone(r *rand.Rand) string {
	switch r.Intn(4) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("(0%d) %03d %04d", 2+r.Intn(8), r.Intn(1000), r.Intn(10000))
	case 2:
		return fmt.Sprintf("+64 21 %03d %04d", r.Intn(1000), r.Intn(10000))
	default:
		return fmt.Sprintf("555-%03d-%04d", r.Intn(1000), r.Intn(10000))
	}
}

func BenchmarkBuildIndex50k(b *testing.B) {
	ps := syntheticPatients(50_000, 1)
	b.ReportAllocs()
	for b.Loop() {
		NewPatientIndex(ps)
	}
}

// benchQueries mixes what a front desk types: a partial family name, given
// and family fragments, a date of birth, a phone fragment, an MRN, a miss.
func benchQueries(ps []Patient) []string {
	return []string{"smi", "ann smi", ps[123].BirthDate, "21 555", ps[4567].MRN, "zzzz", "nunez", "12/05/1980", ""}
}

func BenchmarkSearch50k(b *testing.B) {
	benchEachQuery(b, func(ix *PatientIndex, q string) { ix.Search(q, 50) })
}

// benchEachQuery runs search once per benchQueries shape over 50,000 patients.
func benchEachQuery(b *testing.B, search func(ix *PatientIndex, q string)) {
	ps := syntheticPatients(50_000, 1)
	ix := NewPatientIndex(ps)
	for _, q := range benchQueries(ps) {
		b.Run(fmt.Sprintf("q=%q", q), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				search(ix, q)
			}
		})
	}
}

func BenchmarkDuplicates50k(b *testing.B) {
	ps := syntheticPatients(50_000, 1)
	ix := NewPatientIndex(ps)
	probe := ps[999]
	probe.ID = "new"
	b.ReportAllocs()
	for b.Loop() {
		ix.Duplicates(probe)
	}
}

func BenchmarkPut50k(b *testing.B) {
	ps := syntheticPatients(50_000, 1)
	ix := NewPatientIndex(ps)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := ps[i%len(ps)]
		p.FamilyName = "Edited"
		ix.Put(p)
		i++
	}
}

// BenchmarkFind50k is Search that counts every match (the patient list's
// "137 found; the first 50 are listed"): it never stops the scan early.
func BenchmarkFind50k(b *testing.B) {
	benchEachQuery(b, func(ix *PatientIndex, q string) { ix.Find(q, 50) })
}
