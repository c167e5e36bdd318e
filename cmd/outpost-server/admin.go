package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"outpost/sync/server"
	"outpost/sync/wire"
)

func cmdInit(args []string, stdout io.Writer) error {
	fs, dir := flags("init")
	url := storeFlag(fs)
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	if _, err := os.Stat(certPath(*dir)); err == nil {
		return fmt.Errorf("init: %s already holds a server (its certificate exists); refusing to replace it", *dir)
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	store, err := createStore(*dir, *url)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	defer store.Close()
	if err := makeCertificate(certPath(*dir), keyPath(*dir), time.Now()); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	_, fp, err := loadCertificate(certPath(*dir), keyPath(*dir))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Initialised practice server in %s\nCertificate SHA-256 fingerprint: %s\n", *dir, formatFingerprint(fp))
	if *url != "" {
		fmt.Fprintf(stdout, "Its store is in PostgreSQL: give every command the same -store.\n")
	}
	fmt.Fprintf(stdout, "It belongs to no practice yet: the first workstation enrolled binds it to that workstation's practice.\n"+
		"Next: `outpost-server serve -dir %s`, then `outpost-server enroll -dir %s -addr HOST:PORT` for the practice's first workstation.\n", *dir, *dir)
	return nil
}

func cmdEnroll(args []string, stdout io.Writer) error {
	fs, dir := flags("enroll")
	addr := fs.String("addr", "", "HOST:PORT at which workstations reach this server")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long the code stays valid")
	url := storeFlag(fs)
	practice := fs.String("practice", "", `"new": the code's first enrolment makes a new practice; a practice id: a code for that practice (default: the server's first practice)`)
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fmt.Errorf("%w: -addr must be HOST:PORT (%v)", errUsage, err)
	}
	if *ttl <= 0 || *ttl > 30*24*time.Hour {
		return fmt.Errorf("%w: -ttl must be between 0 and 720h", errUsage)
	}
	_, fp, err := loadCertificate(certPath(*dir), keyPath(*dir))
	if err != nil {
		return err
	}
	store, err := openStore(*dir, *url)
	if err != nil {
		return err
	}
	defer store.Close()
	expires := time.Now().Add(*ttl)
	token, err := store.NewEnrollmentTokenFor(context.Background(), *practice, expires)
	if errors.Is(err, server.ErrUnknownPractice) {
		return fmt.Errorf("enroll: no practice %q is served here (see `outpost-server devices`; -practice new makes one)", *practice)
	}
	if err != nil {
		return err
	}
	code := wire.EnrollmentCode{Addr: *addr, Fingerprint: fp, Token: token}
	if _, err := wire.ParseEnrollmentCode(code.String()); err != nil {
		return fmt.Errorf("enroll: -addr %q cannot go into a code: %w", *addr, err)
	}
	fmt.Fprintf(stdout, "%s\nOne-time enrolment code, valid until %s. Give it only to the workstation being enrolled.\n",
		code, expires.Local().Format("2006-01-02 15:04 MST"))
	if *practice == server.NewPractice {
		fmt.Fprintln(stdout, "Its first enrolment makes a new practice on this server: the practice of the workstation that uses it.")
	}
	return nil
}

func cmdDevices(args []string, stdout io.Writer) error {
	store, dir, url, err := openStoreCommand("devices", args)
	if err != nil {
		return err
	}
	defer store.Close()
	practice, _, err := store.Identity(context.Background())
	if err != nil {
		return err
	}
	if practice == "" {
		practice = "none yet (the first workstation enrolled binds this server to its practice)"
	}
	fmt.Fprintf(stdout, "Practice: %s\n", practice)
	devices, err := store.Devices(context.Background())
	if err != nil {
		return err
	}
	if len(devices) == 0 {
		fmt.Fprintf(stdout, "No workstations enrolled yet (make a code with `outpost-server enroll -dir %s%s -addr HOST:PORT`).\n", dir, storeArg(url))
		return nil
	}
	// A server of several practices names each device's.
	several := slices.ContainsFunc(devices, func(d server.Device) bool { return d.PracticeID != devices[0].PracticeID })
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, map[bool]string{true: "PRACTICE\t"}[several]+"ID\tNAME\tENROLLED\tLAST SYNC\tSTATUS")
	for _, d := range devices {
		status := "active"
		if d.Revoked() {
			status = "revoked " + stamp(d.RevokedAt)
		}
		if several {
			fmt.Fprintf(tw, "%s\t", d.PracticeID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shown(d.ID), shown(d.Name), stamp(d.EnrolledAt), stamp(d.LastSeenAt), status)
	}
	return tw.Flush()
}

func cmdRevoke(args []string, stdout io.Writer) error {
	fs, dir := flags("devices revoke")
	url := storeFlag(fs)
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: devices revoke needs exactly one DEVICE-ID", errUsage)
	}
	store, err := openStore(*dir, *url)
	if err != nil {
		return err
	}
	defer store.Close()
	id := fs.Arg(0)
	if err := store.Revoke(context.Background(), id, time.Now()); errors.Is(err, server.ErrUnknownDevice) {
		return fmt.Errorf("no device %q is enrolled (see `outpost-server devices`)", id)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Revoked %s: its next sync will be refused.\n", id)
	return nil
}

// openExisting opens the store of an initialised directory without
// creating a new empty one by mistake.
func openExisting(dir string) (*server.Store, error) {
	if _, err := os.Stat(dbPath(dir)); err != nil {
		return nil, fmt.Errorf("no server store in %s (run `outpost-server init -dir %s` first)", dir, dir)
	}
	return server.Open(context.Background(), dbPath(dir))
}

// openStoreCommand parses the arguments of a command that takes -dir and
// -store only, and opens its store.
func openStoreCommand(name string, args []string) (store *server.Store, dir, url string, err error) {
	fs, dirFlag := flags(name)
	urlFlag := storeFlag(fs)
	if err := parse(fs, dirFlag, args); err != nil {
		return nil, "", "", err
	}
	store, err = openStore(*dirFlag, *urlFlag)
	return store, *dirFlag, *urlFlag, err
}

// openStore opens the server's store: the PostgreSQL database at url if
// given, else the SQLite file in dir, which init made.
func openStore(dir, url string) (*server.Store, error) {
	switch {
	case url == "":
		return openExisting(dir)
	case server.IsPostgresURL(url):
		return server.OpenPostgres(context.Background(), url)
	}
	return nil, fmt.Errorf("%w: -store must be a postgres:// URL (without -store, the store is SQLite in -dir)", errUsage)
}

// storeArg is the -store of hints ("" for SQLite), without the URL: it
// may hold a password.
func storeArg(url string) string {
	if url == "" {
		return ""
	}
	return " -store postgres://…"
}

// createStore is openStore making the store if needed.
func createStore(dir, url string) (*server.Store, error) {
	if url == "" {
		return server.Open(context.Background(), dbPath(dir))
	}
	return openStore(dir, url)
}

// shown is s as one unforgeable cell of the devices table: as it is when
// every character shows as itself, else quoted with Go escapes (\n,
// \u202e, ...). Names are checked at enrolment since protocol v2, but rows
// stored before that may hold anything: a newline would fake a row, a tab
// a column, a bidi override would reorder what follows.
func shown(s string) string {
	odd := func(r rune) bool { return r == '"' || r == '\\' || wire.HiddenRune(r) }
	if s == "" || s != strings.TrimSpace(s) || !utf8.ValidString(s) || strings.ContainsFunc(s, odd) {
		return strconv.QuoteToGraphic(s)
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04")
}
