package sqlite

import (
	"fmt"
	"strings"

	"outpost/chart"
)

// A record whose sealed row does not open (altered on disk, or sealed under
// a data key this workstation does not hold) must not hide its neighbours:
// every list and the chart summary show it as a placeholder of its kind,
// carrying its ids, its version and chart.Meta.Damaged, and the rest as
// usual. Only an integrity failure becomes a placeholder; any other error
// (SQL, I/O) still fails the read.

// damagedNotice is what a placeholder says instead of its content.
func damagedNotice(kind string) string {
	return fmt.Sprintf("This %s could not be opened: it may have been altered on disk, or it was sealed under a key "+
		"this workstation does not hold. Other records are unaffected; tell your practice administrator.", nounFor(kind))
}

// placeholderMeta is the Meta of the placeholder for row r.
func placeholderMeta(r clinicalRow) chart.Meta {
	return chart.Meta{ID: chart.RecordID(r.id), PatientID: chart.PatientID(r.patientID), Version: r.version,
		Damaged: damagedNotice(r.kind)}
}

// openListed opens a row for a list: a row that fails its integrity check
// comes back as its placeholder; any other failure is returned.
func openListed[T any, P recordPtr[T]](r clinicalRow, open func(clinicalRow) (T, error)) (T, error) {
	v, err := open(r)
	if err == nil {
		return v, nil
	}
	if chart.ErrorCode(err) != chart.EINTEGRITY {
		return v, err
	}
	var ph T
	*P(&ph).RecordMeta() = placeholderMeta(r)
	return ph, nil
}

// damagedIDs lists the placeholders among xs, by id.
func damagedIDs[T any, P recordPtr[T]](xs []T) []string {
	var ids []string
	for i := range xs {
		if m := P(&xs[i]).RecordMeta(); m.IsDamaged() {
			ids = append(ids, string(m.ID))
		}
	}
	return ids
}

// damagedDetail is what a read's audit entry adds when it met placeholders.
func damagedDetail(ids []string) string {
	switch len(ids) {
	case 0:
		return ""
	case 1:
		return "; 1 record could not be opened: " + ids[0]
	}
	return fmt.Sprintf("; %d records could not be opened: %s", len(ids), strings.Join(ids, ", "))
}

// errPlaceholderEdit refuses saving a placeholder: there is nothing to edit,
// and writing it would bury the damaged version under an empty one.
func errPlaceholderEdit(kind string) error {
	return chart.Errorf(chart.EINTEGRITY, "This %s could not be opened, so it cannot be changed. "+
		"Other records are unaffected; tell your practice administrator.", nounFor(kind))
}
