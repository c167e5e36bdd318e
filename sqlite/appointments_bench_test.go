package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"outpost/chart"
)

// A week's schedule view as the Schedule screen asks for it (app.Week):
// every booking of the week, opened and checked, plus the double-booking
// rule. The book holds 10 clinicians × 5 days × 25 bookings for each of
// `weeks` weeks; the view is one week.
//
//	go test -run '^$' -bench ScheduleWeek -benchtime 20x ./sqlite
func BenchmarkScheduleWeek(b *testing.B) {
	for _, weeks := range []int{1, 10} {
		b.Run(fmt.Sprintf("book=%dweeks", weeks), func(b *testing.B) {
			f := benchFixture(b)
			ctx := context.Background()
			seedPatients(b, f.admin, 500)
			var books []chart.UserID
			for i := range 10 {
				u := f.addUser(b, f.admin, fmt.Sprintf("doc%d", i), chart.RoleClinician, clinicianPass)
				books = append(books, u.ID)
			}
			s := f.signIn(b, "doc0", clinicianPass)
			monday := seedWeeks(b, s, books, weeks)
			b.ResetTimer()
			for b.Loop() {
				appts, err := s.Appointments(ctx, "", monday, 7)
				if err != nil {
					b.Fatal(err)
				}
				if len(appts) != 10*5*25 {
					b.Fatalf("%d bookings in the week, want %d", len(appts), 10*5*25)
				}
				chart.Overlaps(appts)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/week-view")
		})
	}
}

// seedWeeks books 25 20-minute slots a day, Monday to Friday, in every
// book, for weeks weeks from the Monday it returns, in one transaction.
func seedWeeks(b *testing.B, s *Session, books []chart.UserID, weeks int) string {
	b.Helper()
	ctx := context.Background()
	var ids []chart.PatientID
	rows, err := s.w.db.QueryContext(ctx, `SELECT id FROM records WHERE kind = ?`, kindPatient)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id chart.PatientID
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	monday, _ := chart.WeekStart(time.Now().Format(time.DateOnly))
	first, _ := time.Parse(time.DateOnly, monday)
	n := 0
	err = s.w.write(ctx, func(t *tx) error {
		for w := range weeks {
			for d := range 5 {
				day := first.AddDate(0, 0, 7*w+d)
				for _, book := range books {
					for slot := range 25 {
						at := day.Add(8*time.Hour + time.Duration(slot)*20*time.Minute)
						a := chart.Appointment{Patient: ids[n%len(ids)], ClinicianID: book, Start: at.Format(chart.LocalDateTimeLayout),
							Minutes: 20, Type: chart.ApptOffice, Reason: "Review"}
						n++
						if err := a.Validate(); err != nil {
							return err
						}
						if err := s.storeAppointment(ctx, t, &a); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return monday
}
