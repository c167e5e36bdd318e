package app_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"outpost/app"
	"outpost/chart"
)

// referralChart sets up a practice with its phone, a clinician signed in,
// and a patient with a problem, an allergy, a medication and a signed
// note.
func referralChart(t *testing.T, d app.Dialogs) (*app.App, chart.Patient) {
	t.Helper()
	a, doc := practiceApp(t, app.Options{Events: &recorder{}, Dialogs: d})
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.Admin.SetPracticeContact(chart.PracticeContact{Address: "4 Hill Road\nHillside", Phone: "+1 555 300 4000"}))
	addUser(t, a, "Nell Nurse", "nell", chart.RoleNurse)
	must(a.Admin.SetUserCredentials(string(doc.ID), chart.Credentials{LicenceNumber: "HS-2231", NPI: "1234567893"}))
	signIn(t, a, "sam")
	p, err := a.Patients.Register(chart.Patient{GivenName: "Mara", FamilyName: "Lindqvist", BirthDate: "1961-04-09", Sex: chart.SexFemale})
	must(p, err)
	must(a.Chart.SaveProblem(chart.Problem{Meta: chart.Meta{PatientID: p.ID}, Status: chart.ProblemActive,
		Condition: chart.Coded{System: chart.SystemICD10CM, Code: "I20.9", Display: "Angina pectoris, unspecified"}}))
	must(a.Chart.SaveAllergy(chart.Allergy{Meta: chart.Meta{PatientID: p.ID}, Substance: chart.Coded{Display: "Penicillin"}, Type: "allergy", Reaction: "hives"}))
	must(a.Chart.SaveMedication(chart.Medication{Meta: chart.Meta{PatientID: p.ID}, Drug: chart.Coded{Display: "Aspirin 75 mg tablet"},
		Dose: "75", Unit: "mg", Route: "oral", Frequency: "once daily", Status: chart.MedActive, Source: chart.MedPatientReported}, ""))
	note, err := a.Chart.SaveNoteDraft(chart.Note{Meta: chart.Meta{PatientID: p.ID}, Kind: chart.NoteClinical, TemplateID: "builtin-acute-soap", Title: "Chest pain",
		Sections: []chart.NoteSection{{Key: "assessment", Label: "Assessment", Text: "Stable angina likely."},
			{Key: "plan", Label: "Plan", Text: "Refer to cardiology for a stress test."}}})
	must(note, err)
	must(a.Chart.SignNote(string(note.ID), note.Version))
	return a, p
}

func referralTo(p chart.Patient) chart.Referral {
	return chart.Referral{PatientID: p.ID, RecipientName: "Dr Kwame Mensah", RecipientOrganization: "Lakeview Cardiology",
		RecipientContact: "+1 555 777 1000", Reason: "Exertional chest pain for six weeks.", Question: "Is a stress test indicated?",
		// What the form sends as the referrer is ignored.
		Referrer: chart.Referrer{Name: "Someone Else", Phone: "000"}}
}

func TestReferralWritesTheLetterAndTheSummaryAndAuditsTheDisclosure(t *testing.T) {
	a, p := referralChart(t, nil)
	folder := t.TempDir()
	saved, err := a.Print.Refer(referralTo(p), folder)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^` + regexp.QuoteMeta(strings.ToLower(p.MRN)) + `-\d{4}-\d\d-\d\d-referral\.pdf$`)
	if filepath.Dir(saved.PDFPath) != folder || !name.MatchString(filepath.Base(saved.PDFPath)) ||
		saved.IPSPath != strings.TrimSuffix(saved.PDFPath, "-referral.pdf")+"-ips.json" || saved.Folder != folder {
		t.Fatalf("saved %+v, want <mrn>-<date>-referral.pdf and -ips.json side by side in %s", saved, folder)
	}
	if text := pdfText(t, saved.PDFPath); text != "" {
		for _, w := range []string{"Referral letter", "Dr Kwame Mensah", "Lakeview Cardiology", "Dr Sam Rivera", "HS-2231", "+1 555 300 4000",
			"Mara Lindqvist", p.MRN, "Exertional chest pain", "Is a stress test indicated?", "Angina pectoris", "PENICILLIN", "Aspirin 75 mg tablet",
			"Stable angina likely.", "Refer to cardiology for a stress test."} {
			if !strings.Contains(text, w) {
				t.Errorf("letter lacks %q", w)
			}
		}
		if strings.Contains(text, "Someone Else") {
			t.Error("the letter names the referrer the form sent")
		}
	}
	var ips struct {
		Type  string
		Entry []struct{ Resource map[string]any }
	}
	data, err := os.ReadFile(saved.IPSPath)
	if err != nil || json.Unmarshal(data, &ips) != nil || ips.Type != "document" || ips.Entry[0].Resource["resourceType"] != "Composition" {
		t.Fatalf("IPS: %v %s", err, data[:min(len(data), 200)])
	}
	log, err := auditAsAdmin(t, a, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "exported referral sent to Dr Kwame Mensah, Lakeview Cardiology") {
		t.Errorf("audit lacks the disclosure:\n%s", log)
	}
}

func TestReferralNeverReplacesAnEarlierOne(t *testing.T) {
	a, p := referralChart(t, nil)
	folder := t.TempDir()
	first, err := a.Print.Refer(referralTo(p), folder)
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Print.Refer(referralTo(p), folder)
	if err != nil {
		t.Fatal(err)
	}
	if second.PDFPath == first.PDFPath || !strings.HasSuffix(second.PDFPath, "-2-referral.pdf") || !strings.HasSuffix(second.IPSPath, "-2-ips.json") {
		t.Fatalf("second referral %+v beside %+v", second, first)
	}
	if entries, _ := os.ReadDir(folder); len(entries) != 4 {
		t.Fatalf("folder holds %d files, want 4 (no temporary files left)", len(entries))
	}
}

func TestReferralRefusesBadInputAndNonClinicians(t *testing.T) {
	a, p := referralChart(t, nil)
	folder := t.TempDir()
	bad := referralTo(p)
	bad.RecipientName, bad.Reason = "", " "
	_, err := a.Print.Refer(bad, filepath.Join(folder, "missing"))
	var fields []string
	for _, fp := range chart.ErrorFields(err) {
		fields = append(fields, fp.Field)
	}
	if code(err) != chart.EINVALID || strings.Join(fields, " ") != "recipientName reason folder" {
		t.Fatalf("bad referral: %v (fields %v)", err, fields)
	}
	if _, err := a.Print.Refer(referralTo(p), "relative/path"); chart.ErrorField(err) != "folder" {
		t.Fatalf("relative folder: %v", err)
	}
	signIn(t, a, "nell")
	if _, err := a.Print.Refer(referralTo(p), folder); code(err) != chart.EFORBIDDEN {
		t.Fatalf("a nurse referred: %v", err)
	}
	if entries, _ := os.ReadDir(folder); len(entries) != 0 {
		t.Fatalf("a refused referral wrote %d files", len(entries))
	}
}

func TestReferralFolderGoesThroughTheDialogs(t *testing.T) {
	d := &pickedDialogs{folder: "/media/usb"}
	a, _ := referralChart(t, d)
	if got, err := a.Print.ChooseReferralFolder(); err != nil || got != d.folder || d.asked != "Choose where to save the referral" {
		t.Fatalf("ChooseReferralFolder = %q, %v (asked %q)", got, err, d.asked)
	}
}

// pdfText is the letter as pdftotext reads it, "" (and the check skipped)
// where poppler is not installed.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		if _, lookErr := exec.LookPath("pdftotext"); lookErr != nil && os.Getenv("CI") == "" {
			t.Log("pdftotext is not installed: the letter's text is not checked")
			return ""
		}
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// auditAsAdmin signs the administrator in and returns the patient's audit
// trail, one detail per line.
func auditAsAdmin(t *testing.T, a *app.App, pid chart.PatientID) (string, error) {
	t.Helper()
	if _, err := a.Session.SignIn("ada", "ada's long passphrase"); err != nil {
		return "", err
	}
	entries, err := a.Admin.Audit(chart.AuditFilter{PatientID: pid})
	var lines []string
	for _, e := range entries {
		lines = append(lines, string(e.Action)+" "+e.Detail)
	}
	return strings.Join(lines, "\n"), err
}
