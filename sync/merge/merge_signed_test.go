package merge

import (
	"slices"
	"testing"

	"outpost/chart"
)

var draft = mv("n0", 10, "", "kind", `"clinical"`, "title", `"Visit"`,
	"sections", `[{"key":"S","text":"cough"}]`)

const (
	sigA = `{"signerId":"dr-a","contentHash":"aa"}`
	sigB = `{"signerId":"dr-b","contentHash":"bb"}`
)

func expectSignedContent(t *testing.T, r Result, signed Version) {
	t.Helper()
	if !r.Signed || r.SignedChangeID != signed.ChangeID {
		t.Fatalf("signed = %v by %q, want signed by %s", r.Signed, r.SignedChangeID, signed.ChangeID)
	}
	for f, raw := range signed.Fields {
		if f != mergeFieldEnteredInError && !mergeBookkeeping[f] && field(t, r, f) != string(raw) {
			t.Fatalf("signed field %q shows %s, want %s", f, field(t, r, f), raw)
		}
	}
}

func TestMergeSignedNoteWinsOverConcurrentEdit(t *testing.T) {
	for _, tc := range []struct {
		name       string
		signAt     int64
		editAt     int64
		editParent string
	}{
		{"edit made later than the signing", 20, 30, "n0"},
		{"edit made earlier than the signing", 30, 20, "n0"},
		{"edit made on top of the signed note", 20, 30, "s1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := child(draft, "s1", tc.signAt, "n0", "signature", sigA)
			base := draft
			if tc.editParent == "s1" {
				base = s
			}
			e := child(base, "e1", tc.editAt, tc.editParent, "sections", `[{"key":"S","text":"cough, fever"}]`)
			r := mustMerge(t, draft, s, e)
			expectSignedContent(t, r, s)
			c := expectConflict(t, r, "sections", `s1=[{"key":"S","text":"cough"}]`, `e1=[{"key":"S","text":"cough, fever"}]`)
			if !c.AgainstSigned || len(r.Conflicts) != 1 {
				t.Fatalf("want one conflict against the signed note: %+v", r.Conflicts)
			}
		})
	}
}

func TestMergeSignedNoteCannotBeResolvedAway(t *testing.T) {
	s := child(draft, "s1", 20, "n0", "signature", sigA)
	e := child(draft, "e1", 30, "n0", "title", `"Edited"`)
	// Choosing the edit's value would alter the signed note: refused, kept.
	r := mustMerge(t, draft, s, e, child(s, "r1", 40, "s1,e1", "title", `"Edited"`))
	expectSignedContent(t, r, s)
	if c := expectConflict(t, r, "title", `s1="Visit"`, `r1="Edited"`); !c.AgainstSigned {
		t.Fatalf("not against signed: %+v", c)
	}
	// Keeping the signed content (the edit goes to an addendum) settles it.
	r = mustMerge(t, draft, s, e, resolving(child(s, "r1", 40, "s1,e1"), "title"))
	expectSignedContent(t, r, s)
	expectNoConflicts(t, r)
}

func TestMergeConcurrentSigningsKeepTheFirst(t *testing.T) {
	s1 := child(draft, "s1", 30, "n0", "signature", sigA)
	s2 := child(draft, "s2", 20, "n0", "signature", sigB, "title", `"Visit (B)"`)
	r := mustMerge(t, draft, s1, s2)
	expectSignedContent(t, r, s2)
	for f, want := range map[string]string{"signature": `s1=` + sigA, "title": `s1="Visit"`} {
		if c := expectConflict(t, r, f, "s2="+string(s2.Fields[f]), want); !c.AgainstSigned {
			t.Fatalf("%s conflict not against signed", f)
		}
	}
}

func TestMergeSigningAnOpenConflictSettlesIt(t *testing.T) {
	b := child(draft, "b1", 20, "n0", "title", `"B"`)
	c := child(draft, "c1", 30, "n0", "title", `"C"`)
	s := child(c, "s1", 40, "b1,c1", "signature", sigA) // the signer saw "C"
	r := mustMerge(t, draft, b, c, s)
	expectSignedContent(t, r, s)
	expectNoConflicts(t, r)
}

func TestMergeEnteredInError(t *testing.T) {
	retraction := `{"by":"u1","reason":"wrong patient"}`
	t.Run("racing an edit", func(t *testing.T) {
		x := child(root, "x1", 20, "a0", "enteredInError", retraction)
		e := child(root, "e1", 30, "a0", "title", `"Later edit"`)
		r := mustMerge(t, root, x, e)
		if !r.EnteredInError || field(t, r, "enteredInError") != retraction || field(t, r, "title") != `"Later edit"` {
			t.Fatalf("result: %+v", r)
		}
		expectNoConflicts(t, r)
	})
	t.Run("two reasons", func(t *testing.T) {
		x := child(root, "x1", 20, "a0", "enteredInError", `{"reason":"duplicate"}`)
		y := child(root, "y1", 30, "a0", "enteredInError", retraction)
		expectConflict(t, mustMerge(t, root, x, y), "enteredInError", "y1="+retraction, `x1={"reason":"duplicate"}`)
	})
	t.Run("beats a later un-retraction", func(t *testing.T) {
		x := child(root, "x1", 20, "a0", "enteredInError", retraction)
		y := child(x, "y1", 30, "x1", "enteredInError", `{"reason":"old"}`)
		undo := child(x, "u1", 40, "x1", "enteredInError", `null`)
		r := mustMerge(t, root, x, y, undo)
		if !r.EnteredInError {
			t.Fatalf("not retracted: %+v", r)
		}
		expectConflict(t, r, "enteredInError", `y1={"reason":"old"}`, `u1=`)
	})
	t.Run("of a signed note racing an edit", func(t *testing.T) {
		s := child(draft, "s1", 20, "n0", "signature", sigA)
		x := child(s, "x1", 30, "s1", "enteredInError", retraction)
		e := child(draft, "e1", 25, "n0", "title", `"Edited"`)
		r := mustMerge(t, draft, s, x, e)
		expectSignedContent(t, r, s)
		if !r.EnteredInError || field(t, r, "enteredInError") != retraction {
			t.Fatalf("retraction lost: %+v", r)
		}
		if !slices.Equal(r.Heads, []chart.ChangeID{"e1", "x1"}) || len(r.Conflicts) != 1 || !r.Conflicts[0].AgainstSigned {
			t.Fatalf("result: %+v", r)
		}
	})
}
