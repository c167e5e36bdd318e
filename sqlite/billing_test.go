package sqlite

import (
	"testing"

	"outpost/chart"
)

// A made-up code: Outpost ships no codes (CPT is licensed).
var madeUpVisit = chart.ServiceCode{Code: "xmpl-visit", Description: "Example office visit (made up)", FeeCents: 7550, Active: true}

// TestBillingBasics: the fee schedule starts empty and only administrators
// edit it; it syncs; a superbill bills one encounter (one per encounter),
// totals its lines, and the day's totals add it up per code for clinical
// roles and administrators, never the front desk.
func TestBillingBasics(t *testing.T) {
	c := newTaskClinic(t)
	if codes := must(c.cleoA.ServiceCodes(ctxb))(t); len(codes) != 0 {
		t.Fatalf("a new practice has codes %+v; Outpost must ship none", codes)
	}
	_, err := c.cleoA.SaveServiceCode(ctxb, madeUpVisit)
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.a.admin.SaveServiceCode(ctxb, chart.ServiceCode{Code: "bad code!", Description: "x", FeeCents: -1})
	wantErr(t, err, chart.EINVALID, "")
	code := must(c.a.admin.SaveServiceCode(ctxb, madeUpVisit))(t)
	if code.Code != "XMPL-VISIT" || code.Version != 1 {
		t.Fatalf("saved code %+v", code)
	}
	c.a.sync(t)
	c.b.sync(t)
	if got := must(c.ninaB.ServiceCodes(ctxb))(t); len(got) != 1 || got[0].FeeCents != 7550 {
		t.Fatalf("B's codes after sync %+v", got)
	}

	p := c.patient.ID
	enc := sampleEncounter(p)
	enc.Diagnoses = []chart.Coded{{System: chart.SystemICD10CM, Code: "J02.9", Display: "Acute pharyngitis, unspecified"}}
	enc = must(c.cleoA.SaveEncounter(ctxb, enc))(t)
	bill := chart.Superbill{Meta: chart.Meta{PatientID: p}, EncounterID: enc.ID, Date: "2026-11-23", Diagnoses: enc.Diagnoses,
		Lines: []chart.SuperbillLine{{Code: code.Code, Description: code.Description, FeeCents: code.FeeCents, Units: 2}}}
	before := tableCounts(t, c.a.w)
	bad := bill
	bad.Lines = []chart.SuperbillLine{{Code: code.Code, FeeCents: 100, Units: 0}}
	_, err = c.cleoA.SaveSuperbill(ctxb, bad)
	wantErr(t, err, chart.EINVALID, "lines")
	if after := tableCounts(t, c.a.w); after["records"] != before["records"] {
		t.Fatalf("a refused superbill wrote a record")
	}
	saved := must(c.cleoA.SaveSuperbill(ctxb, bill))(t)
	if saved.TotalCents != 15100 {
		t.Fatalf("total = %d, want 2 × 7550", saved.TotalCents)
	}
	_, err = c.cleoA.SaveSuperbill(ctxb, bill)
	wantErr(t, err, chart.ECONFLICT, "")

	for who, s := range map[string]*Session{"clinician": c.cleoA, "administrator": c.a.admin} {
		day := must(s.DayTotals(ctxb, "2026-11-23"))(t)
		if day.Superbills != 1 || day.TotalCents != 15100 || len(day.ByCode) != 1 || day.ByCode[0].Units != 2 {
			t.Fatalf("%s's day totals %+v", who, day)
		}
	}
	if day := must(c.cleoA.DayTotals(ctxb, "2026-11-24"))(t); day.Superbills != 0 || day.TotalCents != 0 {
		t.Fatalf("another day's totals %+v", day)
	}
	_, err = c.franA.DayTotals(ctxb, "2026-11-23")
	wantErr(t, err, chart.EFORBIDDEN, "")
	_, err = c.franA.Superbills(ctxb, p)
	wantErr(t, err, chart.EFORBIDDEN, "")

	c.a.sync(t)
	c.b.sync(t)
	if got := must(c.ninaB.Superbills(ctxb, p))(t); len(got) != 1 || got[0].TotalCents != 15100 {
		t.Fatalf("B's superbills after sync %+v", got)
	}
}
