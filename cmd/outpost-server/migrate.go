package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"outpost/sync/server"
)

// cmdMigrate copies a stopped server's SQLite store into an empty
// PostgreSQL database; then serve with -store. The SQLite file is left as
// it was (a fallback until the PostgreSQL store is trusted).
func cmdMigrate(args []string, stdout io.Writer) error {
	fs, dir := flags("migrate")
	to := fs.String("to", "", "postgres:// URL of an empty database")
	if err := parse(fs, dir, args); err != nil {
		return err
	}
	if !server.IsPostgresURL(*to) {
		return fmt.Errorf("%w: -to must be a postgres:// URL", errUsage)
	}
	src, err := openExisting(*dir)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := server.OpenPostgres(context.Background(), *to)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer dst.Close()
	counts, err := src.CopyTo(context.Background(), dst, time.Now())
	if errors.Is(err, server.ErrTargetNotEmpty) {
		return fmt.Errorf("migrate: %w; if an earlier migrate succeeded, serve with -store instead", err)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w (the target was left as it was)", err)
	}
	fmt.Fprintf(stdout, "Copied %d practices, %d devices, %d changes, %d enrolment codes and %d revoked keys; counts checked.\n",
		counts["practices"], counts["devices"], counts["changes"], counts["enrol_codes"], counts["revoked_keys"])
	fmt.Fprintf(stdout, "Next: `outpost-server serve -dir %s -store URL` (every command takes the same -store). %s is left as it was.\n",
		*dir, dbPath(*dir))
	return nil
}
