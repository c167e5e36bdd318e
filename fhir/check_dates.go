package fhir

// The checks run on every resource of an import, twice read (the second
// pass) and once mapped, and every dateTime and id passes them: matched
// by regexp they were about a tenth of the checks' CPU (docs/benchmarks.md,
// FHIR import). These matchers answer as the patterns in their comments,
// which check_dates_test.go keeps and fuzzes them against.

// validID: ^[A-Za-z0-9\-.]{1,64}$
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !(isDigit(b) || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '-' || b == '.') {
			return false
		}
	}
	return true
}

// dateTimeShape: ^(\d{4})(-\d{2}(-\d{2}(T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$
// ok says v matches; hasTime that the T part is there (group 4),
// seconds and zone that its seconds (group 6) and time zone (group 8) are.
func dateTimeShape(v string) (ok, hasTime, seconds, zone bool) {
	p := 0
	digits := func(n int) bool {
		if len(v)-p < n {
			return false
		}
		for i := p; i < p+n; i++ {
			if !isDigit(v[i]) {
				return false
			}
		}
		p += n
		return true
	}
	next := func(b byte) bool {
		if p < len(v) && v[p] == b {
			p++
			return true
		}
		return false
	}
	if !digits(4) {
		return false, false, false, false
	}
	for range 2 { // -MM, then -DD
		if p == len(v) {
			return true, false, false, false
		}
		if !next('-') || !digits(2) {
			return false, false, false, false
		}
	}
	if p == len(v) {
		return true, false, false, false
	}
	if !next('T') || !digits(2) || !next(':') || !digits(2) {
		return false, false, false, false
	}
	if next(':') {
		if !digits(2) {
			return false, false, false, false
		}
		seconds = true
		if next('.') {
			start := p
			for p < len(v) && isDigit(v[p]) {
				p++
			}
			if p == start {
				return false, false, false, false
			}
		}
	}
	switch {
	case next('Z'):
		zone = true
	case next('+') || next('-'):
		if !digits(2) || !next(':') || !digits(2) {
			return false, false, false, false
		}
		zone = true
	}
	if p != len(v) {
		return false, false, false, false
	}
	return true, true, seconds, zone
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
