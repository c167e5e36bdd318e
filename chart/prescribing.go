package chart

// Prescribing is a clinician's decision. A nurse charts the medications a
// patient says they take ("reported by the patient"); a medication marked
// "prescribed here" is attributed to a prescriber, so only a role that may
// prescribe can create one or change what was prescribed. Recording that a
// prescribed medication was stopped or completed is documentation, not
// prescribing, and stays open to anyone who writes clinical content.

// CheckPrescribing returns EFORBIDDEN (on the "source" field) when role
// may not make this medication change. old is the version being edited, nil
// for a new medication. m must be validated (Source defaulted).
func CheckPrescribing(role Role, m, old *Medication) error {
	if m.Source != MedPrescribedHere || Can(role, ActPrescribe) {
		return nil
	}
	if old != nil && old.Source == MedPrescribedHere && !prescriptionChanged(m, old) {
		return nil
	}
	return &Error{Code: EFORBIDDEN, Field: "source", Message: "Only a clinician can record a medication as " +
		"prescribed here, because it is recorded as their prescription. Record what the patient says they take as " +
		"“Reported by patient”, and ask a clinician to prescribe."}
}

// prescriptionChanged reports whether an edit changes what was prescribed
// (as opposed to its status, stop date or stop reason).
func prescriptionChanged(m, old *Medication) bool {
	return m.Drug != old.Drug || m.Dose != old.Dose || m.Unit != old.Unit || m.Route != old.Route ||
		m.Frequency != old.Frequency || m.Instructions != old.Instructions || m.Quantity != old.Quantity ||
		m.Refills != old.Refills || m.DaysSupply != old.DaysSupply || m.StartDate != old.StartDate ||
		m.PrescriberID != old.PrescriberID || m.PrescriberName != old.PrescriberName
}
