package chart

import (
	"path/filepath"
	"strings"
)

// LabInbox is this workstation's watched folder for results from outside:
// a lab (or an interface engine) drops FHIR files there, and Outpost picks
// them up while someone is signed in, matches them to patients and puts
// them in the results review inbox. "" turns it off.
type LabInbox struct {
	Folder string `json:"folder"`
}

// Validate trims the folder and checks it is a full path.
func (l *LabInbox) Validate() error {
	l.Folder = strings.TrimSpace(l.Folder)
	if l.Folder != "" && !filepath.IsAbs(l.Folder) {
		return FieldError("folder", "Give the lab inbox folder's full path, for example /srv/lab-results.")
	}
	return nil
}
