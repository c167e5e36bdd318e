package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"outpost/chart"
	"outpost/fhirexport"
	"outpost/printout"
)

// The referral lives on Print, beside the other documents that leave the
// chart: it renders the letter for the receiving clinician and the
// International Patient Summary, and, unlike a printout, writes both to the
// folder the clinician chose (a USB stick, a shared folder).

// ReferralSaved says where a referral was written.
type ReferralSaved struct {
	Folder    string `json:"folder"`
	PDFPath   string `json:"pdfPath"`
	IPSPath   string `json:"ipsPath"`
	Recipient string `json:"recipient"`
}

// ChooseReferralFolder asks where to save a referral with the system's
// folder dialog ("" when cancelled).
func (p *Print) ChooseReferralFolder() (string, error) {
	return ready(p.a, func(ctx context.Context) (string, error) {
		return p.a.dialogs().ChooseFolder(ctx, "Choose where to save the referral")
	})
}

// Refer writes the referral letter (PDF) and the patient summary (IPS
// JSON) side by side into folder, audited as a disclosure to the recipient.
func (p *Print) Refer(r chart.Referral, folder string) (ReferralSaved, error) {
	return call(p.a, func(ctx context.Context, s chart.Session) (ReferralSaved, error) { return refer(ctx, s, r, folder) })
}

func refer(ctx context.Context, s chart.Session, r chart.Referral, folder string) (ReferralSaved, error) {
	pid, err := patientID(string(r.PatientID))
	if err != nil {
		return ReferralSaved{}, err
	}
	var probs chart.Problems
	probs.Add(r.Validate())
	folder, err = referralFolder(folder)
	probs.Add(err)
	if err := probs.Err(); err != nil {
		return ReferralSaved{}, err
	}
	profile, err := s.OwnProfile(ctx)
	if err != nil {
		return ReferralSaved{}, err
	}
	r.PatientID, r.ID, r.At = pid, chart.NewRecordID(), time.Now()
	r.Referrer = chart.NewReferrer(profile, s.Practice())
	if err := r.Referrer.Check(); err != nil {
		return ReferralSaved{}, err
	}
	pdf, ips, recs, err := renderReferral(ctx, s, r)
	if err != nil {
		return ReferralSaved{}, err
	}
	if err := s.AuditExport(ctx, pid, disclosure(r)); err != nil {
		return ReferralSaved{}, err
	}
	base := filepath.Join(folder, referralBase(recs.Patient, r.At))
	return saveReferral(base, pdf, ips, r.Recipient())
}

// renderReferral reads the chart and renders both documents.
func renderReferral(ctx context.Context, s chart.Session, r chart.Referral) (pdf, ips []byte, recs chart.PatientRecords, err error) {
	recs, err = referralRecords(ctx, s, r.PatientID)
	if err != nil {
		return nil, nil, recs, err
	}
	units, err := s.PracticeUnits(ctx)
	if err != nil {
		return nil, nil, recs, err
	}
	if pdf, err = printout.ReferralLetter(s.Practice(), recs, r, units, r.At); err != nil {
		return nil, nil, recs, fmt.Errorf("render referral letter: %w", err)
	}
	if ips, err = fhirexport.IPS(recs, r, fhirexport.OptionsFor(s.Practice(), s.User(), r.At)); err != nil {
		return nil, nil, recs, fmt.Errorf("write patient summary: %w", err)
	}
	return pdf, ips, recs, nil
}

// disclosure is the audit line: to whom the chart went, within the
// audit's one short line.
func disclosure(r chart.Referral) string {
	what := "referral sent to " + r.Recipient()
	if utf8.RuneCountInString(what) > chart.MaxShortTextLen {
		what = string([]rune(what)[:chart.MaxShortTextLen-1]) + "…"
	}
	return what
}

// referralFolder checks the folder the clinician chose.
func referralFolder(folder string) (string, error) {
	folder = strings.TrimSpace(folder)
	if folder == "" {
		return "", chart.FieldError("folder", "Choose the folder to save the referral in.")
	}
	if !filepath.IsAbs(folder) {
		return "", chart.FieldError("folder", "Give the folder's full path (it starts with /), or press Choose….")
	}
	if fi, err := os.Stat(folder); err != nil || !fi.IsDir() {
		return "", chart.FieldError("folder", "There is no folder at %s. Check that the USB stick or shared folder is connected.", folder)
	}
	return filepath.Clean(folder), nil
}

// referralBase names the files by record number and date, never by the
// patient's name (a file list on a shared drive is read by anyone).
func referralBase(p chart.Patient, at time.Time) string {
	mrn := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == os.PathSeparator || r < ' ' {
			return '-'
		}
		return r
	}, p.MRN)
	return strings.ToLower(fmt.Sprintf("%s-%s", orPatient(mrn), at.Format("2006-01-02")))
}

func orPatient(mrn string) string {
	if mrn == "" {
		return "patient"
	}
	return mrn
}

// saveReferral writes <base>-referral.pdf and <base>-ips.json, numbering
// the pair when an earlier referral of the day is there, never replacing
// it. Each file is written whole or not at all; when the second fails the
// first is removed, so a half referral is never left behind.
func saveReferral(base string, pdf, ips []byte, recipient string) (ReferralSaved, error) {
	for n := 1; n < 100; n++ {
		stem := base
		if n > 1 {
			stem = fmt.Sprintf("%s-%d", base, n)
		}
		pdfPath, ipsPath := stem+"-referral.pdf", stem+"-ips.json"
		if exists(pdfPath) || exists(ipsPath) {
			continue
		}
		if err := writeWhole(pdfPath, pdf); err != nil {
			return ReferralSaved{}, saveError(err)
		}
		if err := writeWhole(ipsPath, ips); err != nil {
			_ = os.Remove(pdfPath)
			return ReferralSaved{}, saveError(err)
		}
		return ReferralSaved{Folder: filepath.Dir(base), PDFPath: pdfPath, IPSPath: ipsPath, Recipient: recipient}, nil
	}
	return ReferralSaved{}, chart.FieldError("folder", "That folder already holds 99 referrals of this patient today; choose another.")
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, os.ErrNotExist)
}

// writeWhole writes data beside path, syncs it, then renames it into place.
func writeWhole(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".outpost-referral-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

func saveError(err error) error {
	return chart.FieldError("folder", "The referral could not be saved there (%v). Check that the folder is writable and the disk not full, then try again.", err)
}
