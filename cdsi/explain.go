package cdsi

import (
	"fmt"
	"strings"
)

// Explain describes, for one case, every relevant patient series of each
// antigen of its vaccine group: how each dose was evaluated and the forecast.
// outpostctl's report and debugging use it.
func Explain(c Case) string {
	p, doses, assess, err := c.inputs()
	if err != nil {
		return err.Error()
	}
	d, err := Supporting()
	if err != nil {
		return err.Error()
	}
	e := newEngine(d, p, doses, assess)
	var b strings.Builder
	for _, a := range d.antigensOf(GroupName(c.VaccineGroup)) {
		best := e.best(a)
		for _, s := range e.relevant(a) {
			r := e.evaluate(a, s)
			mark := " "
			if best != nil && best.s == s {
				mark = "*"
			}
			fmt.Fprintf(&b, "%s %s / %s [group %s %s pref %s]: %s, %d valid, next dose %d, earliest %s rec %s past due %s\n",
				mark, a, s.Name, s.Select.Group, s.Select.Priority, s.Select.Preference, r.status, r.valid, r.next+1,
				r.fc.earliest, r.fc.recommended, r.fc.pastDue)
			for i, dz := range r.doses {
				ev := r.evals[i]
				fmt.Fprintf(&b, "    %s cvx %s: %s %s (target %d)\n", dz.date, dz.cvx, ev.status, ev.reason, ev.target+1)
			}
		}
	}
	return b.String()
}
