package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"outpost/chart"
	"outpost/sqlite"
)

// passphraseEnv names the variable a script gives the passphrase in.
const passphraseEnv = "OUTPOST_PASSPHRASE"

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
	pass, err := readPassphrase(os.Stdin, os.Stderr)
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

// readPassphrase takes the passphrase from OUTPOST_PASSPHRASE, else asks
// for it twice on the terminal without echo (or reads one line from a
// pipe).
func readPassphrase(in *os.File, prompt io.Writer) (string, error) {
	if p := os.Getenv(passphraseEnv); p != "" {
		return p, nil
	}
	if !term.IsTerminal(int(in.Fd())) {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	ask := func(q string) (string, error) {
		fmt.Fprint(prompt, q)
		b, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(prompt)
		return string(b), err
	}
	first, err := ask("Administrator's passphrase: ")
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	again, err := ask("The same passphrase again: ")
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	if first != again {
		return "", chart.Errorf(chart.EINVALID, "The two passphrases differ; run init again.")
	}
	return first, nil
}
