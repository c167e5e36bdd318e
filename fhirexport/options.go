package fhirexport

import (
	"fmt"
	"strings"
	"time"

	"outpost/chart"
)

// Identifier systems Outpost writes, so that a reader (Outpost's own
// importer among them) can tell its numbers from anyone else's.
const (
	// SystemMRN is the system of the practice's medical record numbers;
	// the identifier's assigner names the practice.
	SystemMRN = "urn:outpost:mrn"
	// SystemRecord carries Outpost's own record id on every resource, so
	// that import(export(chart)) finds the same records again even after
	// a server has given the resources new ids.
	SystemRecord = "urn:outpost:record"
	// extensionBase prefixes the few Outpost extensions (facts the chart
	// keeps that FHIR R4 and US Core have no element for).
	extensionBase = "urn:outpost:fhir:"
)

// Practice is the practice the chart belongs to: the custodian of the
// records and the organisation patients are managed by.
type Practice struct {
	ID      chart.PracticeID
	Name    string
	Address string // a few lines, as on a letterhead
	Phone   string
}

// User is who runs the export: the caller audits the disclosure in their
// name, and a document built on the export (the referral) names them as
// its author. The resources themselves do not carry it.
type User struct {
	ID   chart.UserID
	Name string
}

// Options tell the export whose chart it is, who exports it and when.
type Options struct {
	Practice Practice
	User     User
	// Now stamps the Bundle and the manifest; the zero time means now.
	Now time.Time
	// Zone reads the chart's local times ("2026-03-04T09:30"); nil means
	// the workstation's zone.
	Zone *time.Location
	// RelativeRefs writes references as "Patient/<id>" (Bulk Data NDJSON,
	// where there are no fullUrls) instead of "urn:uuid:<id>" (Bundles).
	RelativeRefs bool
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o Options) zone() *time.Location {
	if o.Zone == nil {
		return time.Local
	}
	return o.Zone
}

// Entry is one exported resource: a pointer to one of the fhir structs
// (*fhir.Patient, *fhir.Observation…), its type and id, and its fullUrl
// "urn:uuid:<id>".
type Entry struct {
	FullURL  string
	Type     string
	ID       string
	Resource any
}

// Warnings is what Resources returns beside its entries when it left
// something out: damaged records (placeholders for records that could not
// be opened) and values it could not write as FHIR. The entries are still
// complete for everything else: report the warnings and carry on.
type Warnings struct {
	Damaged  map[string]int // by record kind
	Messages []string
}

func (w *Warnings) Error() string {
	var parts []string
	if n := w.DamagedCount(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d damaged record(s) could not be opened and were not exported", n))
	}
	parts = append(parts, w.Messages...)
	return strings.Join(parts, "; ")
}

// DamagedCount is the number of damaged records left out.
func (w *Warnings) DamagedCount() int {
	n := 0
	for _, c := range w.Damaged {
		n += c
	}
	return n
}

func (w *Warnings) empty() bool { return w.DamagedCount() == 0 && len(w.Messages) == 0 }

// OptionsFor are the options of an export by user u of practice p, now.
func OptionsFor(p chart.Practice, u chart.User, now time.Time) Options {
	return Options{Practice: Practice{ID: p.ID, Name: p.Name, Address: p.Address, Phone: p.Phone},
		User: User{ID: u.ID, Name: u.FullName}, Now: now}
}
