package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"outpost/chart"
)

// The appointment book. Appointments are practice-wide records (patient id
// "" in records and on the wire, the patient only inside the sealed
// content), so every workstation holds the whole book and merges it field
// by field like any record. Two bookings of one slot are two records:
// both are kept and chart.Overlaps shows them. Reading the book is audited
// once per listing; each write is audited against the booked patient.

// SaveAppointment books (no id) or edits a booking: its time, length,
// book, type, reason and, for a home visit, where it goes. Status changes
// go through MoveAppointment, so an edit keeps the status and its history.
func (s *Session) SaveAppointment(ctx context.Context, a chart.Appointment) (chart.Appointment, error) {
	err := s.guarded("save appointment", chart.ActWriteSchedule, func() error {
		if a.IsDamaged() {
			return errPlaceholderEdit(chart.KindAppointment)
		}
		if err := a.Validate(); err != nil {
			return err
		}
		return s.w.write(ctx, func(t *tx) error { return s.storeAppointment(ctx, t, &a) })
	})
	if err != nil {
		return chart.Appointment{}, err
	}
	return s.forRole(a), nil
}

func (s *Session) storeAppointment(ctx context.Context, t *tx, a *chart.Appointment) error {
	var parents []chart.ChangeID
	if a.ID == "" {
		if err := s.newAppointment(ctx, t, a); err != nil {
			return err
		}
	} else {
		old, ps, err := prepareWrite[chart.Appointment](ctx, s, t, chart.KindAppointment, a)
		if err != nil {
			return err
		}
		keepStoreOwned(a, old, chart.Can(s.user.Role, chart.ActReadClinical))
		parents = ps
	}
	if err := s.fillAppointment(ctx, t, a); err != nil {
		return err
	}
	return s.writeAppointment(ctx, t, a, parents, "")
}

// newAppointment starts a booking's Meta and its history. A walk-in is
// booked and checked in at once.
func (s *Session) newAppointment(ctx context.Context, t *tx, a *chart.Appointment) error {
	if err := requirePatient(ctx, t, a.Patient); err != nil {
		return err
	}
	a.Meta = chart.Meta{ID: chart.NewRecordID(), Version: 1, CreatedAt: t.now, CreatedBy: s.user.ID,
		UpdatedAt: t.now, UpdatedBy: s.user.ID}
	a.Status, a.History = chart.ApptBooked, nil
	a.History = append(a.History, chart.StatusChange{Status: chart.ApptBooked, At: t.now.UTC(), By: s.user.ID, ByName: s.user.FullName})
	if a.Type == chart.ApptWalkIn {
		return a.Move(chart.ApptCheckedIn, t.now, s.user.ID, s.user.FullName, "walk-in")
	}
	return nil
}

// keepStoreOwned restores what an edit may not change: the patient, the
// status and its history, and, for someone who may not read the reason
// (the front desk, who never saw it), the reason.
func keepStoreOwned(a, old *chart.Appointment, readsReason bool) {
	a.Patient, a.Status, a.History = old.Patient, old.Status, old.History
	if !readsReason {
		a.Reason = old.Reason
	}
}

// fillAppointment names the book's owner and the patient from their
// records, and gives a home visit the patient's address and directions
// when none were typed.
func (s *Session) fillAppointment(ctx context.Context, t *tx, a *chart.Appointment) error {
	err := t.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, string(a.ClinicianID)).Scan(&a.ClinicianName)
	if errors.Is(err, sql.ErrNoRows) {
		return chart.FieldError("clinicianId", "Choose whose book the appointment goes in from the list.")
	}
	if err != nil {
		return fmt.Errorf("find the book's owner: %w", err)
	}
	row, err := loadRecord(ctx, t, kindPatient, string(a.Patient))
	if err != nil {
		return err
	}
	p, err := openPatient(s.key, row.id, row.version, row.head, row.sealed)
	if err != nil {
		return err
	}
	a.PatientName = chart.PatientDisplayName(p.Summary())
	if a.Type == chart.ApptHomeVisit && a.Address == "" {
		a.Address = oneLineAddress(p.Address)
	}
	if a.Type == chart.ApptHomeVisit && a.Directions == "" {
		a.Directions = p.Address.Directions
	}
	return nil
}

func oneLineAddress(ad chart.Address) string {
	var parts []string
	for _, v := range []string{ad.Line1, ad.Line2, ad.City, ad.Region, ad.PostalCode} {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ", ")
}

// writeAppointment seals a as its next version and audits it against the
// booked patient, with what changed (detail) when it is a status move.
func (s *Session) writeAppointment(ctx context.Context, t *tx, a *chart.Appointment, parents []chart.ChangeID, detail string) error {
	if err := s.storeRecord(ctx, t, chart.KindAppointment, &a.Meta, a, parents, rowFlags{}); err != nil {
		return err
	}
	if err := s.indexWritten(ctx, t, a); err != nil {
		return err
	}
	e := writeAudit(chart.KindAppointment, &a.Meta, fmt.Sprintf(" for %s (%s)%s", a.Start, a.ClinicianName, detail))
	e.PatientID = a.Patient
	return s.audit(ctx, t, e)
}

// MoveAppointment checks a patient in or out, cancels a booking, marks a
// no-show, or puts a booking back to booked, recording who and when.
func (s *Session) MoveAppointment(ctx context.Context, id chart.RecordID, version int64, to chart.AppointmentStatus, note string) (chart.Appointment, error) {
	var a chart.Appointment
	err := s.guarded("change appointment", chart.ActWriteSchedule, func() error {
		return s.w.write(ctx, func(t *tx) error {
			a = chart.Appointment{Meta: chart.Meta{ID: id, Version: version}}
			old, parents, err := prepareWrite[chart.Appointment](ctx, s, t, chart.KindAppointment, &a)
			if err != nil {
				return err
			}
			meta := a.Meta
			a, a.Meta = *old, meta
			if err := a.Move(to, t.now, s.user.ID, s.user.FullName, note); err != nil {
				return err
			}
			return s.writeAppointment(ctx, t, &a, parents, ": "+string(to))
		})
	})
	if err != nil {
		return chart.Appointment{}, err
	}
	return s.forRole(a), nil
}

// ReorderNurseDay puts a nurse's home visits of day in the order ids gives.
// Each visit whose place changed is written as a new version.
func (s *Session) ReorderNurseDay(ctx context.Context, nurse chart.UserID, day string, ids []chart.RecordID) ([]chart.Appointment, error) {
	var out []chart.Appointment
	err := s.guarded("reorder the nurse's day", chart.ActWriteSchedule, func() error {
		return s.w.write(ctx, func(t *tx) error {
			all, err := s.appointmentsIn(ctx, t, nurse, day, 1)
			if err != nil {
				return err
			}
			current := chart.NurseDay(all, nurse, day)
			if out, err = chart.Reorder(current, ids); err != nil {
				return err
			}
			return s.writeRouteOrder(ctx, t, current, out)
		})
	})
	if err != nil {
		return nil, err
	}
	return s.allForRole(out), nil
}

func (s *Session) writeRouteOrder(ctx context.Context, t *tx, before, after []chart.Appointment) error {
	was := map[chart.RecordID]int{}
	for _, a := range before {
		was[a.ID] = a.RouteOrder
	}
	for i := range after {
		a := &after[i]
		if was[a.ID] == a.RouteOrder {
			continue
		}
		order := a.RouteOrder
		old, parents, err := prepareWrite[chart.Appointment](ctx, s, t, chart.KindAppointment, a)
		if err != nil {
			return err
		}
		meta := a.Meta
		*a = *old
		a.Meta, a.RouteOrder = meta, order
		if err := s.writeAppointment(ctx, t, a, parents, fmt.Sprintf(": visit %d of the day", order)); err != nil {
			return err
		}
	}
	return nil
}

// Appointments lists the bookings of the days [from, from+days) in book
// (every book when empty), by start. The listing is audited once.
func (s *Session) Appointments(ctx context.Context, book chart.UserID, from string, days int) ([]chart.Appointment, error) {
	var out []chart.Appointment
	err := s.guarded("list appointments", chart.ActReadSchedule, func() error {
		return s.w.write(ctx, func(t *tx) error {
			in, err := s.appointmentsIn(ctx, t, book, from, days)
			if err != nil {
				return err
			}
			out = s.allForRole(in)
			return s.auditBookIn(ctx, t, "", fmt.Sprintf("viewed the appointment book: %d bookings from %s for %d days", len(out), from, days))
		})
	})
	return out, err
}

// PatientAppointments lists one patient's bookings, upcoming (soonest
// first) and past (latest first). It is a read of the patient's chart.
func (s *Session) PatientAppointments(ctx context.Context, patient chart.PatientID) (upcoming, past []chart.Appointment, err error) {
	err = s.guarded("list the patient's appointments", chart.ActReadSchedule, func() error {
		if err := requirePatient(ctx, s.w.db, patient); err != nil {
			return err
		}
		all, err := listRecords[chart.Appointment](ctx, s.w.db, s.key, chartIDs{""}, chart.KindAppointment, false)
		if err != nil {
			return err
		}
		upcoming, past = chart.PatientAppointments(all, patient, s.w.now())
		upcoming, past = s.allForRole(upcoming), s.allForRole(past)
		return s.auditBook(ctx, patient, "viewed the patient's appointments")
	})
	return upcoming, past, err
}

// CallList is the day's bookings still to remind, with each patient's
// phone number as this workstation knows it.
func (s *Session) CallList(ctx context.Context, day string) ([]chart.CallListEntry, error) {
	var out []chart.CallListEntry
	err := s.guarded("list the calls to make", chart.ActReadSchedule, func() error {
		return s.w.write(ctx, func(t *tx) error {
			all, err := s.appointmentsIn(ctx, t, "", day, 1)
			if err != nil {
				return err
			}
			for _, a := range chart.CallList(all, day) {
				e := chart.CallListEntry{Appointment: s.forRole(a)}
				if p, ok := s.index.Summary(a.Patient); ok {
					e.Phone, e.MRN = p.Phone, p.MRN
				}
				out = append(out, e)
			}
			return s.auditBookIn(ctx, t, "", fmt.Sprintf("viewed the call list for %s: %d bookings", day, len(out)))
		})
	})
	return out, err
}

func (s *Session) auditBook(ctx context.Context, patient chart.PatientID, detail string) error {
	return s.w.write(ctx, func(t *tx) error { return s.auditBookIn(ctx, t, patient, detail) })
}

func (s *Session) auditBookIn(ctx context.Context, t *tx, patient chart.PatientID, detail string) error {
	return s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditChartOpen, PatientID: patient,
		RecordKind: chart.KindAppointment, Detail: detail})
}

// forRole hides a booking's reason from those who may not read clinical
// content (the front desk).
func (s *Session) forRole(a chart.Appointment) chart.Appointment {
	if chart.Can(s.user.Role, chart.ActReadClinical) {
		return a
	}
	return a.ForFrontDesk()
}

func (s *Session) allForRole(as []chart.Appointment) []chart.Appointment {
	for i := range as {
		as[i] = s.forRole(as[i])
	}
	return as
}

var _ chart.ScheduleService = (*Session)(nil)

// Books lists the active clinicians and nurses, whose books appointments
// go in, by name.
func (s *Session) Books(ctx context.Context) ([]chart.Book, error) {
	var out []chart.Book
	err := s.guarded("list the appointment books", chart.ActReadSchedule, func() error {
		rows, err := s.w.db.QueryContext(ctx, `SELECT id, full_name, role FROM users
			WHERE active = 1 AND role IN (?, ?) ORDER BY full_name, id`, chart.RoleClinician, chart.RoleNurse)
		if err != nil {
			return fmt.Errorf("list books: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var b chart.Book
			if err := rows.Scan(&b.ID, &b.Name, &b.Role); err != nil {
				return fmt.Errorf("list books: %w", err)
			}
			out = append(out, b)
		}
		return rows.Err()
	})
	return out, err
}

// AuditScheduleExport audits a printed or exported list of the book (a
// call list) as an export for each patient on it.
func (s *Session) AuditScheduleExport(ctx context.Context, patients []chart.PatientID, what string) error {
	return s.guarded("audit export", chart.ActReadSchedule, func() error {
		return s.w.write(ctx, func(t *tx) error {
			for _, id := range patients {
				err := s.audit(ctx, t, chart.AuditEntry{Action: chart.AuditExport, PatientID: id,
					RecordKind: chart.KindAppointment, Detail: "exported " + what})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
}
