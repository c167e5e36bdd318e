package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"outpost/backup/snapshot"
	"outpost/chart"
	"outpost/sqlite"
)

// The backup benchmark (issue #15): the sync benchmark's data set loaded
// into a real workstation, then, run after run, a backup with the key
// (every record's seal opened), one without (as on quitting), a
// verification of the file, and a restore onto an empty workstation
// (extract and check, unlock with the passphrase and open every record,
// copy into the live store). VACUUM INTO is timed beside the online backup
// that the engine uses, for comparison.
//
//	outpost-bench backup -dataset dataset.ndjson -work DIR [-runs 3] [-out results.jsonl]

// backupRun is one run's figures, in seconds and bytes.
type backupRun struct {
	Run             int     `json:"run"`
	ChartBytes      int64   `json:"chart_bytes"`
	BackupBytes     int64   `json:"backup_bytes"`
	VacuumBytes     int64   `json:"vacuum_into_bytes"`
	Records         int64   `json:"records_opened"`
	BackupKeyed     float64 `json:"backup_with_key_s"`
	BackupLocked    float64 `json:"backup_without_key_s"`
	VacuumInto      float64 `json:"vacuum_into_s"`
	OnlineCopy      float64 `json:"online_copy_s"`
	Verify          float64 `json:"verify_s"`
	RestoreOpen     float64 `json:"restore_open_s"`
	RestoreUnlock   float64 `json:"restore_unlock_s"`
	RestoreCommit   float64 `json:"restore_commit_s"`
	RestoreTotal    float64 `json:"restore_total_s"`
	PatientsRestore int     `json:"patients_after_restore"`
}

func mainBackup(args []string) error {
	fs := flag.NewFlagSet("outpost-bench backup", flag.ContinueOnError)
	dataset := fs.String("dataset", "", "NDJSON data set written by the harness's `node dump.js`")
	work := fs.String("work", "", "work directory (wiped first)")
	runs := fs.Int("runs", 3, "how many times to measure")
	outPath := fs.String("out", "", "also write the JSON lines here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dataset == "" || *work == "" {
		return fmt.Errorf("-dataset and -work are required")
	}
	var out io.Writer = os.Stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			return err
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	ctx := context.Background()
	os.RemoveAll(*work)
	a := filepath.Join(*work, "a")
	t0 := time.Now()
	maxRefused = 1_000 // a chart of the data set's size is what counts here
	res, err := loadDataset(ctx, a, *dataset)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	fmt.Fprintf(os.Stderr, "loaded %d documents (%d refused by the chart's rules, e.g. %q) and %d changes in %.1f s\n",
		res.Docs, len(res.NotLoaded), first(res.NotLoaded), res.Changes, time.Since(t0).Seconds())
	var all []backupRun
	for i := 1; i <= *runs; i++ {
		r, err := measureBackup(ctx, a, filepath.Join(*work, fmt.Sprintf("run%d", i)), i)
		if err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
		all = append(all, r)
		b, _ := json.Marshal(r)
		fmt.Fprintln(out, string(b))
	}
	printBackupMedians(os.Stderr, all)
	return nil
}

// measureBackup backs the chart in dir up into work/usb and restores it
// onto work/restored.
func measureBackup(ctx context.Context, dir, work string, run int) (backupRun, error) {
	r := backupRun{Run: run}
	w, err := sqlite.OpenWorkstation(ctx, chartPath(dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return r, err
	}
	defer w.Close()
	admin, err := w.SignIn(ctx, adminUser, adminPass)
	if err != nil {
		return r, err
	}
	usb := filepath.Join(work, "usb")
	if err := os.MkdirAll(usb, 0o700); err != nil {
		return r, err
	}
	st := chart.DefaultBackupSettings
	st.Folder = usb
	if _, err := admin.(*sqlite.Session).SetBackupSettings(ctx, st); err != nil {
		return r, err
	}
	r.ChartBytes = fileSize(chartPath(dir)) + fileSize(chartPath(dir)+"-wal")

	t := time.Now()
	locked, err := w.BackUp(ctx, nil, true, nil)
	if err != nil {
		return r, err
	}
	r.BackupLocked = time.Since(t).Seconds()
	os.Remove(locked.Path) // the keyed backup below is the one restored
	t = time.Now()
	keyed, err := w.BackUp(ctx, admin, false, nil)
	if err != nil {
		return r, err
	}
	r.BackupKeyed, r.BackupBytes, r.Records = time.Since(t).Seconds(), keyed.Size, keyed.Check.RecordsOpened

	if r.VacuumInto, r.OnlineCopy, r.VacuumBytes, err = copies(ctx, chartPath(dir), work); err != nil {
		return r, err
	}
	t = time.Now()
	check, err := w.VerifyBackup(ctx, admin, keyed.Path, nil)
	if err != nil || !check.OK {
		return r, fmt.Errorf("verify: %v %+v", err, check)
	}
	r.Verify = time.Since(t).Seconds()
	return r, restoreInto(ctx, filepath.Join(work, "restored"), keyed.Path, &r)
}

// restoreInto restores the backup at path onto an empty workstation in dir.
func restoreInto(ctx context.Context, dir, path string, r *backupRun) error {
	fresh, err := sqlite.OpenWorkstation(ctx, chartPath(dir), sqlite.Options{WorkFactor: benchWorkFactor})
	if err != nil {
		return err
	}
	defer fresh.Close()
	t := time.Now()
	rs, err := fresh.OpenRestore(ctx, path, nil)
	if err != nil {
		return err
	}
	r.RestoreOpen = time.Since(t).Seconds()
	t2 := time.Now()
	if _, err := rs.Unlock(ctx, adminUser, adminPass); err != nil {
		return err
	}
	r.RestoreUnlock = time.Since(t2).Seconds()
	t2 = time.Now()
	if _, err := rs.Commit(ctx, false); err != nil {
		return err
	}
	r.RestoreCommit, r.RestoreTotal = time.Since(t2).Seconds(), time.Since(t).Seconds()
	s, err := fresh.SignIn(ctx, clinicianUser, clinicianPass)
	if err != nil {
		return err
	}
	found, err := s.FindPatients(ctx, "", 1)
	r.PatientsRestore = found.Total
	return err
}

// copies times the two ways to copy a live SQLite database, neither synced
// nor checked: VACUUM INTO (a compact copy) and the online backup API with
// the counts read in the same transaction (what the engine uses), and
// returns VACUUM INTO's size.
func copies(ctx context.Context, chartFile, work string) (vacuum, online float64, size int64, err error) {
	db, err := sql.Open("sqlite", chartFile+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, 0, 0, err
	}
	defer db.Close()
	dst := filepath.Join(work, "vacuum.db")
	t := time.Now()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return 0, 0, 0, err
	}
	vacuum, size = time.Since(t).Seconds(), fileSize(dst)
	os.Remove(dst)
	t = time.Now()
	if _, err := snapshot.Copy(ctx, db, filepath.Join(work, "online.db"), snapshot.Counts{"records": `SELECT count(*) FROM records`}, nil); err != nil {
		return 0, 0, 0, err
	}
	online = time.Since(t).Seconds()
	os.Remove(filepath.Join(work, "online.db"))
	return vacuum, online, size, nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func printBackupMedians(w io.Writer, runs []backupRun) {
	med := func(f func(backupRun) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	r := runs[0]
	fmt.Fprintf(w, "chart %.1f MB, backup %.1f MB (VACUUM INTO %.1f MB), %d records, %d patients after restore\n",
		float64(r.ChartBytes)/1e6, float64(r.BackupBytes)/1e6, float64(r.VacuumBytes)/1e6, r.Records, r.PatientsRestore)
	fmt.Fprintf(w, "medians of %d runs: backup with key %.2f s, without %.2f s; bare copy: VACUUM INTO %.2f s, online backup %.2f s; "+
		"verify %.2f s, restore %.2f s (open %.2f, unlock %.2f, commit %.2f)\n", len(runs),
		med(func(r backupRun) float64 { return r.BackupKeyed }), med(func(r backupRun) float64 { return r.BackupLocked }),
		med(func(r backupRun) float64 { return r.VacuumInto }), med(func(r backupRun) float64 { return r.OnlineCopy }),
		med(func(r backupRun) float64 { return r.Verify }),
		med(func(r backupRun) float64 { return r.RestoreTotal }), med(func(r backupRun) float64 { return r.RestoreOpen }),
		med(func(r backupRun) float64 { return r.RestoreUnlock }), med(func(r backupRun) float64 { return r.RestoreCommit }))
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
