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
