package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"outpost/sync/wire"
)

// mainWireBytes is `outpost-bench wirebytes -db server.db -after N -upto M`:
// what a v2 pull of the server's changes with seq in (N, M] consists of,
// per kind of change (docs/benchmarks.md, "What the S3 pull's bytes are"):
// the sealed bytes, of which the seal's own nonce and tag, the change tags,
// and the frame's metadata (ids, kind, clock, parents, lengths; deflated as
// the server sends it), each kind framed alone and all of them together.
// It reads the server's store read-only and opens nothing sealed.
func mainWireBytes(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("outpost-bench wirebytes", flag.ContinueOnError)
	db := fs.String("db", "", "the server's store (server.db)")
	after := fs.Int64("after", 0, "first seq left out")
	upTo := fs.Int64("upto", 1<<62, "last seq taken")
	if err := fs.Parse(args); err != nil {
		return err
	}
	changes, err := readServerChanges(context.Background(), *db, *after, *upTo)
	if err != nil {
		return err
	}
	byKind := map[string][]wire.Change{}
	for _, c := range changes {
		byKind[c.Kind] = append(byKind[c.Kind], c)
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintln(out, "| kind | changes | sealed bytes (of which nonce+tag) | change tags | frame metadata (deflated) | total | per change |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, k := range kinds {
		if err := wireRow(out, k, byKind[k]); err != nil {
			return err
		}
	}
	return wireRow(out, "all, in pages of 5,000", changes)
}

// sealOverhead is what sealing adds to each blob: XChaCha20-Poly1305's
// 24-byte nonce and 16-byte tag (seal.Overhead).
const sealOverhead = 24 + 16

// wireRow frames cs in pages of a pull's largest (wire.MaxPullLimit).
func wireRow(out io.Writer, name string, cs []wire.Change) error {
	var buf bytes.Buffer
	for from := 0; from < len(cs); from += wire.MaxPullLimit {
		page := cs[from:min(from+wire.MaxPullLimit, len(cs))]
		if err := wire.EncodeFrame(&buf, &wire.PullResponse{Changes: page, Next: 1, Head: 1}); err != nil {
			return err
		}
	}
	sealed, tags := 0, 0
	for _, c := range cs {
		sealed += len(c.Sealed)
		tags += len(c.Auth)
	}
	meta := buf.Len() - sealed - tags
	fmt.Fprintf(out, "| %s | %d | %d (%d) | %d | %d | %d | %d |\n", name, len(cs), sealed, sealOverhead*len(cs), tags,
		meta, buf.Len(), buf.Len()/max(len(cs), 1))
	return nil
}

func readServerChanges(ctx context.Context, path string, after, upTo int64) ([]wire.Change, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT change_id, record_id, kind, patient_id, version, parents, hlc,
		device_id, user_id, sealed, auth FROM changes WHERE seq > ? AND seq <= ? AND superseded = 0 ORDER BY seq`, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("wirebytes: %w", err)
	}
	defer rows.Close()
	var cs []wire.Change
	for rows.Next() {
		var c wire.Change
		var parents string
		if err := rows.Scan(&c.ChangeID, &c.RecordID, &c.Kind, &c.PatientID, &c.Version, &parents, &c.HLC,
			&c.DeviceID, &c.UserID, &c.Sealed, &c.Auth); err != nil {
			return nil, fmt.Errorf("wirebytes: %w", err)
		}
		if err := json.Unmarshal([]byte(parents), &c.Parents); err != nil {
			return nil, fmt.Errorf("wirebytes: change %s: parents: %w", c.ChangeID, err)
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func init() {
	subcommands["wirebytes"] = func(args []string) error { return mainWireBytes(args, os.Stdout) }
}
