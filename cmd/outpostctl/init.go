package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"outpost/chart"
	"outpost/sqlite"
)

// cmdInit creates a workstation's chart store with its practice and first
// administrator, as the app's first-run screen does, and prints the
// recovery key (shown once: whoever runs it must keep it safe).
func cmdInit(ctx context.Context, args []string, out io.Writer) error {
	fs, data := flags("init")
	practice := fs.String("practice", "", "the practice's name")
	admin := fs.String("admin", "", "the first administrator's username")
	name := fs.String("name", "", "the administrator's full name (default: the username)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *practice == "" || *admin == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: init needs -practice NAME and -admin USERNAME", errUsage)
	}
	path, err := newChartPath(*data)
	if err != nil {
		return err
	}
	pass, err := readPassphrase(os.Stdin, os.Stderr, "Administrator's passphrase: ", true)
	if err != nil {
		return err
	}
	w, err := sqlite.OpenWorkstation(ctx, path, sqlite.Options{})
	if err != nil {
		return err
	}
	defer w.Close()
	s, recovery, err := w.CreatePractice(ctx, chart.NewPractice{PracticeName: *practice,
		Admin: chart.NewUser{FullName: cmp.Or(*name, *admin), Username: *admin, Passphrase: pass}})
	if err != nil {
		return err
	}
	defer s.Lock(ctx)
	fmt.Fprintf(out, "Created the chart of %s at %s, with administrator %s.\n\n"+
		"Recovery key (write it down and keep it somewhere safe, away from this computer: it is shown only once,\n"+
		"and it is the only way back into the chart if every administrator's passphrase is lost):\n\n  %s\n",
		*practice, path, *admin, recovery)
	return nil
}

// newChartPath is where the new chart goes; a folder that holds one
// already is refused before anything is asked.
func newChartPath(dir string) (string, error) {
	path, err := chartPath(dir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err == nil {
		return "", chart.Errorf(chart.ECONFLICT, "There is a chart at %s already; init creates a new one. "+
			"Choose another folder with -data.", path)
	}
	return path, os.MkdirAll(filepath.Dir(path), 0o700)
}
