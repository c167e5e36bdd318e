// Package app is the thin layer Wails binds to the frontend: three structs
// (Session, Patients, Admin) whose methods return (DTO, error). It holds the
// signed-in chart.Session, locks it when idle, and turns every error into the
// JSON the frontend decodes in one place. It contains no SQL and no crypto:
// those live behind the chart interfaces that main wires in.
package app
