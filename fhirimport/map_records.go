package fhirimport

import (
	"strings"

	"outpost/chart"
	"outpost/fhir"
)

// noKnownAllergyCodes are the SNOMED CT statements that the patient has no
// known allergy (of a kind). They set the chart's "no known allergies"
// instead of listing an allergy to "no known allergy".
var noKnownAllergyCodes = map[string]bool{
	"716186003":  true, // No known allergy
	"409137002":  true, // No known drug allergy
	"428607008":  true, // No known environmental allergy
	"429625007":  true, // No known food allergy
	"428197003":  true, // No known insect allergy
	"1003774007": true, // No known Hevea brasiliensis latex allergy
}

// unknownSubstance names an allergy whose source gave no substance: a
// clinician would rather see "an allergy to something" than lose it.
const unknownSubstance = "unknown substance"

func (m *mapper) mapAllergy(i int, _ fhir.Resource) {
	var a fhir.AllergyIntolerance
	if !m.decode(i, &a) {
		return
	}
	verification := firstCode(a.VerificationStatus)
	if verification == "entered-in-error" {
		m.skip(i, "the source marks this allergy entered in error")
		return
	}
	if a.Code != nil {
		for _, c := range a.Code.Coding {
			if noKnownAllergyCodes[c.Code] && (c.System == chart.SystemSNOMED || c.System == "") {
				m.noKnownAllergies = true
				m.imported(i)
				return
			}
		}
	}
	out := chart.Allergy{Meta: m.meta(i), Substance: coded(a.Code, chart.SystemRxNorm, chart.SystemSNOMED),
		Type: a.Type, Criticality: a.Criticality, Verification: verification, Onset: partialDate(a.OnsetDateTime)}
	var comments []string
	warning := ""
	if out.Substance.Display == "" {
		out.Substance = chart.Coded{Display: unknownSubstance}
		warning = "the source names no substance: listed as an allergy to an " + unknownSubstance
		comments = append(comments, "Imported without a substance: check with the patient.")
	}
	if s := firstCode(a.ClinicalStatus); s != "" && s != "active" {
		comments = append(comments, "Clinical status at the source: "+s+".")
	}
	var manifestations []string
	for _, r := range a.Reaction {
		if t := joinTexts(r.Manifestation); t != "" {
			manifestations = append(manifestations, t)
		} else if d := strings.TrimSpace(r.Description); d != "" {
			manifestations = append(manifestations, d)
		}
		out.Severity = worse(out.Severity, r.Severity)
	}
	out.Reaction = clip(strings.Join(manifestations, "; "), chart.MaxShortTextLen)
	if n := annotations(a.Note); n != "" {
		comments = append(comments, n)
	}
	out.Comment = clipText(strings.Join(comments, "\n"), chart.MaxLongTextLen)
	if keep(m, i, "the allergy", out, &m.recs.Allergies) && warning != "" {
		m.set(i, Imported, warning)
	}
}

// worse is the more severe of two reaction severities.
func worse(a, b string) string {
	rank := map[string]int{"mild": 1, "moderate": 2, "severe": 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// finishAllergies sets "no known allergies" only when no allergy was
// imported: a chart cannot say both.
func (m *mapper) finishAllergies() {
	m.recs.NoKnownAllergies = m.noKnownAllergies && len(m.recs.Allergies) == 0
}

// expiredLotNote is the reason kept when an imported dose is dated after
// its lot's expiry: the chart asks for one, and the dates are the source's.
const expiredLotNote = "recorded so at the source (imported)"

// expiredLotPrefix begins the note in which Outpost's export gives the
// reason a dose was recorded after its lot's expiry.
const expiredLotPrefix = "Given after the lot's expiry date: "

func expiredLotReason(notes []fhir.Annotation) string {
	for _, n := range notes {
		if r, ok := strings.CutPrefix(strings.TrimSpace(n.Text), expiredLotPrefix); ok && len([]rune(r)) >= chart.MinOverrideReasonLen {
			return clip(r, chart.MaxShortTextLen)
		}
	}
	return expiredLotNote
}

func (m *mapper) mapImmunization(i int, _ fhir.Resource) {
	var im fhir.Immunization
	if !m.decode(i, &im) {
		return
	}
	if im.Status == "entered-in-error" {
		m.skip(i, "the source marks this immunization entered in error")
		return
	}
	out := chart.Immunization{Meta: m.meta(i), Vaccine: coded(&im.VaccineCode, chart.SystemCVX), Source: "historical",
		Date: dateOnly(im.OccurrenceDateTime), Lot: clip(im.LotNumber, 60), Expiry: dateOnly(im.ExpirationDate),
		Manufacturer: clip(m.nameOf(i, im.Manufacturer), chart.MaxShortTextLen),
		Site:         clip(conceptText(im.Site), 60), Route: clip(conceptText(im.Route), 60)}
	for _, alt := range []string{im.OccurrenceString, im.Recorded} {
		if out.Date == "" {
			out.Date = dateOnly(alt)
		}
	}
	if enc := m.encounterLink(i, im.Encounter); out.Date == "" && enc != "" {
		out.Date = m.recs.Encounters[m.encounters[enc]].Start[:10]
	}
	for j := range im.Performer {
		if n := m.nameOf(i, &im.Performer[j].Actor); n != "" {
			out.GivenBy = n
			break
		}
	}
	for _, p := range im.ProtocolApplied {
		if p.DoseNumberPositiveInt > 0 && p.DoseNumberPositiveInt <= chart.MaxDoseNumber {
			out.DoseNumber = p.DoseNumberPositiveInt
		}
	}
	if im.Status == "not-done" {
		out.Refused = true
		out.RefusalReason = conceptText(im.StatusReason)
		if out.RefusalReason == "" {
			out.RefusalReason = "not done (the source gives no reason)"
		}
	}
	if !out.Refused && out.Date != "" && out.Expiry != "" && out.Date > out.Expiry {
		out.ExpiredLotReason = expiredLotReason(im.Note)
	}
	keep(m, i, "the immunization", out, &m.recs.Immunizations)
}

func (m *mapper) mapProcedure(i int, _ fhir.Resource) {
	var p fhir.Procedure
	if !m.decode(i, &p) {
		return
	}
	if p.Status == "entered-in-error" {
		m.skip(i, "the source marks this procedure entered in error")
		return
	}
	out := chart.Procedure{Meta: m.meta(i), Code: coded(p.Code, chart.SystemSNOMED), Status: p.Status,
		Performed: dateOrTime(p.PerformedDateTime), EncounterID: m.encounterLink(i, p.Encounter)}
	if pp := p.PerformedPeriod; pp != nil && out.Performed == "" {
		out.Performed, out.PerformedEnd = dateOrTime(pp.Start), dateOrTime(pp.End)
	}
	reasons := []string{joinTexts(p.ReasonCode)}
	for j := range p.ReasonReference {
		ref := &p.ReasonReference[j]
		if c, _, ok := m.conditionCode(i, ref); ok {
			reasons = append(reasons, c.Display)
		} else if ref.Display != "" {
			reasons = append(reasons, ref.Display)
		}
	}
	out.Reason = clip(strings.Trim(strings.Join(reasons, "; "), "; "), chart.MaxShortTextLen)
	var performers []string
	for j := range p.Performer {
		if n := m.nameOf(i, &p.Performer[j].Actor); n != "" {
			performers = append(performers, n)
		}
	}
	out.Performer = clip(strings.Join(performers, ", "), chart.MaxShortTextLen)
	out.BodySite = clip(joinTexts(p.BodySite), chart.MaxShortTextLen)
	out.Comment = clipText(annotations(p.Note), chart.MaxLongTextLen)
	if out.Code.Display == "" {
		m.fail(i, "clinical-rule", "the procedure has no code or text")
		return
	}
	if out.Performed == "" {
		m.fail(i, "clinical-rule", "the procedure has no date (performed[x])")
		return
	}
	keep(m, i, "the procedure", out, &m.recs.Procedures)
}
