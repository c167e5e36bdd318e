package chart

import (
	"strings"
	"time"
)

// The patient's history beyond the problem list: family history, social
// history (smoking, alcohol) and pregnancy status. Social history and
// pregnancy status are dated observations: each answer is a new record, and
// the latest by date is the current one, so the chart keeps when a patient
// stopped smoking or was last asked.
const (
	KindFamily    = "family-history"
	KindSocial    = "social-history"
	KindPregnancy = "pregnancy"
)

// FamilyHistory is one condition of one relative.
type FamilyHistory struct {
	Meta
	// Relation is a FHIR v3 RoleCode of the family member (FamilyRelations).
	Relation  string `json:"relation"`
	Condition Coded  `json:"condition"` // ICD-10-CM or free text
	// OnsetAge is the relative's age in years when it began; nil if unknown.
	OnsetAge *int   `json:"onsetAge,omitempty"`
	Deceased bool   `json:"deceased"` // the relative died of it
	Comment  string `json:"comment"`
}

// FamilyRelation is a family member as FHIR FamilyMemberHistory.relationship
// codes it (HL7 v3 RoleCode, http://terminology.hl7.org/CodeSystem/v3-RoleCode).
type FamilyRelation struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// FamilyRelations are the relations offered, in the order the form lists them.
var FamilyRelations = []FamilyRelation{
	{"MTH", "Mother"}, {"FTH", "Father"}, {"SIS", "Sister"}, {"BRO", "Brother"},
	{"DAU", "Daughter"}, {"SON", "Son"},
	{"MGRMTH", "Maternal grandmother"}, {"MGRFTH", "Maternal grandfather"},
	{"PGRMTH", "Paternal grandmother"}, {"PGRFTH", "Paternal grandfather"},
	{"AUNT", "Aunt"}, {"UNCLE", "Uncle"}, {"COUSN", "Cousin"}, {"FAMMEMB", "Other relative"},
}

// RelationLabel names a relation code ("" when unknown).
func RelationLabel(code string) string {
	for _, r := range FamilyRelations {
		if r.Code == code {
			return r.Label
		}
	}
	return ""
}

// MaxOnsetAge bounds a relative's age at onset.
const MaxOnsetAge = 120

// Validate normalises a family history entry in place.
func (f *FamilyHistory) Validate(time.Time) error {
	var probs Problems
	f.Relation = strings.TrimSpace(f.Relation)
	if RelationLabel(f.Relation) == "" {
		probs.Add(FieldError("relation", "Choose the relative from the list."))
	}
	probs.Add(validateCoded("condition", "The condition", &f.Condition, true))
	if f.OnsetAge != nil && (*f.OnsetAge < 0 || *f.OnsetAge > MaxOnsetAge) {
		probs.Add(FieldError("onsetAge", "The age at onset must be between 0 and %d years (or left empty).", MaxOnsetAge))
	}
	cleanEach(&probs, textField{&f.Comment, "comment", "The comment", MaxLongTextLen, false, true})
	return probs.Err()
}

// Smoking status, as the US Core Smoking Status Observation profile
// (US Core 6.1.0, http://hl7.org/fhir/us/core/STU6.1/) records it: an
// Observation coded LOINC 72166-2 "Tobacco smoking status", category
// social-history, with an effective date and a coded value. US Core binds
// the value to SNOMED CT (the value set "Smoking Status Comprehensive",
// binding strength preferred); the answers below are the SNOMED CT concepts
// of the long-standing smoking status starter set. Only these identifiers
// and their terms are stored and shown, never the SNOMED CT hierarchy.
// Licence: SNOMED CT is used at no charge in the United States and other
// SNOMED International member territories (via NLM's UMLS licence in the
// US), and SNOMED International's Global Patient Set licence permits
// storing, displaying and exchanging SNOMED CT identifiers with their terms
// in every country (docs.snomed.org, GPS implementation guide). LOINC
// 72166-2 is used under the LOINC licence (free, with attribution; see
// docs/FHIR-NOTES.md).
const LOINCSmokingStatus = "72166-2"

// SmokingStatuses are the answers offered, in the order the form lists them.
var SmokingStatuses = []Coded{
	{SystemSNOMED, "266919005", "Never smoked tobacco"},
	{SystemSNOMED, "8517006", "Ex-smoker"},
	{SystemSNOMED, "449868002", "Smokes tobacco daily"},
	{SystemSNOMED, "428041000124106", "Occasional tobacco smoker"},
	{SystemSNOMED, "77176002", "Smoker, current status unknown"},
	{SystemSNOMED, "266927001", "Tobacco smoking consumption unknown"},
}

// smokingStatus returns the listed answer with code, if any.
func smokingStatus(code string) (Coded, bool) {
	for _, c := range SmokingStatuses {
		if c.Code == code {
			return c, true
		}
	}
	return Coded{}, false
}

// AuditC is the three-question alcohol screen (AUDIT-C, from the WHO
// AUDIT): each answer scores 0 to 4.
type AuditC struct {
	// HowOften: how often a drink containing alcohol (never … 4+ a week).
	HowOften int `json:"howOften"`
	// HowMany: drinks on a typical drinking day (1–2 … 10+).
	HowMany int `json:"howMany"`
	// SixOrMore: how often six or more drinks on one occasion.
	SixOrMore int `json:"sixOrMore"`
}

// Score is the AUDIT-C total, 0 to 12.
func (a AuditC) Score() int { return a.HowOften + a.HowMany + a.SixOrMore }

// Positive reports a positive screen: 4 or more for men, 3 or more for
// women (Bradley et al. 2007, the thresholds the VA and USPSTF materials
// use); for other or unknown sex the lower threshold, so that a risk is
// not missed.
func (a AuditC) Positive(sex Sex) bool {
	if sex == SexMale {
		return a.Score() >= 4
	}
	return a.Score() >= 3
}

// MaxDrinksPerWeek bounds a typed weekly count.
const MaxDrinksPerWeek = 500

// SocialHistory is what the patient said about smoking and alcohol on a
// date. Each field may be left unanswered.
type SocialHistory struct {
	Meta
	Date string `json:"date"` // YYYY-MM-DD, when asked
	// Smoking is one of SmokingStatuses, or empty when not asked.
	Smoking Coded `json:"smoking"`
	// PackYears is free text ("20", "about 15").
	PackYears  string  `json:"packYears,omitempty"`
	AuditC     *AuditC `json:"auditC,omitempty"`
	DrinksWeek *int    `json:"drinksPerWeek,omitempty"`
	Occupation string  `json:"occupation"`
	Comment    string  `json:"comment"`
}

// Validate normalises a social history entry in place.
func (h *SocialHistory) Validate(now time.Time) error {
	var probs Problems
	h.Date = validateAsOf(&probs, h.Date, now)
	h.Smoking.Code = strings.TrimSpace(h.Smoking.Code)
	if h.Smoking.Code == "" {
		h.Smoking = Coded{}
	} else if c, ok := smokingStatus(h.Smoking.Code); ok {
		h.Smoking = c
	} else {
		probs.Add(FieldError("smoking", "Choose the smoking status from the list."))
	}
	cleanEach(&probs, textField{&h.PackYears, "packYears", "The pack-years", 20, false, false})
	if a := h.AuditC; a != nil {
		for _, x := range []int{a.HowOften, a.HowMany, a.SixOrMore} {
			if x < 0 || x > 4 {
				probs.Add(FieldError("auditC", "Each AUDIT-C answer scores 0 to 4."))
				break
			}
		}
	}
	if h.DrinksWeek != nil && (*h.DrinksWeek < 0 || *h.DrinksWeek > MaxDrinksPerWeek) {
		probs.Add(FieldError("drinksPerWeek", "Drinks per week must be between 0 and %d.", MaxDrinksPerWeek))
	}
	cleanEach(&probs,
		textField{&h.Occupation, "occupation", "The occupation", MaxShortTextLen, false, false},
		textField{&h.Comment, "comment", "The comment", MaxLongTextLen, false, true},
	)
	return probs.Err()
}

// validateAsOf checks the date an observation was made (not in the
// future); empty means today.
func validateAsOf(probs *Problems, date string, now time.Time) string {
	d, err := validateDate("date", "The date", date, now, false, true)
	if !probs.Add(err) {
		return date
	}
	if d == "" {
		d = now.In(time.Local).Format(time.DateOnly)
	}
	return d
}

// Pregnancy statuses, as FHIR records them (LOINC 82810-3 "Pregnancy
// status"; EDD LOINC 11778-8).
const (
	PregnancyPregnant    = "pregnant"
	PregnancyNotPregnant = "not-pregnant"
	PregnancyUnknown     = "unknown"
)

// PregnancyStatus is whether the patient was pregnant on a date.
type PregnancyStatus struct {
	Meta
	Date   string `json:"date"` // YYYY-MM-DD, as of
	Status string `json:"status"`
	// LMP is the first day of the last menstrual period; EDD the estimated
	// date of delivery (computed from LMP when left empty).
	LMP     string `json:"lmp,omitempty"`
	EDD     string `json:"edd,omitempty"`
	Comment string `json:"comment"`
}

// Pregnancy dating, by Naegele's rule: delivery is expected 280 days after
// the first day of the last menstrual period. A pregnancy lasts at most
// about 44 weeks, so an EDD further away, or long past, is a typing error.
const (
	gestationDays     = 280
	maxEDDAheadDays   = 44 * 7
	maxEDDOverdueDays = 6 * 7
)

// EDDFromLMP returns the estimated date of delivery for a last menstrual
// period (YYYY-MM-DD), or "" when lmp is not a date.
func EDDFromLMP(lmp string) string {
	d, err := time.Parse(time.DateOnly, lmp)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, gestationDays).Format(time.DateOnly)
}

// Validate normalises a pregnancy status in place.
func (p *PregnancyStatus) Validate(now time.Time) error {
	var probs Problems
	p.Date = validateAsOf(&probs, p.Date, now)
	var err error
	p.Status = strings.TrimSpace(p.Status)
	if !oneOf(p.Status, PregnancyPregnant, PregnancyNotPregnant, PregnancyUnknown) {
		probs.Add(FieldError("status", "Choose pregnant, not pregnant or unknown."))
	}
	if p.LMP, err = validateDate("lmp", "The last menstrual period", p.LMP, now, false, true); err != nil {
		probs.Add(err)
	}
	if p.EDD, err = validateDate("edd", "The EDD", p.EDD, now, false, false); err != nil {
		probs.Add(err)
	}
	if p.Status != PregnancyPregnant {
		p.LMP, p.EDD = "", "" // dates of a pregnancy there is not
	} else if !probs.Has("lmp") && !probs.Has("edd") && !probs.Has("date") {
		probs.Add(p.checkDates())
	}
	cleanEach(&probs, textField{&p.Comment, "comment", "The comment", MaxLongTextLen, false, true})
	return probs.Err()
}

// checkDates fills the EDD from the LMP and checks it is plausible for a
// pregnancy ongoing on Date.
func (p *PregnancyStatus) checkDates() error {
	if p.EDD == "" && p.LMP != "" {
		p.EDD = EDDFromLMP(p.LMP)
	}
	if p.EDD == "" {
		return nil
	}
	if p.LMP != "" && p.LMP > p.Date {
		return FieldError("lmp", "The last menstrual period is after the date of this status.")
	}
	date, _ := time.Parse(time.DateOnly, p.Date)
	if p.EDD > date.AddDate(0, 0, maxEDDAheadDays).Format(time.DateOnly) {
		return FieldError("edd", "The EDD is more than 44 weeks after %s: check the dates.", isoLongDate(p.Date))
	}
	if p.EDD < date.AddDate(0, 0, -maxEDDOverdueDays).Format(time.DateOnly) {
		return FieldError("edd", "The EDD is more than 6 weeks before %s: if the pregnancy has ended, record "+
			"“not pregnant”.", isoLongDate(p.Date))
	}
	return nil
}

// Child-bearing age, for offering the pregnancy status: the range the issue
// names (12 to 55), wide on purpose, since a missed pregnancy matters more
// to prescribing than an unneeded question.
const (
	childBearingMinAge = 12
	childBearingMaxAge = 55
)

// PregnancyRelevant reports whether pregnancy status should be asked and
// shown for p on day now: a female patient aged 12 to 55.
func PregnancyRelevant(p Patient, now time.Time) bool {
	if p.Sex != SexFemale {
		return false
	}
	age := Age(p.BirthDate, now.In(time.Local))
	return age >= childBearingMinAge && age <= childBearingMaxAge
}

// latestDated returns the record dated last (then written last: ids are
// UUIDv7), skipping placeholders and retracted records; nil when none.
func latestDated[T any, P interface {
	*T
	RecordMeta() *Meta
}](recs []T, date func(P) string) *T {
	var best *T
	for i := range recs {
		r := P(&recs[i])
		if m := r.RecordMeta(); m.IsDamaged() || m.EnteredInError != nil {
			continue
		}
		if best == nil || date(r) > date(best) || (date(r) == date(best) && r.RecordMeta().ID > P(best).RecordMeta().ID) {
			best = &recs[i]
		}
	}
	return best
}

// LatestSocialHistory is the current social history: the one asked last.
func LatestSocialHistory(hs []SocialHistory) *SocialHistory {
	return latestDated(hs, func(h *SocialHistory) string { return h.Date })
}

// LatestPregnancy is the current pregnancy status: the one dated last.
func LatestPregnancy(ps []PregnancyStatus) *PregnancyStatus {
	return latestDated(ps, func(p *PregnancyStatus) string { return p.Date })
}
