package sqlite

import (
	"context"
	"fmt"

	"outpost/chart"
)

// matchDecision is where an incoming patient goes.
type matchDecision struct {
	patient chart.PatientID // the chart to merge into, or the new patient's id
	kind    chart.MatchKind
	create  bool
	// held: uncertain; a person decides (reason says why, candidates
	// are the charts it may be).
	held       bool
	reason     string
	candidates []chart.PatientSummary
}

// decideMatch finds the chart an incoming patient belongs to: a person's
// choice (opts), the same source patient imported before (its stable id),
// one chart sharing an identifier, one chart with the same names and date
// of birth. Several candidates, or only a similar one, hold the batch; a
// lab's results never create a patient.
func (s *Session) decideMatch(ctx context.Context, t *tx, in *chart.Patient, opts chart.ImportOptions) (matchDecision, error) {
	if opts.MatchTo != "" {
		if err := requirePatient(ctx, t, opts.MatchTo); err != nil {
			return matchDecision{}, err
		}
		return matchDecision{patient: opts.MatchTo, kind: chart.MatchChosen}, nil
	}
	id := s.importedPatientID(in)
	if opts.NewPatient {
		return matchDecision{patient: id, create: true}, nil
	}
	if err := requirePatient(ctx, t, id); err == nil {
		return matchDecision{patient: id, kind: chart.MatchIdentifier}, nil
	} else if chart.ErrorCode(err) != chart.ENOTFOUND {
		return matchDecision{}, err
	}
	return decideByIndex(s.index.MatchImport(in), id, opts.Lab), nil
}

func decideByIndex(m chart.ImportMatches, id chart.PatientID, lab bool) matchDecision {
	switch {
	case len(m.ByIdentifier) == 1:
		return matchDecision{patient: m.ByIdentifier[0].ID, kind: chart.MatchIdentifier}
	case len(m.ByIdentifier) > 1:
		return held(fmt.Sprintf("Its identifiers match %d charts.", len(m.ByIdentifier)), m.ByIdentifier)
	case len(m.Exact) == 1:
		return matchDecision{patient: m.Exact[0].ID, kind: chart.MatchNameBirth}
	case len(m.Exact) > 1:
		return held(fmt.Sprintf("%d charts have the same names and date of birth.", len(m.Exact)), m.Exact)
	case len(m.Similar) > 0:
		return held("A chart has the same date of birth and a similar name.", m.Similar)
	case lab:
		return held("No chart matches the patient of these results: a lab's results never open a new chart.", nil)
	}
	return matchDecision{patient: id, create: true}
}

func held(reason string, candidates []chart.PatientSummary) matchDecision {
	return matchDecision{held: true, reason: reason, candidates: candidates}
}

// importDemographics registers the incoming patient, or merges it into
// the matched chart: only empty fields are filled and new identifiers
// added; what the practice charted is kept (out says which). It returns
// the patient as stored and whether it changed.
func (s *Session) importDemographics(ctx context.Context, t *tx, in chart.Patient, dec matchDecision,
	out *chart.ImportOutcome) (chart.Patient, bool, error) {
	out.PatientID, out.Match, out.Created = dec.patient, dec.kind, dec.create
	if dec.create {
		p, err := s.registerImported(ctx, t, in, dec.patient)
		return p, true, err
	}
	row, err := loadRecord(ctx, t, kindPatient, string(dec.patient))
	if err != nil {
		return chart.Patient{}, false, err
	}
	p, err := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	if err != nil {
		return chart.Patient{}, false, err
	}
	out.Filled, out.Kept = mergeDemographics(&p, &in)
	if len(out.Filled) == 0 {
		return p, false, nil
	}
	p.Version, p.UpdatedAt, p.UpdatedBy = row.version+1, t.now, s.user.ID
	err = s.savePatient(ctx, t, &p, []chart.ChangeID{row.head}, mrnTag(s.mrnKey, p.MRN))
	return p, true, err
}

// registerImported stores a new patient as RegisterPatient does: the MRN
// the import brings when it is free, else a new Outpost MRN.
func (s *Session) registerImported(ctx context.Context, t *tx, p chart.Patient, id chart.PatientID) (chart.Patient, error) {
	p.ID, p.Version = id, 1
	p.CreatedAt, p.UpdatedAt, p.UpdatedBy = t.now, t.now, s.user.ID
	if p.MRN != "" {
		if owner, err := mrnOwner(ctx, t, mrnTag(s.mrnKey, p.MRN)); err != nil {
			return p, err
		} else if owner != "" {
			p.MRN = "" // taken here: the import's number stays among the identifiers
		}
	}
	tag, err := s.claimMRN(ctx, t, &p)
	if err != nil {
		return p, err
	}
	return p, s.savePatient(ctx, t, &p, nil, tag)
}

// demographicField is one field an import may fill.
type demographicField struct {
	name string
	cur  *string
	in   string
}

// mergeDemographics fills the empty fields of p from in and adds in's new
// identifiers; it returns the fields filled and those kept although the
// import differed.
func mergeDemographics(p, in *chart.Patient) (filled, kept []string) {
	fields := []demographicField{
		{"preferred name", &p.PreferredName, in.PreferredName},
		{"gender identity", &p.GenderIdentity, in.GenderIdentity},
		{"phone", &p.Phone, in.Phone},
		{"email", &p.Email, in.Email},
		{"preferred language", &p.PreferredLanguage, in.PreferredLanguage},
		{"date of death", &p.DeceasedDate, in.DeceasedDate},
	}
	for _, f := range fields {
		switch {
		case f.in == "" || *f.cur == f.in:
		case *f.cur == "":
			*f.cur = f.in
			filled = append(filled, f.name)
		default:
			kept = append(kept, f.name)
		}
	}
	if p.Sex == chart.SexUnknown && in.Sex != "" && in.Sex != chart.SexUnknown {
		p.Sex = in.Sex
		filled = append(filled, "sex")
	}
	if in.Deceased && !p.Deceased {
		p.Deceased = true
		filled = append(filled, "deceased")
	}
	filled, kept = mergeWhole(filled, kept, "address", &p.Address, in.Address)
	filled, kept = mergeWhole(filled, kept, "emergency contact", &p.EmergencyContact, in.EmergencyContact)
	if added := addIdentifiers(p, in.Identifiers); added > 0 {
		filled = append(filled, fmt.Sprintf("%d identifiers", added))
	}
	return filled, kept
}

// mergeWhole fills a grouped field (an address) only when it is wholly
// empty: mixing two addresses line by line would make one nobody has.
func mergeWhole[T comparable](filled, kept []string, name string, cur *T, in T) ([]string, []string) {
	var zero T
	switch {
	case in == zero || *cur == in:
	case *cur == zero:
		*cur = in
		filled = append(filled, name)
	default:
		kept = append(kept, name)
	}
	return filled, kept
}

func addIdentifiers(p *chart.Patient, in []chart.Identifier) int {
	added := 0
	for _, id := range in {
		if id.System == "" || len(p.Identifiers) >= chart.MaxIdentifiers || hasIdentifier(p.Identifiers, id) {
			continue
		}
		p.Identifiers = append(p.Identifiers, id)
		added++
	}
	return added
}

func hasIdentifier(ids []chart.Identifier, id chart.Identifier) bool {
	for _, have := range ids {
		if chart.SameIdentifier(have, id) {
			return true
		}
	}
	return false
}
