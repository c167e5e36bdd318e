package app

import (
	"context"

	"outpost/chart"
	"outpost/codes"
)

// Codes is bound to the frontend: the code lists shipped inside the app
// (ICD-10-CM, CVX, RxNorm), searched as you type, fully offline.
type Codes struct{ a *App }

const codeLimit = 20

// search runs a code-list search for a signed-in user (the lists are not
// secret, but the chart's screens are for staff only).
func search(a *App, query string, find func(query string, limit int) []codes.Code) ([]codes.Code, error) {
	return call(a, func(context.Context, chart.Session) ([]codes.Code, error) { return nonNil(find(query, codeLimit)), nil })
}

// ICD10 searches billable ICD-10-CM codes by code or description words.
func (c *Codes) ICD10(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.ICD10Billable)
}

// CVX searches vaccine codes.
func (c *Codes) CVX(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.CVX)
}

// RxNorm searches the shipped drug list.
func (c *Codes) RxNorm(query string) ([]codes.Code, error) {
	return search(c.a, query, codes.RxNorm)
}

// Attribution is the licence text of the shipped code lists.
func (c *Codes) Attribution() string { return codes.Attribution }
