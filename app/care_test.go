package app_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"outpost/app"
	"outpost/chart"
	"outpost/chart/care"
)

// careApp is a practice with a clinician signed in and a woman of 50
// never screened: the practice's own chart, through the bound methods.
func careApp(t *testing.T) (*app.App, chart.Patient) {
	t.Helper()
	return careAppWith(t, app.Options{Events: &recorder{}})
}

func careAppWith(t *testing.T, opts app.Options) (*app.App, chart.Patient) {
	t.Helper()
	a := clinicianApp(t, opts)
	birth := time.Now().AddDate(-50, 0, -10).Format(time.DateOnly)
	p, err := a.Patients.Register(chart.Patient{GivenName: "Aroha", FamilyName: "Ngata", BirthDate: birth, Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	return a, p
}

func dueItem(t *testing.T, a *app.App, p chart.Patient, rule string) chart.DueItem {
	t.Helper()
	items, err := a.Care.Due(string(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.RuleID == rule {
			return it
		}
	}
	t.Fatalf("no %s among %d items", rule, len(items))
	return chart.DueItem{}
}

func TestCareDueDecideAndRecall(t *testing.T) {
	a, p := careApp(t)
	if it := dueItem(t, a, p, "uspstf-breast"); it.Status != chart.CareOverdue {
		t.Fatalf("never screened at 50: %+v", it)
	}
	list, err := a.Care.Recalls(care.RecallFilter{Status: care.RecallOverdue})
	if err != nil || len(list.Rows) != 1 || list.Rows[0].PatientID != p.ID || list.Total != 1 {
		t.Fatalf("overdue recall list %+v: %v", list, err)
	}
	lastWeek := time.Now().AddDate(0, 0, -7).Format(time.DateOnly)
	if _, err := a.Care.Decide(chart.CareDecision{Meta: chart.Meta{PatientID: p.ID}, RuleID: "uspstf-breast",
		Decision: chart.DecisionDoneElsewhere, Date: lastWeek, Reason: "Mobile breast screening unit"}); err != nil {
		t.Fatal(err)
	}
	if it := dueItem(t, a, p, "uspstf-breast"); it.Status != chart.CareUpToDate || it.LastDone != lastWeek {
		t.Fatalf("after done elsewhere: %+v", it)
	}
	dir := t.TempDir()
	saved, err := a.Care.ExportRecallsCSV(care.RecallFilter{}, dir)
	if err != nil || saved.Patients != 1 {
		t.Fatalf("export %+v: %v", saved, err)
	}
	csv, err := os.ReadFile(saved.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), "Aroha Ngata") || strings.Contains(string(csv), "Breast cancer screening") {
		t.Errorf("CSV lists the patient without the screening done elsewhere:\n%s", csv)
	}
	if _, err := a.Care.ExportRecallsCSV(care.RecallFilter{}, "relative/folder"); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("a relative folder: %v", err)
	}
	if _, err := a.Care.Recalls(care.RecallFilter{Status: "whenever"}); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("an unknown filter: %v", err)
	}
	pdf, err := a.Care.PrintRecalls(care.RecallFilter{Status: care.RecallOverdue})
	if err != nil || !strings.HasPrefix(string(pdf.PDF), "%PDF") {
		t.Fatalf("print: %v", err)
	}
}

func TestCareRegistry(t *testing.T) {
	a, p := careApp(t)
	if _, err := a.Chart.SaveProblem(chart.Problem{Meta: chart.Meta{PatientID: p.ID}, Status: chart.ProblemActive,
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "E11.9", Display: "Type 2 diabetes mellitus without complications"}}); err != nil {
		t.Fatal(err)
	}
	list, err := a.Care.Registry("diabetes")
	if err != nil || len(list.Rows) != 1 || !list.Rows[0].Attention || list.Settings.A1cMonths != 6 {
		t.Fatalf("diabetes registry %+v: %v", list, err)
	}
	if list, err := a.Care.Registry("hypertension"); err != nil || len(list.Rows) != 0 {
		t.Fatalf("hypertension registry %+v: %v", list, err)
	}
	if _, err := a.Care.Registry("gout"); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("an unknown registry: %v", err)
	}
	// The targets are the practice's: a clinician may not change them.
	if _, err := a.Admin.SetRegistryTargets(chart.RegistryTargets{A1cMonths: 12, A1cTarget: 7, Systolic: 130, Diastolic: 80}); chart.ErrorCode(err) != chart.EFORBIDDEN {
		t.Errorf("a clinician set the registry targets: %v", err)
	}
}

// TestRecallLimit: a screen shows the first patients, longest due first,
// and says how many there are; only those shown are audited as listed.
func TestRecallLimit(t *testing.T) {
	a, _ := careApp(t)
	older, err := a.Patients.Register(chart.Patient{GivenName: "Wiremu", FamilyName: "Tane", BirthDate: "1950-01-02", Sex: chart.SexMale})
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.Care.Recalls(care.RecallFilter{Status: care.RecallOverdue, Limit: 1})
	if err != nil || list.Total != 2 || len(list.Rows) != 1 || list.Rows[0].PatientID != older.ID {
		t.Fatalf("limited list %+v: %v", list, err)
	}
	if _, err := a.Care.Recalls(care.RecallFilter{Limit: care.MaxRecallLimit + 1}); chart.ErrorCode(err) != chart.EINVALID {
		t.Errorf("a limit over the maximum: %v", err)
	}
}

// TestCareDueCarriesTheImmunizationForecast: the CDSi forecast is one of
// the engines of "Due", and a clinician's decision on a vaccine counts as
// it does on a screening.
func TestCareDueCarriesTheImmunizationForecast(t *testing.T) {
	a, _ := careApp(t)
	birth := time.Now().AddDate(-2, 0, -10).Format(time.DateOnly)
	child, err := a.Patients.Register(chart.Patient{GivenName: "Mere", FamilyName: "Ngata", BirthDate: birth, Sex: chart.SexFemale})
	if err != nil {
		t.Fatal(err)
	}
	mmr := dueItem(t, a, child, "cdsi-mmr")
	if mmr.Status != chart.CareOverdue || mmr.Category != "immunization" || !strings.Contains(mmr.Source, "CDC") {
		t.Fatalf("an unvaccinated 2-year-old's MMR: %+v", mmr)
	}
	if _, err := a.Care.Decide(chart.CareDecision{Meta: chart.Meta{PatientID: child.ID}, RuleID: "cdsi-mmr",
		Decision: chart.DecisionDeclined, Reason: "Parents want to discuss at the next visit"}); err != nil {
		t.Fatal(err)
	}
	if it := dueItem(t, a, child, "cdsi-mmr"); it.Status != chart.CareDeclined || it.Decision == nil {
		t.Fatalf("after the parents declined: %+v", it)
	}
}

// TestInboxRecallsOnlyForWhoMayReadCharts: the administrator's inbox asks
// for no recall count (counting reads every chart, which the role may not),
// the clinician's does.
func TestInboxRecallsOnlyForWhoMayReadCharts(t *testing.T) {
	asked := 0
	a, _ := practiceApp(t, app.Options{Events: &recorder{}, Recalls: func(context.Context, chart.Session) (int, error) {
		asked++
		return 7, nil
	}})
	if c, err := a.Worklist.Counts(); err != nil || c.Recalls != 0 || asked != 0 {
		t.Fatalf("administrator's inbox: %d recalls, counter asked %d times (%v); want 0, 0", c.Recalls, asked, err)
	}
	signIn(t, a, "sam")
	if c, err := a.Worklist.Counts(); err != nil || c.Recalls != 7 || asked != 1 {
		t.Fatalf("clinician's inbox: %d recalls, counter asked %d times (%v); want 7, 1", c.Recalls, asked, err)
	}
}

// TestInboxCountsRecallsDue: the inbox's recall counter (main.go wires
// app.RecallsDue) counts the patient never screened, in the background,
// and never for the front desk.
func TestInboxCountsRecallsDue(t *testing.T) {
	a, _ := careAppWith(t, app.Options{Events: &recorder{}, Recalls: app.RecallsDue()})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := a.Worklist.Counts()
		if err != nil {
			t.Fatal(err)
		}
		if c.Recalls == 1 {
			break
		}
		if c.Recalls > 1 || time.Now().After(deadline) {
			t.Fatalf("recalls due in the inbox: %d, want 1", c.Recalls)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
