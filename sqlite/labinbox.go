package sqlite

import (
	"context"
	"fmt"

	"outpost/chart"
)

// metaLabInbox keeps this workstation's lab inbox folder (chart.LabInbox).
const metaLabInbox = "lab_inbox"

// LabInbox returns this workstation's watched folder for outside results.
func (w *Workstation) LabInbox(ctx context.Context) (chart.LabInbox, error) {
	var l chart.LabInbox
	if _, err := readMetaJSON(ctx, w, metaLabInbox, &l); err != nil {
		return l, fmt.Errorf("read lab inbox: %w", err)
	}
	return l, nil
}

// SetLabInbox saves this workstation's lab inbox folder (administrators;
// audited).
func (s *Session) SetLabInbox(ctx context.Context, l chart.LabInbox) (chart.LabInbox, error) {
	if err := l.Validate(); err != nil {
		return l, err
	}
	detail := fmt.Sprintf("set this workstation's lab inbox to %q", l.Folder)
	if l.Folder == "" {
		detail = "turned this workstation's lab inbox off"
	}
	return l, s.saveLocalSetting(ctx, metaLabInbox, l, detail)
}
