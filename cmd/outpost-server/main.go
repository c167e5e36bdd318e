// Command outpost-server is Outpost's practice server: it relays sealed
// change logs between enrolled workstations over HTTPS (docs/SYNC.md). It
// never holds the practice data key.
//
//	outpost-server init    -dir DIR [-store postgres://...]
//	outpost-server serve   -dir DIR [-store postgres://...] [-addr 127.0.0.1:8443] [-memory-limit 128MiB] [-device-quota 4GiB]
//	                       [-metrics 127.0.0.1:9090] [-log-format text|json] [-log-level info]
//	outpost-server enroll  -dir DIR [-store postgres://...] [-practice new|PRACTICE-ID] -addr HOST:PORT [-ttl 24h]
//	outpost-server devices -dir DIR [-store postgres://...]
//	outpost-server devices revoke -dir DIR [-store postgres://...] DEVICE-ID
//	outpost-server migrate -dir DIR -to postgres://...
//	outpost-server backup  -dir DIR -out FOLDER|FILE.outpost-backup
//	outpost-server restore -dir DIR -in FILE
//	outpost-server reincarnate -dir DIR [-store postgres://...]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

const usage = `usage:
  outpost-server init    -dir DIR                        create the store and TLS certificate
  outpost-server serve   -dir DIR [-addr 127.0.0.1:8443]  serve the sync protocol over HTTPS (several may share one PostgreSQL)
                         [-memory-limit 128MiB]          memory the server aims to stay under
                         [-device-quota 4GiB]            storage each workstation may use (0: no limit)
                         [-metrics 127.0.0.1:9090]       Prometheus metrics and health probes over plain HTTP (default: off)
                         [-log-format text|json]         log lines on stderr (no health data, no sealed content)
                         [-log-level info]               debug, info, warn (no line per successful request) or error
  outpost-server enroll  -dir DIR -addr HOST:PORT [-ttl 24h] [-practice new|PRACTICE-ID]
                                                         print a one-time workstation enrolment code
                                                         (-practice new: its first enrolment makes a new practice)
  outpost-server devices -dir DIR                        list enrolled workstations
  outpost-server devices revoke -dir DIR DEVICE-ID       stop a workstation from syncing
  outpost-server backup  -dir DIR -out FOLDER|FILE        verified backup while serving (in a folder: generations,
                         [-keep-daily 7] [-keep-weekly 4] [-keep-monthly 12])
  outpost-server restore -dir EMPTY-DIR -in FILE          rebuild a server's folder from a backup
  outpost-server reincarnate -dir DIR                    after restoring a store by other means (pg_restore, a
                                                         file copy): workstations send it what it lost
  outpost-server migrate -dir DIR -to postgres://...      copy a stopped server's SQLite store into an empty PostgreSQL database
init, serve, enroll, devices and reincarnate take -store postgres://USER@HOST/DB to keep the store in PostgreSQL
(default: SQLite in -dir); -dir still holds the TLS certificate.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage makes run print the usage text.
var errUsage = errors.New("bad usage")

func run(args []string, stdout, stderr io.Writer) int {
	err := dispatch(args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, usage)
		return 2
	default:
		fmt.Fprintln(stderr, "outpost-server:", err)
		return 1
	}
}

func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch {
	case cmd == "init":
		return cmdInit(rest, stdout)
	case cmd == "serve":
		return cmdServe(rest, stdout, stderr)
	case cmd == "enroll":
		return cmdEnroll(rest, stdout)
	case cmd == "devices" && len(rest) > 0 && rest[0] == "revoke":
		return cmdRevoke(rest[1:], stdout)
	case cmd == "devices":
		return cmdDevices(rest, stdout)
	case cmd == "backup":
		return cmdBackup(rest, stdout)
	case cmd == "restore":
		return cmdRestore(rest, stdout)
	case cmd == "reincarnate":
		return cmdReincarnate(rest, stdout)
	case cmd == "migrate":
		return cmdMigrate(rest, stdout)
	}
	return errUsage
}

// flags returns a flag set with the common -dir flag.
func flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("dir", "", "server data directory")
	return fs, dir
}

// storeFlag adds -store: a postgres:// URL, or "" for SQLite in -dir.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "", "postgres://USER@HOST:PORT/DB to keep the store in PostgreSQL (default: SQLite in -dir)")
}

func parse(fs *flag.FlagSet, dir *string, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *dir == "" {
		return fmt.Errorf("%w: -dir is required", errUsage)
	}
	return nil
}

// Files inside the data directory.
func dbPath(dir string) string   { return filepath.Join(dir, "server.db") }
func certPath(dir string) string { return filepath.Join(dir, "tls-cert.pem") }
func keyPath(dir string) string  { return filepath.Join(dir, "tls-key.pem") }
