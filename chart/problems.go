package chart

import "errors"

// Problems collects the field errors of one validation, so that a form
// shows every mistake at once instead of one per attempt. Validation code
// calls Add with each check's result and returns Err.
type Problems struct {
	list []FieldProblem
	seen map[string]bool
	// other is the first error that is not bad input (a bug, a refusal):
	// it wins over field problems, as returning early would have.
	other error
}

// Add records err: nil is ignored; an EINVALID *Error adds its field
// problems (only the first per field, the one to fix first); any other
// error is kept to be returned by Err. It reports whether err was nil.
func (p *Problems) Add(err error) bool {
	if err == nil {
		return true
	}
	var e *Error
	if !errors.As(err, &e) || e == nil || e.Code != EINVALID {
		if p.other == nil {
			p.other = err
		}
		return false
	}
	for _, fp := range ErrorFields(e) {
		key := fp.Field
		if key == "" {
			key = "\x00" + fp.Message // form-level: one of each message
		}
		if p.seen[key] {
			continue
		}
		if p.seen == nil {
			p.seen = map[string]bool{}
		}
		p.seen[key] = true
		p.list = append(p.list, fp)
	}
	return false
}

// Has reports whether field already has a problem (a later check that
// depends on the field's value can then be skipped).
func (p *Problems) Has(field string) bool { return p.seen[field] }

// Err returns nil when nothing was wrong, a plain field error for one
// problem, and for several an EINVALID error whose Field and Message are
// the first and whose Fields holds them all, in the order they were added.
func (p *Problems) Err() error {
	switch {
	case p.other != nil:
		return p.other
	case len(p.list) == 0:
		return nil
	case len(p.list) == 1:
		return &Error{Code: EINVALID, Field: p.list[0].Field, Message: p.list[0].Message}
	}
	return &Error{Code: EINVALID, Field: p.list[0].Field, Message: p.list[0].Message,
		Fields: append([]FieldProblem(nil), p.list...)}
}
