package cdsi

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestCDCCasesDebug(t *testing.T) {
	for _, f := range []string{"testdata/healthy-v4.45.jsonl.gz", "testdata/underlying-conditions-v4.6.jsonl.gz"} {
		cs, err := ReadCases(f)
		if err != nil {
			t.Fatal(err)
		}
		pass := 0
		var b strings.Builder
		for _, c := range cs {
			o := Run(c)
			if o.Passed() {
				pass++
				continue
			}
			fmt.Fprintf(&b, "%s [%s] %s\n  %s\n", c.ID, c.VaccineGroup, c.Name, strings.Join(o.Diffs, "\n  "))
		}
		t.Logf("%s: %d/%d", f, pass, len(cs))
		os.WriteFile("/tmp/cdsi-"+strings.Split(f[9:], "-")[0]+".txt", []byte(b.String()), 0o644)
	}
}

func TestExplainCase(t *testing.T) {
	id := os.Getenv("CDSI_CASE")
	if id == "" {
		t.Skip("set CDSI_CASE to a test id")
	}
	for _, f := range []string{"testdata/healthy-v4.45.jsonl.gz", "testdata/underlying-conditions-v4.6.jsonl.gz"} {
		cs, _ := ReadCases(f)
		for _, c := range cs {
			if c.ID == id {
				o := Run(c)
				t.Logf("%s %s dob %s assess %s\n%s\n%s", c.ID, c.Name, c.DOB, c.Assessment, strings.Join(o.Diffs, "\n"), Explain(c))
			}
		}
	}
}
