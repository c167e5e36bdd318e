package fhirexport

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"outpost/chart"
	"outpost/fhir"
)

// Profiles of the International Patient Summary (HL7 IPS 1.1) the document
// claims.
const (
	ipsBundleProfile      = "http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips"
	ipsCompositionProfile = "http://hl7.org/fhir/uv/ips/StructureDefinition/Composition-uv-ips"
	// ipsLOINCSummary is the document type of an IPS Composition.
	ipsLOINCSummary = "60591-5"
)

// IPS writes the International Patient Summary a referral sends: a FHIR
// document Bundle whose first entry is the Composition (LOINC 60591-5),
// written by the referrer for the practice, with the sections of
// chart.SummarizeForReferral. It holds the resources the sections name
// and every resource those refer to, so the document stands alone.
func IPS(recs chart.PatientRecords, ref chart.Referral, opts Options) ([]byte, error) {
	if ref.ID == "" || ref.At.IsZero() || recs.Patient.ID == "" {
		return nil, fmt.Errorf("ips: the referral needs its id and time and the chart its patient")
	}
	entries, err := ipsResources(recs, opts)
	if err != nil {
		return nil, fmt.Errorf("ips: the chart's resources: %w", err)
	}
	doc := newIPSDoc(entries)
	author, custodian := doc.addParties(ref.Referrer)
	comp := fhir.Composition{
		DomainResource: fhir.DomainResource{ResourceType: "Composition", ID: ipsID(ref, "composition"),
			Meta: &fhir.Meta{Profile: []string{ipsCompositionProfile}}},
		Identifier: &fhir.Identifier{System: "urn:ietf:rfc:3986", Value: ipsURN(ipsID(ref, "composition"))},
		Status:     "final",
		Type: fhir.CodeableConcept{Coding: []fhir.Coding{{System: chart.SystemLOINC, Code: ipsLOINCSummary,
			Display: "Patient summary Document"}}},
		Subject:   &fhir.Reference{Reference: ipsURN(string(recs.Patient.ID))},
		Date:      ipsInstant(ref.At),
		Author:    []fhir.Reference{author},
		Title:     "Patient summary: referral to " + ref.Recipient(),
		Custodian: &custodian,
		Section:   doc.sections(recs, ref),
	}
	return doc.bundle(comp, ref)
}

// ipsDoc gathers what the document holds: the chart's resources by
// fullUrl, and the fullUrls the document needs, in order.
type ipsDoc struct {
	byURL map[string]json.RawMessage
	order []string
	added map[string]bool
}

func newIPSDoc(entries []ipsEntry) *ipsDoc {
	d := &ipsDoc{byURL: map[string]json.RawMessage{}, added: map[string]bool{}}
	for _, e := range entries {
		d.byURL[e.FullURL] = e.Resource
	}
	return d
}

// need puts the resource at url in the document, with everything it
// refers to that the chart holds; it reports whether the chart had it.
func (d *ipsDoc) need(url string) bool {
	raw, ok := d.byURL[url]
	if !ok {
		return false
	}
	if d.added[url] {
		return true
	}
	d.added[url] = true
	d.order = append(d.order, url)
	for _, ref := range ipsReferences(raw) {
		d.need(ref)
	}
	return true
}

// own adds a resource the IPS itself writes (author, custodian, an
// "absent" statement) unless the chart's resources already hold it.
func (d *ipsDoc) own(id string, r any) (fhir.Reference, error) {
	url := ipsURN(id)
	if _, ok := d.byURL[url]; !ok {
		raw, err := json.Marshal(r)
		if err != nil {
			return fhir.Reference{}, err
		}
		d.byURL[url] = raw
	}
	d.need(url)
	return fhir.Reference{Reference: url}, nil
}

// bundle writes the document: the Composition, then the patient and every
// resource it needs.
func (d *ipsDoc) bundle(comp fhir.Composition, ref chart.Referral) ([]byte, error) {
	d.need(comp.Subject.Reference)
	compRaw, err := json.Marshal(comp)
	if err != nil {
		return nil, fmt.Errorf("ips: composition: %w", err)
	}
	for _, r := range ipsReferences(compRaw) {
		if !d.need(r) {
			return nil, fmt.Errorf("ips: the composition refers to %s, which the chart's resources lack", r)
		}
	}
	b := fhir.Bundle{ResourceType: "Bundle", ID: string(ref.ID), Meta: &fhir.Meta{Profile: []string{ipsBundleProfile}},
		Identifier: &fhir.Identifier{System: "urn:ietf:rfc:3986", Value: ipsURN(string(ref.ID))},
		Type:       "document", Timestamp: ipsInstant(ref.At)}
	b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: ipsURN(comp.ID), Resource: compRaw})
	for _, url := range d.order {
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: url, Resource: d.byURL[url]})
	}
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("ips: bundle: %w", err)
	}
	return out, nil
}

// ipsReferences lists the "reference" values anywhere in a resource.
func ipsReferences(raw json.RawMessage) []string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["reference"].(string); ok {
				out = append(out, r)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return out
}

// ipsID is a stable id for a resource the IPS writes for this referral:
// the same referral written twice gives the same document.
func ipsID(ref chart.Referral, what string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("outpost:referral:"+string(ref.ID)+":"+what)).String()
}

func ipsURN(id string) string { return "urn:uuid:" + id }

// ipsInstant is a FHIR instant, to the second, in UTC.
func ipsInstant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func ipsStatus(system, code string) *fhir.CodeableConcept {
	return &fhir.CodeableConcept{Coding: []fhir.Coding{{System: system, Code: code}}}
}
