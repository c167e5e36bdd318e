package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"outpost/chart"
)

// The lab inbox: a lab (or an interface engine) drops FHIR files of
// results into a folder; while someone who may chart is signed in, the
// workstation picks each file up, imports it as results from outside
// (matched to existing patients only; the uncertain wait in the match
// queue) and removes it once its results are sealed in the chart, so no
// plaintext copy lingers. A file that cannot be read is moved to
// "failed/" beside a note of why, for an administrator to look at.

const (
	// labTick is how often the folder is looked at.
	labTick = 15 * time.Second
	// labFailed is the subfolder for files that could not be imported.
	labFailed = "failed"
)

// labWatch is the lab inbox's state for Admin → Import & export.
type labWatch struct {
	labMu     sync.Mutex
	labStop   chan struct{}
	labOnce   sync.Once
	lastLook  time.Time
	picked    int
	failed    int
	lastError string
}

// LabInboxStatus is what Admin shows of the lab inbox.
type LabInboxStatus struct {
	Folder string `json:"folder"`
	// LastLook is when the folder was last looked at ("" before the
	// first look since start).
	LastLook  string `json:"lastLook"`
	Picked    int    `json:"picked"`
	Failed    int    `json:"failed"`
	LastError string `json:"lastError,omitempty"`
}

// LabInbox is this workstation's lab inbox and what it has done.
func (i *Interop) LabInbox() (LabInboxStatus, error) {
	return call(i.a, func(ctx context.Context, _ chart.Session) (LabInboxStatus, error) { return i.labStatus(ctx) })
}

// SetLabInbox sets (or, with "", turns off) the watched folder
// (administrators; audited).
func (i *Interop) SetLabInbox(folder string) (LabInboxStatus, error) {
	return callAs(i.a, "set the lab inbox", func(ctx context.Context, s labInboxSetter) (LabInboxStatus, error) {
		if _, err := s.SetLabInbox(ctx, chart.LabInbox{Folder: folder}); err != nil {
			return LabInboxStatus{}, err
		}
		return i.labStatus(ctx)
	})
}

func (i *Interop) labStatus(ctx context.Context) (LabInboxStatus, error) {
	var st LabInboxStatus
	if r, ok := i.a.ws.(labInboxReader); ok {
		l, err := r.LabInbox(ctx)
		if err != nil {
			return st, err
		}
		st.Folder = l.Folder
	}
	i.labMu.Lock()
	defer i.labMu.Unlock()
	if !i.lastLook.IsZero() {
		st.LastLook = i.lastLook.Format(time.RFC3339)
	}
	st.Picked, st.Failed, st.LastError = i.picked, i.failed, i.lastError
	return st, nil
}

// startLabWatch looks at the folder every tick until stopLabWatch.
func (i *Interop) startLabWatch() {
	i.labStop = make(chan struct{})
	tick := i.a.opts.LabTick
	if tick <= 0 {
		tick = labTick
	}
	go func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-i.labStop:
				return
			case <-t.C:
				i.lookAtLabInbox()
			}
		}
	}()
}

func (i *Interop) stopLabWatch() {
	i.labOnce.Do(func() {
		if i.labStop != nil {
			close(i.labStop)
		}
	})
}

// lookAtLabInbox imports the first waiting file, if someone who may chart
// is signed in and no other import runs (one file per tick keeps the
// workstation responsive; the next tick takes the next).
func (i *Interop) lookAtLabInbox() {
	defer func() {
		if r := recover(); r != nil {
			i.a.opts.Logger.Printf("panic in lab inbox: %v", r)
		}
	}()
	r, ok := i.a.ws.(labInboxReader)
	if !ok {
		return
	}
	l, err := r.LabInbox(i.a.ctx)
	if err != nil || l.Folder == "" {
		return
	}
	s := i.a.signedInSession()
	if s == nil || !chart.Can(s.User().Role, chart.ActWriteClinical) {
		return
	}
	files, err := labFiles(l.Folder)
	i.labMu.Lock()
	i.lastLook = time.Now()
	if err != nil {
		i.lastError = fmt.Sprintf("The lab inbox folder %s cannot be read: %v", l.Folder, err)
	}
	i.labMu.Unlock()
	if len(files) == 0 {
		return
	}
	file := files[0]
	_ = i.startImport(s, []string{file}, true, func(rep *chart.ImportReport, err error) { i.tidyLabFile(file, rep, err) })
}

// labFiles are the FHIR files waiting in dir (not in its subfolders),
// oldest name first.
func labFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if e.Type().IsRegular() && !strings.HasPrefix(name, ".") &&
			(strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".ndjson") || strings.HasSuffix(name, ".gz")) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

// tidyLabFile removes a file whose results are now in the chart (or held,
// sealed, in the match queue) and moves one that failed to "failed/".
func (i *Interop) tidyLabFile(file string, rep *chart.ImportReport, err error) {
	if err == nil && rep != nil && rep.Cancelled {
		return // stays for the next look
	}
	i.labMu.Lock()
	defer i.labMu.Unlock()
	if reason := labFailure(rep, err); reason != "" {
		i.failed++
		i.lastError = fmt.Sprintf("%s: %s", filepath.Base(file), reason)
		dir := filepath.Join(filepath.Dir(file), labFailed)
		if mkErr := os.MkdirAll(dir, 0o700); mkErr == nil {
			dest := filepath.Join(dir, filepath.Base(file))
			// The reason is in place before the file leaves the inbox, so
			// whoever finds the file in failed/ finds why beside it.
			why := dest + ".why.txt"
			_ = os.WriteFile(why, []byte(reason+"\n"), 0o600)
			if mvErr := os.Rename(file, dest); mvErr == nil {
				return
			}
			_ = os.Remove(why)
		}
		i.a.opts.Logger.Printf("lab inbox: could not set aside %s", file)
		return
	}
	if rmErr := os.Remove(file); rmErr != nil {
		i.a.opts.Logger.Printf("lab inbox: remove %s: %v", file, rmErr)
	}
	i.picked++
}

// labFailure says why a lab file did not import, "" when it did (a
// cancelled run is not a failure: the file stays for the next look).
func labFailure(rep *chart.ImportReport, err error) string {
	switch {
	case err != nil:
		return chart.ErrorMessage(err)
	case rep == nil:
		return "the import ended without a report"
	}
	for _, f := range rep.Files {
		if f.Error != "" {
			return f.Error
		}
	}
	if rep.Patients.Failed > 0 {
		return fmt.Sprintf("%d patient(s) in the file could not be imported; see the import report", rep.Patients.Failed)
	}
	return ""
}
