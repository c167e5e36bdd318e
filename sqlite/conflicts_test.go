package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"outpost/chart"
)

const frontDeskPass = "front desk passphrase 1"

// resolveClinic is n workstations of one practice (same server), each with
// the administrator, a clinician and a front-desk user signed in.
type resolveClinic struct {
	server  *practiceServer
	ws      []syncingWorkstation
	doc     []*Session
	desk    []*Session
	patient chart.Patient
}

func newResolveClinic(t *testing.T, n int) *resolveClinic {
	t.Helper()
	c := &resolveClinic{server: newPracticeServer(t)}
	first := newFixture(t)
	first.addUser(t, first.admin, "cleo", chart.RoleClinician, clinicianPass)
	first.addUser(t, first.admin, "fred", chart.RoleFrontDesk, frontDeskPass)
	for i := range n {
		f := first
		if i > 0 {
			f = joinPractice(t, first)
		}
		c.ws = append(c.ws, syncingWorkstation{f, c.server.enroll(t, f.admin)})
		c.doc = append(c.doc, f.signIn(t, "cleo", clinicianPass))
		c.desk = append(c.desk, f.signIn(t, "fred", frontDeskPass))
	}
	c.patient = register(t, first.admin, samplePatient("Philippa", "Quorndon"))
	c.syncAll(t)
	return c
}

// syncAll syncs every workstation, twice round, so all hold every change.
func (c *resolveClinic) syncAll(t *testing.T) {
	t.Helper()
	for range 2 {
		for _, w := range c.ws {
			w.sync(t)
		}
	}
}

// conflicts lists s's conflicts, failing the test on error.
func conflictsOf(t *testing.T, s *Session) []chart.RecordConflict {
	t.Helper()
	cs, err := s.Conflicts(ctxb)
	if err != nil {
		t.Fatalf("Conflicts: %v", err)
	}
	return cs
}

// allergyConflict charts an allergy on the first workstation, syncs, has
// each clinician change its reaction to reaction(i) at once, and syncs
// again: a conflict on the reaction. It returns the allergy as first saved.
func (c *resolveClinic) allergyConflict(t *testing.T, reaction func(i int) string) chart.Allergy {
	t.Helper()
	p := c.patient.ID
	allergy := must(c.doc[0].SaveAllergy(ctxb, sampleAllergy(p, "Quillwort pollen")))(t)
	c.syncAll(t)
	for i, d := range c.doc {
		a := must(d.Allergies(ctxb, p))(t)[0]
		a.Reaction = reaction(i)
		must(d.SaveAllergy(ctxb, a))(t)
	}
	c.syncAll(t)
	return allergy
}

// phoneConflict makes every workstation edit the patient's phone offline,
// syncs, and returns the conflict as workstation 0 lists it (the same on
// every workstation).
func (c *resolveClinic) phoneConflict(t *testing.T) chart.RecordConflict {
	t.Helper()
	for i, w := range c.ws {
		editPhone(t, w.admin, c.patient.ID, fmt.Sprintf("+1 555 0%d%d%d 000", i+1, i+1, i+1))
	}
	c.syncAll(t)
	var want []byte
	for i, w := range c.ws {
		cs := conflictsOf(t, w.admin)
		if len(cs) != 1 || cs[0].Field != "phone" || cs[0].Kind != kindPatient || len(cs[0].Others) != len(c.ws)-1 {
			t.Fatalf("ws%d conflicts %+v, want one on the phone with %d others", i, cs, len(c.ws)-1)
		}
		if cs[0].PatientName != "Philippa Quorndon" || cs[0].Shown.UserName != "Ada Administrator" || cs[0].Shown.At.IsZero() {
			t.Fatalf("ws%d conflict names %q / %q at %v", i, cs[0].PatientName, cs[0].Shown.UserName, cs[0].Shown.At)
		}
		got, _ := json.Marshal(cs)
		if i == 0 {
			want = got
		} else if string(got) != string(want) {
			t.Fatalf("ws%d lists %s\nws0 lists %s", i, got, want)
		}
	}
	return conflictsOf(t, c.ws[0].admin)[0]
}

// wantSettled checks no workstation lists a conflict and all show phone.
func (c *resolveClinic) wantSettled(t *testing.T, phone string) {
	t.Helper()
	var admins []*Session
	for _, w := range c.ws {
		admins = append(admins, w.admin)
	}
	c.wantSettledFor(t, phone, admins)
}

// wantSettledFor checks what sessions (one per workstation) show. Each
// session has its own patient index, kept by its own writes and syncs.
func (c *resolveClinic) wantSettledFor(t *testing.T, phone string, sessions []*Session) {
	t.Helper()
	for i, s := range sessions {
		if cs := conflictsOf(t, s); len(cs) != 0 {
			t.Fatalf("ws%d still lists %+v", i, cs)
		}
		p, err := s.OpenPatient(ctxb, c.patient.ID)
		if err != nil || p.Phone != phone {
			t.Fatalf("ws%d phone %q (%v), want %q", i, p.Phone, err, phone)
		}
		hits, err := s.SearchPatients(ctxb, "Quorndon", 5)
		if err != nil || len(hits) != 1 || hits[0].Phone != phone {
			t.Fatalf("ws%d index %+v (%v), want phone %q", i, hits, err, phone)
		}
	}
}

// recordChanges counts the versions of record id in the change log.
func recordChanges(t *testing.T, w *Workstation, id string) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(`SELECT count(*) FROM changes WHERE record_id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func phoneOf(t *testing.T, v chart.ConflictValue) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestResolvePatientConflict: two and three workstations make a phone
// conflict, one resolves it (each choice, on a workstation other than the
// one whose value is shown), all sync, and the conflict is gone everywhere
// with the chosen value shown everywhere.
func TestResolvePatientConflict(t *testing.T) {
	for _, tc := range []struct {
		n      int
		choice string
		other  int
	}{{2, chart.ResolveKeepShown, 0}, {2, chart.ResolveTakeOther, 0}, {2, chart.ResolveMerged, 0},
		{3, chart.ResolveTakeOther, 1}, {3, chart.ResolveKeepShown, 0}} {
		t.Run(fmt.Sprintf("%d-%s", tc.n, tc.choice), func(t *testing.T) {
			t.Parallel()
			c := newResolveClinic(t, tc.n)
			cf := c.phoneConflict(t)
			r := chart.Resolution{RecordID: cf.RecordID, Kind: cf.Kind, Field: cf.Field, Choice: tc.choice, OtherIndex: tc.other}
			want := phoneOf(t, cf.Shown)
			switch tc.choice {
			case chart.ResolveTakeOther:
				want = phoneOf(t, cf.Others[tc.other])
			case chart.ResolveMerged:
				want, r.Value = "+1 555 0999 999", json.RawMessage(`"+1 555 0999 999"`)
			}
			by := c.ws[tc.n-1]
			before := recordChanges(t, by.w, cf.RecordID)
			if err := by.admin.ResolveConflict(ctxb, r); err != nil {
				t.Fatalf("ResolveConflict: %v", err)
			}
			if got := recordChanges(t, by.w, cf.RecordID); got != before+1 {
				t.Fatalf("resolution wrote %d versions of the record, want 1", got-before)
			}
			if cs := conflictsOf(t, by.admin); len(cs) != 0 {
				t.Fatalf("resolver still lists %+v", cs)
			}
			c.syncAll(t)
			c.wantSettled(t, want)
			wantAuditDetail(t, by.admin, "resolved a sync conflict on phone ("+tc.choice+"): demographics version 3")
		})
	}
}

// TestResolveConcurrentEdit: while B resolves the conflict, A edits the
// same field again offline. Neither is lost: a new conflict holds both,
// listed identically on both workstations.
func TestResolveConcurrentEdit(t *testing.T) {
	c := newResolveClinic(t, 2)
	cf := c.phoneConflict(t)
	err := c.ws[1].admin.ResolveConflict(ctxb, chart.Resolution{RecordID: cf.RecordID, Kind: cf.Kind, Field: "phone",
		Choice: chart.ResolveMerged, Value: json.RawMessage(`"+1 555 0777 777"`)})
	if err != nil {
		t.Fatal(err)
	}
	editPhone(t, c.ws[0].admin, c.patient.ID, "+1 555 0888 888")
	c.syncAll(t)
	var first []byte
	for i, w := range c.ws {
		cs := conflictsOf(t, w.admin)
		if len(cs) != 1 || len(cs[0].Others) != 1 {
			t.Fatalf("ws%d conflicts %+v, want the resolution against the new edit", i, cs)
		}
		vals := []string{phoneOf(t, cs[0].Shown), phoneOf(t, cs[0].Others[0])}
		if !(vals[0] == "+1 555 0777 777" && vals[1] == "+1 555 0888 888" ||
			vals[1] == "+1 555 0777 777" && vals[0] == "+1 555 0888 888") {
			t.Fatalf("ws%d conflict values %v, want the resolution and the new edit", i, vals)
		}
		got, _ := json.Marshal(cs)
		if i == 0 {
			first = got
		} else if string(got) != string(first) {
			t.Fatalf("ws%d lists %s, ws0 %s", i, got, first)
		}
	}
	// Settling the new conflict settles it everywhere.
	cf = conflictsOf(t, c.ws[0].admin)[0]
	if err := c.ws[0].admin.ResolveConflict(ctxb, chart.Resolution{RecordID: cf.RecordID, Kind: cf.Kind, Field: "phone",
		Choice: chart.ResolveKeepShown}); err != nil {
		t.Fatal(err)
	}
	c.syncAll(t)
	c.wantSettled(t, phoneOf(t, cf.Shown))
}

// TestResolveRefusals: bad resolutions and roles are refused with a human
// error and nothing written.
func TestResolveRefusals(t *testing.T) {
	c := newResolveClinic(t, 2)
	cf := c.phoneConflict(t)
	ok := chart.Resolution{RecordID: cf.RecordID, Kind: cf.Kind, Field: "phone", Choice: chart.ResolveKeepShown}
	with := func(f func(r *chart.Resolution)) chart.Resolution { r := ok; f(&r); return r }
	s := c.ws[0].admin
	for _, tc := range []struct {
		name  string
		r     chart.Resolution
		code  string
		field string
	}{
		{"unknown kind", with(func(r *chart.Resolution) { r.Kind = "spaceship" }), chart.EINVALID, "kind"},
		{"bad choice", with(func(r *chart.Resolution) { r.Choice = "both" }), chart.EINVALID, "choice"},
		{"no such record", with(func(r *chart.Resolution) { r.RecordID = string(chart.NewPatientID()) }), chart.ENOTFOUND, ""},
		{"bad record id", with(func(r *chart.Resolution) { r.RecordID = "../x" }), chart.ENOTFOUND, ""},
		{"field not in conflict", with(func(r *chart.Resolution) { r.Field = "familyName" }), chart.ECONFLICT, ""},
		{"other out of range", with(func(r *chart.Resolution) { r.Choice, r.OtherIndex = chart.ResolveTakeOther, 1 }), chart.EINVALID, "otherIndex"},
		{"negative other", with(func(r *chart.Resolution) { r.Choice, r.OtherIndex = chart.ResolveTakeOther, -1 }), chart.EINVALID, "otherIndex"},
		{"merged not JSON", with(func(r *chart.Resolution) { r.Choice, r.Value = chart.ResolveMerged, json.RawMessage(`"+1 555`) }), chart.EINVALID, "value"},
		{"merged empty", with(func(r *chart.Resolution) { r.Choice = chart.ResolveMerged }), chart.EINVALID, "value"},
		{"merged blank, not confirmed", with(func(r *chart.Resolution) { r.Choice, r.Value = chart.ResolveMerged, json.RawMessage(`"  "`) }),
			chart.EINVALID, "confirmEmpty"},
		{"merged wrong type", with(func(r *chart.Resolution) { r.Choice, r.Value = chart.ResolveMerged, json.RawMessage(`5550100`) }), chart.EINVALID, "value"},
		{"merged invalid phone", with(func(r *chart.Resolution) {
			r.Choice, r.Value = chart.ResolveMerged, json.RawMessage(`"`+strings.Repeat("9", 500)+`"`)
		}), chart.EINVALID, "phone"},
		{"addendum on a patient", with(func(r *chart.Resolution) { r.Choice = chart.ResolveAddendum }), chart.EINVALID, "choice"},
	} {
		before := tableCounts(t, s.w)
		err := s.ResolveConflict(ctxb, tc.r)
		wantErr(t, err, tc.code, tc.field)
		if after := tableCounts(t, s.w); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("%s: tables %v -> %v, want nothing written", tc.name, before, after)
		}
	}
	if cs := conflictsOf(t, s); len(cs) != 1 {
		t.Fatalf("after refusals the conflict list is %+v, want the conflict still open", cs)
	}
}

// TestResolveRoles: the front desk sees and resolves demographics conflicts
// but neither sees nor resolves clinical ones; the administrator (no
// clinical access) neither; the clinician does both.
func TestResolveRoles(t *testing.T) {
	c := newResolveClinic(t, 2)
	p := c.patient.ID
	allergy := c.allergyConflict(t, func(i int) string { return fmt.Sprintf("hives %d", i) })
	if cs := conflictsOf(t, c.desk[0]); len(cs) != 0 {
		t.Fatalf("front desk lists clinical conflicts %+v", cs)
	}
	// The sync strip's count follows the role too (it once counted every
	// conflict for the front desk).
	for role, want := range map[chart.Role]int{chart.RoleFrontDesk: 0, chart.RoleAdministrator: 0, chart.RoleClinician: 1,
		chart.RoleNurse: 1} {
		if n, err := c.ws[0].w.OpenConflicts(ctxb, role); err != nil || n != want {
			t.Fatalf("strip count for %s = %d, %v; want %d", role, n, err, want)
		}
	}
	if cs := conflictsOf(t, c.ws[0].admin); len(cs) != 0 {
		t.Fatalf("administrator lists clinical conflicts %+v", cs)
	}
	cs := conflictsOf(t, c.doc[1])
	if len(cs) != 1 || cs[0].Kind != chart.KindAllergy || cs[0].Field != "reaction" || cs[0].RecordID != string(allergy.ID) {
		t.Fatalf("clinician lists %+v, want the allergy reaction", cs)
	}
	r := chart.Resolution{RecordID: cs[0].RecordID, Kind: cs[0].Kind, Field: "reaction", Choice: chart.ResolveTakeOther}
	for _, s := range []*Session{c.desk[1], c.ws[1].admin} {
		before := tableCounts(t, s.w)
		wantErr(t, s.ResolveConflict(ctxb, r), chart.EFORBIDDEN, "")
		if after := tableCounts(t, s.w); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("a refused resolution wrote: %v -> %v", before, after)
		}
	}
	want := string(cs[0].Others[0].Value)
	if err := c.doc[1].ResolveConflict(ctxb, r); err != nil {
		t.Fatal(err)
	}
	c.syncAll(t)
	for i, d := range c.doc {
		if cs := conflictsOf(t, d); len(cs) != 0 {
			t.Fatalf("ws%d still lists %+v", i, cs)
		}
		if a := must(d.Allergies(ctxb, p))(t)[0]; `"`+a.Reaction+`"` != want {
			t.Fatalf("ws%d reaction %q, want %s", i, a.Reaction, want)
		}
	}
	// The front desk settles a demographics conflict.
	cf := c.phoneConflict(t)
	if err := c.desk[0].ResolveConflict(ctxb, chart.Resolution{RecordID: cf.RecordID, Kind: kindPatient, Field: "phone",
		Choice: chart.ResolveTakeOther}); err != nil {
		t.Fatal(err)
	}
	c.syncAll(t)
	c.wantSettledFor(t, phoneOf(t, cf.Others[0]), []*Session{c.desk[0], c.ws[1].admin})
}

// TestConflictsAudited: each listing is one audit entry, however many
// conflicts it shows.
func TestConflictsAudited(t *testing.T) {
	c := newResolveClinic(t, 2)
	c.phoneConflict(t) // lists on each workstation once
	s := c.ws[0].admin
	before := auditCount(t, s.w, chart.AuditChartOpen, "", "")
	conflictsOf(t, s)
	if got := auditCount(t, s.w, chart.AuditChartOpen, "", ""); got != before+1 {
		t.Fatalf("listing conflicts added %d audit entries, want 1", got-before)
	}
	entries, err := s.Audit(ctxb, chart.AuditFilter{Action: chart.AuditChartOpen})
	if err != nil || len(entries) == 0 || entries[0].Detail != "reviewed sync conflicts: 1 shown" || entries[0].UserID != s.user.ID {
		t.Fatalf("latest chart-open audit entries %+v (%v), want the listing", entries, err)
	}
}

// signedConflict: A signs a draft while B edits it offline; after syncing
// both list B's edit against the signed note.
func (c *resolveClinic) signedConflict(t *testing.T, text string) chart.RecordConflict {
	t.Helper()
	p := c.patient.ID
	enc := must(c.doc[0].SaveEncounter(ctxb, sampleEncounter(p)))(t)
	draft := must(c.doc[0].SaveNoteDraft(ctxb, sampleNote(p, enc.ID, "Wheeze on exertion")))(t)
	c.syncAll(t)
	must(c.doc[0].SignNote(ctxb, draft.ID, draft.Version))(t)
	edit := must(c.doc[1].Note(ctxb, draft.ID))(t)
	edit.Sections[0].Text = text
	must(c.doc[1].SaveNoteDraft(ctxb, edit))(t)
	c.syncAll(t)
	for i, d := range c.doc {
		cs := conflictsOf(t, d)
		if len(cs) != 1 || !cs[0].AgainstSigned || cs[0].Field != "sections" || !strings.Contains(string(cs[0].Others[0].Value), text) {
			t.Fatalf("ws%d conflicts %+v, want the edit against the signed note", i, cs)
		}
	}
	return conflictsOf(t, c.doc[0])[0]
}

// TestResolveAgainstSigned: such a conflict cannot be applied; it is
// dismissed, or kept as an unsigned addendum, and either syncs.
func TestResolveAgainstSigned(t *testing.T) {
	t.Run("dismiss", func(t *testing.T) {
		t.Parallel()
		c := newResolveClinic(t, 2)
		cf := c.signedConflict(t, "Crackles left base")
		r := chart.Resolution{RecordID: cf.RecordID, Kind: chart.KindNote, Field: "sections"}
		for _, choice := range []string{chart.ResolveTakeOther, chart.ResolveMerged} {
			r.Choice, r.Value = choice, json.RawMessage(`[]`)
			before := tableCounts(t, c.ws[1].w)
			wantErr(t, c.doc[1].ResolveConflict(ctxb, r), chart.EINVALID, "choice")
			if after := tableCounts(t, c.ws[1].w); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Fatalf("refused %s wrote: %v -> %v", choice, before, after)
			}
		}
		r.Choice, r.Value = chart.ResolveKeepShown, nil
		if err := c.doc[1].ResolveConflict(ctxb, r); err != nil {
			t.Fatal(err)
		}
		c.syncAll(t)
		for i, d := range c.doc {
			if cs := conflictsOf(t, d); len(cs) != 0 {
				t.Fatalf("ws%d still lists %+v after the dismissal synced", i, cs)
			}
			if n := must(d.Note(ctxb, chart.RecordID(cf.RecordID)))(t); !n.Signed() || n.Sections[0].Text != "Wheeze on exertion" {
				t.Fatalf("ws%d note %+v, want the signed content", i, n)
			}
		}
		wantErr(t, c.doc[0].ResolveConflict(ctxb, r), chart.ECONFLICT, "")
	})
	t.Run("addendum", func(t *testing.T) {
		t.Parallel()
		c := newResolveClinic(t, 2)
		cf := c.signedConflict(t, "Crackles right base")
		r := chart.Resolution{RecordID: cf.RecordID, Kind: chart.KindNote, Field: "sections", Choice: chart.ResolveAddendum}
		if err := c.doc[0].ResolveConflict(ctxb, r); err != nil {
			t.Fatal(err)
		}
		c.syncAll(t)
		for i, d := range c.doc {
			if cs := conflictsOf(t, d); len(cs) != 0 {
				t.Fatalf("ws%d still lists %+v", i, cs)
			}
			var addenda []chart.Note
			for _, n := range must(d.Notes(ctxb, c.patient.ID))(t) {
				if n.AddendumTo == chart.RecordID(cf.RecordID) {
					addenda = append(addenda, n)
				}
			}
			if len(addenda) != 1 || addenda[0].Signed() || !strings.Contains(addenda[0].Sections[0].Text, "Crackles right base") {
				t.Fatalf("ws%d addenda %+v, want one unsigned addendum with the refused text", i, addenda)
			}
		}
	})
}

// TestEditOverHeads: a local edit of a record with several heads names
// every head as parent. Editing another field leaves the conflict open on
// every workstation; editing the conflicting field closes it everywhere.
func TestEditOverHeads(t *testing.T) {
	c := newResolveClinic(t, 2)
	cf := c.phoneConflict(t)
	a, b := c.ws[0].admin, c.ws[1].admin
	p := must(a.OpenPatient(ctxb, c.patient.ID))(t)
	p.PreferredName = "Pippa"
	must(a.UpdatePatient(ctxb, p))(t)
	var parents string
	err := a.w.db.QueryRow(`SELECT parents FROM changes WHERE record_id = ? ORDER BY seq DESC LIMIT 1`, cf.RecordID).Scan(&parents)
	if err != nil || strings.Count(parents, ",") != 1 {
		t.Fatalf("edit over two heads has parents %s (%v), want both heads", parents, err)
	}
	if cs := conflictsOf(t, a); len(cs) != 1 || cs[0].Field != "phone" {
		t.Fatalf("after editing another field A lists %+v, want the phone conflict still open", cs)
	}
	c.syncAll(t)
	for i, s := range []*Session{a, b} {
		if cs := conflictsOf(t, s); len(cs) != 1 || cs[0].Field != "phone" {
			t.Fatalf("ws%d lists %+v, want the phone conflict still open", i, cs)
		}
	}
	editPhone(t, b, c.patient.ID, "+1 555 0444 444")
	if cs := conflictsOf(t, b); len(cs) != 0 {
		t.Fatalf("after editing the phone B lists %+v, want none", cs)
	}
	c.syncAll(t)
	c.wantSettled(t, "+1 555 0444 444")
	if got := must(a.OpenPatient(ctxb, c.patient.ID))(t); got.PreferredName != "Pippa" {
		t.Fatalf("preferred name %q, want A's edit kept", got.PreferredName)
	}
}

// TestResolveTemplateConflict: a practice template renamed on two
// workstations is listed (without a patient) to those who write notes, and
// a merged name settles it everywhere.
func TestResolveTemplateConflict(t *testing.T) {
	c := newResolveClinic(t, 2)
	tm := must(c.doc[0].SaveTemplate(ctxb, chart.Template{Name: "Wound check", Kind: chart.NoteNursing,
		Sections: []chart.TemplateSection{{Key: "wound", Label: "Wound"}}}))(t)
	c.syncAll(t)
	for i, d := range c.doc {
		tm.Name = fmt.Sprintf("Wound check %d", i)
		must(d.SaveTemplate(ctxb, tm))(t)
	}
	c.syncAll(t)
	if cs := conflictsOf(t, c.desk[0]); len(cs) != 0 {
		t.Fatalf("front desk lists template conflicts %+v", cs)
	}
	cs := conflictsOf(t, c.doc[1])
	if len(cs) != 1 || cs[0].Kind != chart.KindTemplate || cs[0].Field != "name" || cs[0].PatientName != "" {
		t.Fatalf("clinician lists %+v, want the template name", cs)
	}
	if err := c.doc[1].ResolveConflict(ctxb, chart.Resolution{RecordID: tm.ID, Kind: chart.KindTemplate, Field: "name",
		Choice: chart.ResolveMerged, Value: json.RawMessage(`"Wound review"`)}); err != nil {
		t.Fatal(err)
	}
	c.syncAll(t)
	for i, d := range c.doc {
		if cs := conflictsOf(t, d); len(cs) != 0 {
			t.Fatalf("ws%d still lists %+v", i, cs)
		}
		list := must(d.Templates(ctxb))(t)
		if got := list[len(list)-1]; got.ID != tm.ID || got.Name != "Wound review" {
			t.Fatalf("ws%d template %+v, want the merged name", i, got)
		}
	}
}

// TestEmptyMergeNeedsConfirmation: a merged value that says nothing would
// clear the field everywhere (it once erased an allergy's reaction): it is
// refused, writing nothing, unless the reviewer confirms the clearing.
func TestEmptyMergeNeedsConfirmation(t *testing.T) {
	c := newResolveClinic(t, 2)
	p := c.patient.ID
	allergy := c.allergyConflict(t, func(i int) string { return []string{"wheeze", "anaphylaxis"}[i] })
	r := chart.Resolution{RecordID: string(allergy.ID), Kind: chart.KindAllergy, Field: "reaction",
		Choice: chart.ResolveMerged, Value: json.RawMessage(`""`)}
	before := tableCounts(t, c.doc[0].w)
	wantErr(t, c.doc[0].ResolveConflict(ctxb, r), chart.EINVALID, "confirmEmpty")
	if after := tableCounts(t, c.doc[0].w); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("a refused empty merge wrote: %v -> %v", before, after)
	}
	if cs := conflictsOf(t, c.doc[0]); len(cs) != 1 {
		t.Fatalf("conflict gone after a refused merge: %+v", cs)
	}
	r.ConfirmEmpty = true
	if err := c.doc[0].ResolveConflict(ctxb, r); err != nil {
		t.Fatal(err)
	}
	c.syncAll(t)
	for i, d := range c.doc {
		if a := must(d.Allergies(ctxb, p))(t)[0]; a.Reaction != "" || len(conflictsOf(t, d)) != 0 {
			t.Fatalf("ws%d reaction %q after a confirmed clearing", i, a.Reaction)
		}
	}
}
