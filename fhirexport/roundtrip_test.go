package fhirexport_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/fhirexport/chartgen"
	"outpost/fhirimport"
)

// The round trip: import(export(chart)) gives back the chart, field by
// field. Charts go out as a patient Bundle, come back through the whole
// importer (reader, checks, resolver, mapper) and are compared record by
// record, each record's id translated to the importer's id for its
// resource. What FHIR cannot carry, or Outpost does not export, is listed
// in lost below, each with its reason (docs/FHIR.md says the same); any
// other difference fails the test.

// captureStore keeps what the importer hands the store.
type captureStore struct{ got []chart.PatientRecords }

func (c *captureStore) ImportIDs() fhirimport.IDs { return roundID }

func (c *captureStore) ImportPatient(_ context.Context, recs chart.PatientRecords, _ chart.ImportOptions) (chart.ImportOutcome, error) {
	c.got = append(c.got, recs)
	return chart.ImportOutcome{Created: true}, nil
}

func roundID(key string) chart.RecordID {
	return chart.RecordID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("roundtrip|"+key)).String())
}

// reimport writes raw as a file and imports it, failing on any failed
// resource.
func reimport(t *testing.T, raw []byte) chart.PatientRecords {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	store := &captureStore{}
	rep, err := fhirimport.Run(context.Background(), []string{path}, store, fhirimport.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for typ, c := range rep.Totals {
		if c.Failed > 0 {
			t.Errorf("re-import: %d %s failed: %v", c.Failed, typ, c.Errors)
		}
	}
	if len(store.got) != 1 {
		t.Fatalf("re-import gave %d patients", len(store.got))
	}
	return store.got[0]
}

func TestRoundTripGeneratedCharts(t *testing.T) {
	n := 30
	if testing.Short() {
		n = 5
	}
	records := 0
	defer func() { t.Logf("%d charts, %d records compared", n, records) }()
	for seed := range uint64(n) {
		g := chartgen.New(seed+100, testNow, chartgen.Options{Records: 40})
		orig := g.Chart()
		records += comparedRecords(orig)
		raw, err := fhirexport.PatientBundle(orig, testOptions())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		back := reimport(t, raw)
		if diffs := compareCharts(orig, back); len(diffs) > 0 {
			t.Errorf("seed %d: %d difference(s):\n%s", seed, len(diffs), strings.Join(diffs[:min(len(diffs), 15)], "\n"))
		}
	}
}

// The testdata Synthea and US Core patients as the importer charts them
// (A), exported and imported again (B): A and B are the same chart.
func TestRoundTripFixturePatients(t *testing.T) {
	roundTripCharts(t, fixtureCharts(t))
}

// TestRoundTripSharedSynthea is the same over all the shared Synthea
// patients (/work/shared/fixtures/fhir, or OUTPOST_FHIR_FIXTURES): a
// minute or two, so only with OUTPOST_LONG=1.
func TestRoundTripSharedSynthea(t *testing.T) {
	if os.Getenv("OUTPOST_LONG") == "" {
		t.Skip("OUTPOST_LONG=1 runs the round trip over all shared Synthea patients")
	}
	root := cmp.Or(os.Getenv("OUTPOST_FHIR_FIXTURES"), "/work/shared/fixtures/fhir")
	files, _ := filepath.Glob(filepath.Join(root, "synthea/*/*.json.gz"))
	if len(files) == 0 {
		t.Skipf("no shared Synthea patients under %s", root)
	}
	var charts []chart.PatientRecords
	for _, f := range files {
		if !strings.HasPrefix(filepath.Base(f), "0-") { // shared practitioners and hospitals
			charts = append(charts, fixtureChart(t, f))
		}
	}
	roundTripCharts(t, charts)
}

// roundTripCharts exports each chart as a Bundle, imports it back and
// compares.
func roundTripCharts(t *testing.T, charts []chart.PatientRecords) {
	records := 0
	defer func() { t.Logf("%d charts, %d records compared", len(charts), records) }()
	for i, a := range charts {
		records += comparedRecords(a)
		raw, err := fhirexport.PatientBundle(a, testOptions())
		var warn *fhirexport.Warnings
		if err != nil && !errors.As(err, &warn) {
			t.Fatal(err)
		}
		b := reimport(t, raw)
		if diffs := compareCharts(a, b); len(diffs) > 0 {
			t.Errorf("chart %d (%s %s): %d difference(s):\n%s", i, a.Patient.GivenName, a.Patient.FamilyName, len(diffs),
				strings.Join(diffs[:min(len(diffs), 15)], "\n"))
		}
	}
}

// comparedRecords counts the records compareCharts compares (the patient
// and each exported record of the kinds it lists).
func comparedRecords(a chart.PatientRecords) int {
	n := 1
	for _, l := range []any{a.Encounters, a.Problems, a.Medications, a.Allergies, a.Results, a.Immunizations, a.Procedures,
		a.Vitals, a.SocialHistory, a.Pregnancy} {
		n += len(canon(l, "", nil))
	}
	return n + len(a.Attachments)
}

// compareCharts lists the differences between a chart and its round trip.
func compareCharts(a, b chart.PatientRecords) []string {
	var diffs []string
	kinds := []struct {
		name     string
		fhirType string
		a, b     any
	}{
		{"encounter", "Encounter", a.Encounters, b.Encounters},
		{"problem", "Condition", a.Problems, b.Problems},
		{"medication", "MedicationRequest", a.Medications, b.Medications},
		{"allergy", "AllergyIntolerance", a.Allergies, b.Allergies},
		{"result", "Observation", a.Results, b.Results},
		{"immunization", "Immunization", a.Immunizations, b.Immunizations},
		{"procedure", "Procedure", a.Procedures, b.Procedures},
		{"vitals", "Observation", a.Vitals, b.Vitals},
		{"social", "Observation", a.SocialHistory, b.SocialHistory},
		{"pregnancy", "Observation", a.Pregnancy, b.Pregnancy},
	}
	voided := voidedIDs(a)
	for _, k := range kinds {
		want := canon(k.a, k.name, voided)
		got := canon(k.b, k.name, nil)
		diffs = append(diffs, setDiff(k.name, translate(want, idMap(a)), got)...)
	}
	diffs = append(diffs, setDiff("attachment", attachmentsSent(a), attachmentsCanon(b.Attachments, nil))...)
	if pa, pb := patientCanon(sentPatient(a.Patient)), patientCanon(b.Patient); pa != pb {
		diffs = append(diffs, "patient:\n  - "+pa+"\n  + "+pb)
	}
	if a.NoKnownAllergies != b.NoKnownAllergies {
		diffs = append(diffs, fmt.Sprintf("no known allergies %v → %v", a.NoKnownAllergies, b.NoKnownAllergies))
	}
	return diffs
}

// lost are the fields a round trip does not keep, by kind, with why.
var lost = map[string][]string{
	// Bookkeeping: the importer stamps its own (origin, versions, who
	// wrote it here and when); record ids are translated, not compared.
	"*": {"id", "patientId", "version", "createdAt", "createdBy", "updatedAt", "updatedBy", "origin", "damaged", "enteredInError"},
	// Who charted it here is a user id of this practice; FHIR carries the
	// name (the importer keeps names) but not our ids.
	"encounter":  {"clinicianId"},
	"medication": {"prescriberId", "override", "reconciledAt", "reconciledBy", "reconciledByName", "renewedBy"},
	"result":     {"reviewedBy", "reviewedName", "reviewedAt", "attachmentIds"},
	"vitals":     {"takenBy"},
	// The export writes the smoking status only (US Core Smoking Status);
	// pack-years, AUDIT-C, drinks and occupation are not exported yet, and
	// an entry without a smoking status not at all (see voided).
	"social": {"packYears", "auditC", "drinksPerWeek", "occupation"},
}

// sentAs are the values a round trip changes by design, by kind and
// field: the value the chart has, the value that comes back, and why.
var sentAs = map[string]map[string]func(v any) any{
	// Given here is, to the practice that imports it, given elsewhere.
	"immunization": {"source": func(v any) any {
		if v == "given" {
			return "historical"
		}
		return v
	}},
	// Outpost's own allergy codes (urn:outpost:allergy-class, :allergen)
	// are no FHIR code system: the export sends their text only.
	"allergy": {"substance": func(v any) any {
		c, ok := v.(map[string]any)
		if ok && strings.HasPrefix(fmt.Sprint(c["system"]), "urn:outpost:") {
			return map[string]any{"code": "", "system": "", "display": c["display"]}
		}
		return v
	}},
}

// voidedIDs are the records the export leaves out (entered in error,
// damaged): a link to one is not written, so it does not come back.
func voidedIDs(a chart.PatientRecords) map[any]bool {
	gone := map[any]bool{}
	for _, e := range a.Encounters {
		if e.EnteredInError != nil || e.Damaged != "" {
			gone[string(e.ID)] = true
		}
	}
	for _, m := range a.Medications {
		if m.EnteredInError != nil || m.Damaged != "" {
			gone[string(m.ID)] = true
		}
	}
	return gone
}

// attachmentsSent are a chart's attachments as they come back: a result's
// PDF goes as its report's presentedForm (FHIR has no attachment per
// result), so it comes back linked to every result of that report, under
// the importer's ids.
func attachmentsSent(a chart.PatientRecords) []string {
	ids := idMap(a)
	reportOf, results := map[chart.RecordID]chart.RecordID{}, map[chart.RecordID][]string{}
	for _, r := range a.Results {
		if r.ReportID != "" && r.EnteredInError == nil && r.Damaged == "" {
			reportOf[r.ID] = r.ReportID
			results[r.ReportID] = append(results[r.ReportID], ids[string(r.ID)])
		}
	}
	return attachmentsCanon(a.Attachments, func(resultIDs []chart.RecordID) []string {
		var out []string
		for _, id := range resultIDs {
			if rep, ok := reportOf[id]; ok {
				out = append(out, results[rep]...)
			}
		}
		return out
	})
}

// attachmentsCanon is each attachment's name, type, size, content hash and
// results (through linked, else as they are).
func attachmentsCanon(list []chart.ImportedAttachment, linked func([]chart.RecordID) []string) []string {
	var out []string
	for _, at := range list {
		results := make([]string, 0, len(at.ResultIDs))
		if linked != nil {
			results = linked(at.ResultIDs)
			voided := at.Attachment.EnteredInError != nil || at.Attachment.Damaged != ""
			if voided || len(results) < min(len(at.ResultIDs), 1) {
				continue // entered in error, or the PDF of results entered in error: not exported
			}
		} else {
			for _, id := range at.ResultIDs {
				results = append(results, string(id))
			}
		}
		slices.Sort(results)
		results = slices.Compact(results)
		sum := sha256.Sum256(at.Data)
		out = append(out, fmt.Sprintf("%s %s %d %x %v", at.Attachment.FileName, at.Attachment.MediaType, at.Attachment.Size, sum, results))
	}
	slices.Sort(out)
	return out
}

// sentPatient is the patient as a new chart imports it: the MRN is this
// practice's own, so the importing store gives its own; the sender's
// record id and MRN come back as identifiers (a later import matches on
// them), before the identifiers the chart already had.
func sentPatient(p chart.Patient) chart.Patient {
	ids := []chart.Identifier{{System: fhirexport.SystemRecord, Value: string(p.ID)}}
	if p.MRN != "" {
		ids = append(ids, chart.Identifier{System: fhirexport.SystemMRN, Value: p.MRN, Type: "MR"})
	}
	p.Identifiers, p.MRN = append(ids, p.Identifiers...), ""
	return p
}

// canon turns each record of a list into canonical JSON without the
// fields a round trip does not keep, and with the values it changes by
// design (sentAs) as they come back; a link to a voided record is dropped.
// voided is nil for the chart that came back, which is taken as it is.
func canon(list any, kind string, voided map[any]bool) []string {
	raw, _ := json.Marshal(list)
	var recs []map[string]any
	_ = json.Unmarshal(raw, &recs)
	var out []string
	for _, r := range recs {
		if r["enteredInError"] != nil || r["damaged"] != nil {
			continue // not exported
		}
		if kind == "social" && voided != nil && r["smoking"].(map[string]any)["code"] == "" {
			continue // no smoking status: not exported
		}
		for _, f := range append(slices.Clone(lost["*"]), lost[kind]...) {
			delete(r, f)
		}
		if voided != nil {
			for f, to := range sentAs[kind] {
				r[f] = to(r[f])
			}
			for _, link := range []string{"encounterId", "renewalOf"} {
				if voided[r[link]] {
					delete(r, link)
				}
			}
		}
		for f, v := range r { // empty and absent are the same
			if v == nil || v == "" || v == false || v == 0.0 {
				delete(r, f)
			}
			if l, ok := v.([]any); ok && len(l) == 0 {
				delete(r, f)
			}
		}
		b, _ := json.Marshal(r)
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

// idMap translates the chart's record ids to the ids the importer gives
// the resources the export wrote for them.
func idMap(a chart.PatientRecords) map[string]string {
	m := map[string]string{}
	add := func(typ string, id chart.RecordID) {
		m[string(id)] = string(roundID(fhirimport.SourceKey(typ, string(id))))
	}
	for _, e := range a.Encounters {
		add("Encounter", e.ID)
	}
	for _, r := range a.Results {
		add("Observation", r.ID)
		if r.ReportID != "" {
			add("DiagnosticReport", r.ReportID)
		}
	}
	for _, m2 := range a.Medications {
		add("MedicationRequest", m2.ID)
	}
	return m
}

// translate replaces the ids of linked records (an encounter, a report, a
// renewed prescription) with the importer's ids.
func translate(recs []string, m map[string]string) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		for from, to := range m {
			r = strings.ReplaceAll(r, `"`+from+`"`, `"`+to+`"`)
		}
		out[i] = r
	}
	slices.Sort(out)
	return out
}

func setDiff(kind string, want, got []string) []string {
	var diffs []string
	for _, w := range want {
		if i := slices.Index(got, w); i >= 0 {
			got = slices.Delete(got, i, i+1)
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%s lost or changed: %s", kind, w))
	}
	for _, g := range got {
		diffs = append(diffs, fmt.Sprintf("%s came back as: %s", kind, g))
	}
	return diffs
}

func patientCanon(p chart.Patient) string {
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt, p.UpdatedBy, p.Origin = "", 0, time.Time{}, time.Time{}, "", nil
	b, _ := json.Marshal(p)
	return string(b)
}
