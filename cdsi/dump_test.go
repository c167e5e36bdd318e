package cdsi

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDumpFailures(t *testing.T) {
	if os.Getenv("CDSI_DUMP") == "" {
		t.Skip()
	}
	for _, f := range suiteFiles {
		cs, _ := ReadCases(f)
		var b strings.Builder
		for _, c := range cs {
			if o := Run(c); !o.Passed() {
				fmt.Fprintf(&b, "%s [%s] %s (dob %s, assess %s)\n  %s\n", c.ID, c.VaccineGroup, c.Name, c.DOB, c.Assessment, strings.Join(o.Diffs, "\n  "))
			}
		}
		os.WriteFile("/tmp/fail-"+f[9:13]+".txt", []byte(b.String()), 0o644)
	}
}
