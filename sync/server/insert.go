package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"outpost/sync/wire"
)

// insertRows caps the rows of one INSERT: 14 parameters a row stay well
// under SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement.
const insertRows = 256

const changeColumns = `practice, seq, change_id, record_id, kind, patient_id, version, parents, hlc, device_id, user_id, sealed, auth, received_at`

// insertChanges stores fresh, none of which is stored yet, as the
// practice's seqs after last, with multi-row inserts. The handler has
// checked that each change's DeviceID is the authenticated pushing device.
// The statement of insertRows rows is prepared once a push: an initial
// push of 5,000 changes runs it 19 times, and preparing it anew each time
// (parsing 3,584 parameters) was a tenth of the server's CPU (issue #12).
func insertChanges(ctx context.Context, tx txn, practice int64, fresh []*wire.Change, last int64, received string) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(fresh) > 0 {
		n := min(len(fresh), insertRows)
		args := make([]any, 0, n*14)
		for i, c := range fresh[:n] {
			parents, err := json.Marshal(nonNil(c.Parents))
			if err != nil {
				return fmt.Errorf("encode parents of %s: %w", c.ChangeID, err)
			}
			args = append(args, practice, last+int64(i)+1, string(c.ChangeID), c.RecordID, c.Kind, string(c.PatientID),
				c.Version, string(parents), c.HLC, string(c.DeviceID), c.UserID, nonNilBytes(c.Sealed), c.Auth, received)
		}
		var err error
		switch {
		case n < insertRows:
			_, err = tx.exec(ctx, insertQuery(n), args...)
		case full == nil:
			if full, err = tx.PrepareContext(ctx, tx.d.sql(insertQuery(n))); err == nil {
				_, err = full.ExecContext(ctx, args...)
			}
		default:
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("insert changes %s…: %w", fresh[0].ChangeID, err)
		}
		fresh, last = fresh[n:], last+int64(n)
	}
	return nil
}

// insertQuery is the INSERT of n changes.
func insertQuery(n int) string {
	row := "(?" + strings.Repeat(", ?", 13) + ")"
	return `INSERT INTO changes (` + changeColumns + `) VALUES ` + row + strings.Repeat(", "+row, n-1)
}
