package chart

import (
	"context"
	"strings"
	"time"
)

// KindAppointment is a booking in the practice's appointment book. It is a
// practice-wide record: it travels with no patient id on the wire (like a
// template), the patient only inside the sealed content, so every
// workstation, a nurse's route device too, holds the whole schedule and the
// server learns nothing about who is booked.
const KindAppointment = "appointment"

// AppointmentType is how the patient will be seen.
type AppointmentType string

const (
	ApptOffice     AppointmentType = "office"
	ApptHomeVisit  AppointmentType = "home"
	ApptTelephone  AppointmentType = "telephone"
	ApptTelehealth AppointmentType = "telehealth"
	// ApptWalkIn is a patient who came without booking; it is booked and
	// checked in at once.
	ApptWalkIn AppointmentType = "walk-in"
)

// AppointmentTypes lists the types in the order the UI offers them.
var AppointmentTypes = []AppointmentType{ApptOffice, ApptHomeVisit, ApptTelephone, ApptTelehealth, ApptWalkIn}

// AppointmentStatus is where a booking stands.
type AppointmentStatus string

const (
	ApptBooked     AppointmentStatus = "booked"
	ApptCheckedIn  AppointmentStatus = "checked-in"
	ApptCompleted  AppointmentStatus = "completed" // checked out
	ApptCancelled  AppointmentStatus = "cancelled"
	ApptNoShow     AppointmentStatus = "no-show"
	apptStatusNone AppointmentStatus = ""
)

// apptMoves are the status changes the front desk may make. A cancelled or
// completed booking is final (book again instead); a no-show or a check-in
// made by mistake can be put back to booked.
var apptMoves = map[AppointmentStatus][]AppointmentStatus{
	ApptBooked:    {ApptCheckedIn, ApptCancelled, ApptNoShow},
	ApptCheckedIn: {ApptCompleted, ApptBooked},
	ApptNoShow:    {ApptBooked},
}

// CanMoveAppointment reports whether a booking in status from may be moved
// to status to.
func CanMoveAppointment(from, to AppointmentStatus) bool {
	for _, s := range apptMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Active reports whether the booking still takes its slot (a cancelled
// booking or a no-show frees it).
func (s AppointmentStatus) Active() bool {
	return s == ApptBooked || s == ApptCheckedIn || s == ApptCompleted
}

// StatusChange records who moved a booking to a status, and when.
type StatusChange struct {
	Status AppointmentStatus `json:"status"`
	At     time.Time         `json:"at"`
	By     UserID            `json:"by"`
	ByName string            `json:"byName"`
	Note   string            `json:"note,omitempty"`
}

// Appointment is one booking. Meta.PatientID is always empty (a
// practice-wide record); Patient names who is booked.
type Appointment struct {
	Meta
	Patient     PatientID `json:"patient"`
	PatientName string    `json:"patientName"` // the store fills it from the patient record
	// ClinicianID is the clinician or nurse whose book holds the slot.
	ClinicianID   UserID `json:"clinicianId"`
	ClinicianName string `json:"clinicianName"`
	// Start is local date and time, "YYYY-MM-DDTHH:MM".
	Start   string            `json:"start"`
	Minutes int               `json:"minutes"`
	Type    AppointmentType   `json:"type"`
	Reason  string            `json:"reason"`
	Status  AppointmentStatus `json:"status"`
	// History is every status change, oldest first.
	History []StatusChange `json:"history"`
	// Address and Directions are where a home visit goes; the store fills
	// them from the patient's address when left empty.
	Address    string `json:"address,omitempty"`
	Directions string `json:"directions,omitempty"`
	// RouteOrder places a home visit in the nurse's day (1 first; 0: not
	// placed, after the placed ones by start time).
	RouteOrder int `json:"routeOrder,omitempty"`
}

// Limits of a booking's length, in minutes.
const (
	MinAppointmentMinutes = 5
	MaxAppointmentMinutes = 12 * 60
)

// Validate checks a booking as the front desk enters it and tidies its
// text. Every problem is reported at once.
func (a *Appointment) Validate() error {
	var probs Problems
	if !ValidID(string(a.Patient)) {
		probs.Add(FieldError("patient", "Choose the patient to book."))
	}
	if !ValidID(string(a.ClinicianID)) {
		probs.Add(FieldError("clinicianId", "Choose whose book the appointment goes in."))
	}
	a.Start = strings.TrimSpace(strings.Replace(a.Start, " ", "T", 1))
	if _, err := time.Parse(LocalDateTimeLayout, a.Start); err != nil {
		probs.Add(FieldError("start", "The start must be a real date and time, written YYYY-MM-DD HH:MM."))
	}
	if a.Minutes < MinAppointmentMinutes || a.Minutes > MaxAppointmentMinutes {
		probs.Add(FieldError("minutes", "The length must be between %d minutes and %d hours.",
			MinAppointmentMinutes, MaxAppointmentMinutes/60))
	}
	if a.Type == "" {
		a.Type = ApptOffice
	}
	if !oneOf(a.Type, AppointmentTypes...) {
		probs.Add(FieldError("type", "Choose office, home visit, telephone, telehealth or walk-in."))
	}
	if a.Status == apptStatusNone {
		a.Status = ApptBooked
	}
	if _, ok := apptMoves[a.Status]; !ok && a.Status != ApptCompleted && a.Status != ApptCancelled {
		probs.Add(FieldError("status", "%.40q is not a status a booking can have.", a.Status))
	}
	if a.RouteOrder < 0 || a.RouteOrder > 1000 {
		probs.Add(FieldError("routeOrder", "The place in the day must be between 1 and 1000."))
	}
	cleanEach(&probs,
		textField{&a.Reason, "reason", "The reason", MaxShortTextLen, false, false},
		textField{&a.Address, "address", "The address", MaxShortTextLen, false, false},
		textField{&a.Directions, "directions", "The directions", MaxLongTextLen, false, true},
	)
	return probs.Err()
}

// Interval is the booking's start and end in local time (Start must be
// valid).
func (a *Appointment) Interval() (start, end time.Time) {
	start, err := time.ParseInLocation(LocalDateTimeLayout, a.Start, time.Local)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	return start, start.Add(time.Duration(a.Minutes) * time.Minute)
}

// Day is the booking's local date, "YYYY-MM-DD".
func (a *Appointment) Day() string {
	if len(a.Start) < len(time.DateOnly) {
		return ""
	}
	return a.Start[:len(time.DateOnly)]
}

// Move records a status change by who at now. It refuses a move the
// status does not allow, with a message saying why.
func (a *Appointment) Move(to AppointmentStatus, now time.Time, by UserID, byName, note string) error {
	if a.Status == to {
		return Errorf(EINVALID, "This appointment is already %s.", apptStatusWords[to])
	}
	if !CanMoveAppointment(a.Status, to) {
		return Errorf(ECONFLICT, "An appointment that is %s cannot be marked %s.", apptStatusWords[a.Status], apptStatusWords[to])
	}
	note, err := cleanLine("note", "The note", note, MaxShortTextLen, false)
	if err != nil {
		return err
	}
	a.Status = to
	a.History = append(a.History, StatusChange{Status: to, At: now.UTC(), By: by, ByName: byName, Note: note})
	return nil
}

var apptStatusWords = map[AppointmentStatus]string{
	ApptBooked: "booked", ApptCheckedIn: "checked in", ApptCompleted: "checked out",
	ApptCancelled: "cancelled", ApptNoShow: "a no-show",
}

// CallListEntry is one booking to remind, with how to reach the patient.
type CallListEntry struct {
	Appointment Appointment `json:"appointment"`
	Phone       string      `json:"phone"`
	MRN         string      `json:"mrn"`
}

// ForFrontDesk is the booking as the front desk sees it: names, times,
// type, status and where a home visit goes, without the reason (clinical
// content).
func (a Appointment) ForFrontDesk() Appointment {
	a.Reason = ""
	return a
}

// Book is one appointment book: a clinician or nurse who sees patients.
type Book struct {
	ID   UserID `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// ScheduleService is the appointment book (the SQLite session implements
// it). Reads hide a booking's reason from those who may not read clinical
// content.
type ScheduleService interface {
	Books(ctx context.Context) ([]Book, error)
	SaveAppointment(ctx context.Context, a Appointment) (Appointment, error)
	MoveAppointment(ctx context.Context, id RecordID, version int64, to AppointmentStatus, note string) (Appointment, error)
	ReorderNurseDay(ctx context.Context, nurse UserID, day string, ids []RecordID) ([]Appointment, error)
	Appointments(ctx context.Context, book UserID, from string, days int) ([]Appointment, error)
	PatientAppointments(ctx context.Context, patient PatientID) (upcoming, past []Appointment, err error)
	CallList(ctx context.Context, day string) ([]CallListEntry, error)
	SetRouteByDate(ctx context.Context, nurse UserID, days int) (SyncScope, error)
	AuditScheduleExport(ctx context.Context, patients []PatientID, what string) error
}
