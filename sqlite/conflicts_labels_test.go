package sqlite

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"outpost/chart"
)

// nameWorkstations gives each workstation of c the name it enrolled under,
// published as enrolling through the app does, and syncs them.
func (c *resolveClinic) nameWorkstations(t *testing.T, names ...string) {
	t.Helper()
	for i, w := range c.ws {
		err := w.w.write(ctxb, func(t *tx) error { return setMeta(ctxb, t, metaDeviceName, []byte(names[i])) })
		if err != nil {
			t.Fatal(err)
		}
		if err := w.admin.AuditSyncConnected(ctxb, "server.example:8443"); err != nil {
			t.Fatal(err)
		}
	}
	c.syncAll(t)
}

// TestConflictContext: the Conflicts screen says which record a conflict
// concerns ("Allergy: Quillwort pollen") and names each workstation by the
// name it enrolled under; the chart's markers find the records of one
// patient with open conflicts, for the roles that may read them.
func TestConflictContext(t *testing.T) {
	c := newResolveClinic(t, 2)
	c.nameWorkstations(t, "Front desk", "Home visit laptop")
	p := c.patient.ID
	allergy := must(c.doc[0].SaveAllergy(ctxb, sampleAllergy(p, "Quillwort pollen")))(t)
	med := must(c.doc[0].SaveMedication(ctxb, sampleMed(p, "Metformin"), ""))(t)
	other := register(t, c.ws[0].admin, samplePatient("Otto", "Other"))
	c.syncAll(t)
	for i, d := range c.doc {
		a := must(d.Allergies(ctxb, p))(t)[0]
		a.Reaction = fmt.Sprintf("hives %d", i)
		must(d.SaveAllergy(ctxb, a))(t)
		m := must(d.Medications(ctxb, p))(t)[0]
		m.Frequency = fmt.Sprintf("%d times a day", i+2)
		must(d.SaveMedication(ctxb, m, ""))(t)
	}
	c.phoneConflict(t)

	labels := map[string]string{}
	for _, cf := range conflictsOf(t, c.doc[0]) {
		labels[cf.Kind+"/"+cf.Field] = cf.RecordLabel
		devices := []string{cf.Shown.DeviceName}
		for _, o := range cf.Others {
			devices = append(devices, o.DeviceName)
		}
		slices.Sort(devices)
		if fmt.Sprint(devices) != "[Front desk Home visit laptop]" {
			t.Errorf("%s %s names workstations %v, want Front desk and Home visit laptop", cf.Kind, cf.Field, devices)
		}
	}
	want := map[string]string{
		"allergy/reaction":     "Allergy: Quillwort pollen",
		"medication/frequency": "Medication: Metformin 500 mg",
		"patient/phone":        "Demographics",
	}
	if fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Fatalf("record labels %v, want %v", labels, want)
	}

	// The chart's markers: the clinician sees all three records, the front
	// desk only the demographics; another patient's chart has none.
	marks := func(s *Session, id chart.PatientID) string {
		var out []string
		for _, m := range must(s.PatientConflicts(ctxb, id))(t) {
			out = append(out, m.Kind+":"+m.RecordID+":"+strings.Join(m.Fields, ","))
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}
	wantMarks := []string{"allergy:" + string(allergy.ID) + ":reaction", "medication:" + string(med.ID) + ":frequency",
		"patient:" + string(p) + ":phone"}
	slices.Sort(wantMarks)
	if got := marks(c.doc[1], p); got != strings.Join(wantMarks, " ") {
		t.Fatalf("clinician's marks %q, want %q", got, strings.Join(wantMarks, " "))
	}
	if got := marks(c.desk[1], p); got != "patient:"+string(p)+":phone" {
		t.Fatalf("front desk's marks %q, want the demographics only", got)
	}
	if got := marks(c.doc[0], other.ID); got != "" {
		t.Fatalf("another patient's chart is marked %q", got)
	}
	// Settled, the mark goes.
	cf := conflictsOf(t, c.doc[0])
	for _, x := range cf {
		if x.Kind == chart.KindAllergy {
			must(0, c.doc[0].ResolveConflict(ctxb, chart.Resolution{RecordID: x.RecordID, Kind: x.Kind, Field: x.Field,
				Choice: chart.ResolveKeepShown}))(t)
		}
	}
	if got := marks(c.doc[0], p); strings.Contains(got, "allergy") {
		t.Fatalf("a resolved conflict is still marked: %q", got)
	}
}

// TestConflictRecordLabels: each kind says what its record is, and a
// record this workstation cannot open is named by its kind alone.
func TestConflictRecordLabels(t *testing.T) {
	c := newResolveClinic(t, 1)
	doc := c.doc[0]
	p := c.patient.ID
	names := newConflictNames(doc, doc.w.db)
	label := func(kind string, id chart.RecordID) string {
		return must(names.record(ctxb, kind, string(id)))(t)
	}
	n := sampleNote(p, "", "Feeling better.")
	n.Title = "Progress note"
	note := must(doc.SaveNoteDraft(ctxb, n))(t)
	day := chart.ShortDate(note.CreatedAt.Local().Year(), int(note.CreatedAt.Local().Month()), note.CreatedAt.Local().Day())
	if got := label(chart.KindNote, note.ID); got != "Note: Progress note · "+day {
		t.Errorf("note label %q", got)
	}
	long := sampleAllergy(p, strings.Repeat("Pollen of the quillwort ", 5))
	a := must(doc.SaveAllergy(ctxb, long))(t)
	if got := label(chart.KindAllergy, a.ID); len([]rune(got)) != len("Allergy: ")+maxLabelDetail || !strings.HasSuffix(got, "…") {
		t.Errorf("long label %q is not cut short", got)
	}
	if got := label(chart.KindAllergy, chart.NewRecordID()); got != "Allergy" {
		t.Errorf("a record not held here is labelled %q, want the kind alone", got)
	}
	// Altered on disk: the kind alone, and no error (the conflict still lists).
	if _, err := doc.w.db.Exec(`UPDATE records SET sealed = x'00' || sealed WHERE id = ?`, string(a.ID)); err != nil {
		t.Fatal(err)
	}
	if got := label(chart.KindAllergy, a.ID); got != "Allergy" {
		t.Errorf("a damaged record is labelled %q, want the kind alone", got)
	}
}
