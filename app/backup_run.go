package app

import (
	"context"
	"os"
	"sync"
	"time"

	"outpost/chart"
)

// Backups run off the calls, one at a time: "Back up now", the daily
// schedule, a check of the seals after a sign-in, and the backup on
// quitting. Copying never holds the app's lock, and the store only reads
// the chart, so charting goes on meanwhile.

const (
	// backupTick is how often the schedule looks whether the daily
	// backup is due (and whether a missed one should run now).
	backupTick = time.Minute
	// backupRetry is how long the schedule waits after a failed backup
	// (a drive not plugged in) before trying again.
	backupRetry = time.Hour
	// quitBackupLimit bounds the backup on quitting: the window is gone,
	// and a process that lingers longer than this is worse than a backup
	// missed (the next start runs the daily one).
	quitBackupLimit = 10 * time.Minute
)

// backupRun is the backup under way, if any.
type backupRun struct {
	mu       sync.Mutex
	running  bool
	phase    string
	fraction float64
	lastEmit time.Time
	events   orderedEvent
	stop     chan struct{} // closed by Shutdown: the schedule ends
	stopOnce sync.Once
	done     chan struct{} // closed when the schedule has ended
}

// start begins a backup by s ("Back up now") in the background.
func (b *Backups) start(s chart.Session) error {
	st, err := b.store()
	if err != nil {
		return err
	}
	if !b.claim() {
		return chart.Errorf(chart.ECONFLICT, "A backup is already under way; wait for it to finish.")
	}
	b.a.background("backup", func() {
		b.runClaimed(func(ctx context.Context, progress func(chart.BackupProgress)) error {
			_, err := st.BackUp(ctx, s, false, progress)
			return err
		})
	})
	return nil
}

// claim marks a backup as running; false if one already is.
func (b *Backups) claim() bool {
	b.backupRun.mu.Lock()
	defer b.backupRun.mu.Unlock()
	if b.running {
		return false
	}
	b.running, b.phase, b.fraction = true, "copying", 0
	return true
}

// runClaimed runs fn (after claim), reporting progress, then releases the
// claim and announces the outcome. A panic is logged, never fatal.
func (b *Backups) runClaimed(fn func(ctx context.Context, progress func(chart.BackupProgress)) error) {
	defer func() {
		if r := recover(); r != nil {
			b.a.opts.Logger.Printf("panic in backup: %v", r)
		}
		b.backupRun.mu.Lock()
		b.running, b.phase, b.fraction = false, "", 0
		b.backupRun.mu.Unlock()
		b.emit(true)
	}()
	b.emit(true)
	if err := fn(b.a.ctx, b.progress); err != nil {
		b.a.opts.Logger.Printf("backup: %v", err)
	}
}

func (b *Backups) progress(p chart.BackupProgress) {
	b.backupRun.mu.Lock()
	b.phase, b.fraction = p.Phase, p.Fraction
	b.backupRun.mu.Unlock()
	b.emit(false)
}

// emit sends the status; progress alone at most every progressEvery.
// In order (orderedEvent): "Back up now" and a settings change emit from
// different goroutines, and a status read while the run was under way must
// not reach the window after the run's last one.
func (b *Backups) emit(always bool) {
	b.backupRun.events.send(b.a, EventBackupStatus, func() (any, bool) {
		b.backupRun.mu.Lock()
		if !always && time.Since(b.lastEmit) < progressEvery {
			b.backupRun.mu.Unlock()
			return nil, false
		}
		b.lastEmit = time.Now()
		b.backupRun.mu.Unlock()
		return b.snapshot(context.Background()), true
	})
}

// snapshot is the status with the run under way.
func (b *Backups) snapshot(ctx context.Context) BackupStatus {
	var res BackupStatus
	st, err := b.store()
	if err != nil {
		return res
	}
	res.Available = true
	if res.Status, err = st.BackupStatus(ctx); err != nil {
		b.a.opts.Logger.Printf("backup status: %v", err)
	}
	b.backupRun.mu.Lock()
	res.Running, res.Phase, res.Fraction = b.running, b.phase, b.fraction
	b.backupRun.mu.Unlock()
	return res
}

func (b *Backups) settings(ctx context.Context) (chart.BackupSettings, error) {
	st, err := b.store()
	if err != nil {
		return chart.BackupSettings{}, err
	}
	return st.BackupSettings(ctx)
}

// saved announces new settings (the strip's warning may change).
func (b *Backups) saved(st chart.BackupSettings, err error) (chart.BackupSettings, error) {
	if err == nil {
		b.a.background("backup status", func() { b.emit(true) })
	}
	return st, err
}

// verify checks a backup file with s's key, as one of the runs (a
// backup and a verification never read the drive at once).
func (b *Backups) verify(ctx context.Context, s chart.Session, path string) (chart.BackupCheck, error) {
	st, err := b.store()
	if err != nil {
		return chart.BackupCheck{}, err
	}
	if !b.claim() {
		return chart.BackupCheck{}, chart.Errorf(chart.ECONFLICT, "A backup is under way; verify when it has finished.")
	}
	var check chart.BackupCheck
	b.runClaimed(func(ctx context.Context, progress func(chart.BackupProgress)) error {
		check, err = st.VerifyBackup(ctx, s, path, progress)
		return err
	})
	return check, err
}

// startSchedule runs the daily backup: at the chosen time, or at the
// first tick after it when Outpost was not running then.
func (b *Backups) startSchedule() {
	if _, err := b.store(); err != nil {
		return
	}
	b.backupRun.stop, b.backupRun.done = make(chan struct{}), make(chan struct{})
	tick := b.a.opts.BackupTick
	if tick <= 0 {
		tick = backupTick
	}
	go func() {
		defer close(b.backupRun.done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			b.a.guarded("scheduled backup", func() { b.scheduled(time.Now()) })
			select {
			case <-b.backupRun.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// scheduled starts the daily backup if it is due at now.
func (b *Backups) scheduled(now time.Time) {
	st, _ := b.store()
	status, err := st.BackupStatus(b.a.ctx)
	if err != nil || !dailyDue(status, now) {
		return
	}
	if status.FolderMissing {
		b.emit(true) // the strip says the drive is not plugged in
		return
	}
	if !b.claim() {
		return
	}
	b.runClaimed(func(ctx context.Context, progress func(chart.BackupProgress)) error {
		_, err := st.BackUp(ctx, b.a.signedInSession(), true, progress)
		return err
	})
}

// dailyDue: today's backup time has passed, no good backup since, and no
// failed attempt in the last backupRetry.
func dailyDue(st chart.BackupStatus, now time.Time) bool {
	at, err := time.ParseInLocation("15:04", st.Settings.DailyAt, now.Location())
	if st.Settings.Folder == "" || err != nil {
		return false
	}
	due := time.Date(now.Year(), now.Month(), now.Day(), at.Hour(), at.Minute(), 0, 0, now.Location())
	if now.Before(due) {
		due = due.AddDate(0, 0, -1) // before today's time: yesterday's is the one due
	}
	if st.LastGood != nil && !st.LastGood.At.Before(due) {
		return false
	}
	return st.LastFailed == nil || now.Sub(st.LastFailed.At) >= backupRetry
}

// backupOnQuit ends the schedule and, when the settings ask for it,
// backs up once more (nobody is signed in by now: the seals are checked
// at the next sign-in).
func (b *Backups) backupOnQuit(ctx context.Context) {
	if b.backupRun.stop != nil {
		b.backupRun.stopOnce.Do(func() { close(b.backupRun.stop) })
		<-b.backupRun.done
	}
	st, err := b.store()
	if err != nil {
		return
	}
	set, err := st.BackupSettings(ctx)
	if err != nil || !set.OnQuit || set.Folder == "" {
		return
	}
	if fi, err := os.Stat(set.Folder); err != nil || !fi.IsDir() {
		b.a.opts.Logger.Printf("backup on quitting: the folder %s is not there", set.Folder)
		return
	}
	for !b.claim() { // a backup under way finishes first
		time.Sleep(100 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(ctx, quitBackupLimit)
	defer cancel()
	b.runClaimed(func(_ context.Context, progress func(chart.BackupProgress)) error {
		_, err := st.BackUp(ctx, nil, true, progress)
		return err
	})
}

// checkSealsLater verifies, with a session just signed in, the last good
// backup when it was taken while locked (its seals unchecked).
func (b *Backups) checkSealsLater(s chart.Session) {
	st, err := b.store()
	if err != nil {
		return
	}
	status, err := st.BackupStatus(b.a.ctx)
	if err != nil || status.LastGood == nil || status.LastGood.Check.SealsChecked {
		return
	}
	if _, err := os.Stat(status.LastGood.Path); err != nil {
		return // the drive is not plugged in: the next backup will be checked
	}
	if _, err := b.verify(b.a.ctx, s, status.LastGood.Path); err != nil {
		b.a.opts.Logger.Printf("check the seals of the last backup: %v", err)
	}
}

// signedInSession is the current session, or nil, without counting as
// activity.
func (a *App) signedInSession() chart.Session {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.session
}
