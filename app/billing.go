package app

import (
	"time"

	"outpost/chart"
	"outpost/printout"
)

// Billing is bound to the frontend: the practice's service codes and fees,
// superbills, and a day's totals.
type Billing struct{ a *App }

type bs = chart.BillingService

// ServiceCodes lists the practice's codes and fees.
func (b *Billing) ServiceCodes() ([]chart.ServiceCode, error) { return list(get(b.a, bs.ServiceCodes)) }

// SaveServiceCode adds or edits a code (administrators).
func (b *Billing) SaveServiceCode(c chart.ServiceCode) (chart.ServiceCode, error) {
	return with(b.a, c, bs.SaveServiceCode)
}

// Superbills lists a patient's superbills.
func (b *Billing) Superbills(patientID string) ([]chart.Superbill, error) {
	return list(onPatient(b.a, patientID, bs.Superbills))
}

// SaveSuperbill creates or edits the superbill of a visit.
func (b *Billing) SaveSuperbill(sb chart.Superbill) (chart.Superbill, error) {
	return with(b.a, sb, bs.SaveSuperbill)
}

// DayTotals sums a day's superbills (YYYY-MM-DD).
func (b *Billing) DayTotals(date string) (chart.DayTotals, error) {
	return with(b.a, date, bs.DayTotals)
}

// PrintSuperbill prints a visit's superbill, audited as an export.
func (b *Billing) PrintSuperbill(patient, superbillID string) (Printout, error) {
	return b.a.Print.onPrint(patient, func(j printJob) (Printout, error) {
		sid, err := recordID(superbillID)
		if err != nil {
			return Printout{}, err
		}
		bill, err := findSuperbill(j, sid)
		if err != nil {
			return Printout{}, err
		}
		enc, err := findEncounter(j, bill.EncounterID)
		if err != nil {
			return Printout{}, err
		}
		pdf, err := printout.Superbill(j.s.Practice(), j.sum.Patient, enc, bill, time.Now())
		return finish(j, "superbill", "superbill", pdf, err)
	})
}

func findSuperbill(j printJob, id chart.RecordID) (chart.Superbill, error) {
	svc, ok := j.s.(chart.BillingService)
	if !ok {
		return chart.Superbill{}, chart.Errorf(chart.EINTERNAL, "This workstation cannot print superbills.")
	}
	bills, err := svc.Superbills(j.ctx, j.pid)
	if err != nil {
		return chart.Superbill{}, err
	}
	for _, sb := range bills {
		if sb.ID == id {
			return sb, nil
		}
	}
	return chart.Superbill{}, chart.Errorf(chart.ENOTFOUND, "That superbill is not on this patient's chart.")
}
