package app

import (
	"outpost/codes"
)

// Codes is bound to the frontend: the code lists shipped inside the app
// (ICD-10-CM, CVX, RxNorm), searched as you type, fully offline.
type Codes struct{ a *App }

const codeLimit = 20

// ICD10 searches billable ICD-10-CM codes by code or description words.
func (c *Codes) ICD10(query string) (res []codes.Code, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	if _, err := c.a.current(); err != nil {
		return nil, err
	}
	return nonNil(codes.ICD10Billable(query, codeLimit)), nil
}

// CVX searches vaccine codes.
func (c *Codes) CVX(query string) (res []codes.Code, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	if _, err := c.a.current(); err != nil {
		return nil, err
	}
	return nonNil(codes.CVX(query, codeLimit)), nil
}

// RxNorm searches the shipped drug list.
func (c *Codes) RxNorm(query string) (res []codes.Code, err error) {
	defer recoverTo(c.a.opts.Logger, &err)
	if _, err := c.a.current(); err != nil {
		return nil, err
	}
	return nonNil(codes.RxNorm(query, codeLimit)), nil
}

// Attribution is the licence text of the shipped code lists.
func (c *Codes) Attribution() string { return codes.Attribution }
