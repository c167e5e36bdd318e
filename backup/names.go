package backup

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Ext ends every backup file's name.
const Ext = ".outpost-backup"

// partialExt ends a backup being written; it is renamed to its final name
// only once complete and checked.
const partialExt = ".partial"

// Source names what is backed up, for file names and pruning: a backup
// belongs to one practice and one workstation (or the server).
type Source struct {
	PracticeID, PracticeName string
	// WorkstationID and WorkstationName are empty for the practice server.
	WorkstationID, WorkstationName string
}

// Prefix is the start of every backup file name of s: the practice, the
// workstation's name and the end of its id (two workstations may share a
// name), so a folder shared by several workstations stays readable.
func (s Source) Prefix() string {
	if s.WorkstationID == "" {
		return slug(s.PracticeName, "outpost") + "_server_"
	}
	return slug(s.PracticeName, "practice") + "_" + slug(s.WorkstationName, "workstation") + "-" + tail(s.WorkstationID) + "_"
}

// tail is the last six hex digits of an id.
func tail(id string) string {
	id = strings.ReplaceAll(id, "-", "")
	return id[max(0, len(id)-6):]
}

// FileName is the name of s's backup taken at t: practice, workstation and
// time (UTC, so names sort by time whatever the time zone).
func (s Source) FileName(t time.Time) string {
	return s.Prefix() + t.UTC().Format("20060102T150405Z") + Ext
}

// PartialName is where a backup is written before it is renamed: hidden,
// and named after its source so a later run of the same source can clean
// it up after a crash.
func PartialName(final string) string {
	return "." + filepath.Base(final) + partialExt
}

// slug keeps letters and digits of name (any script) and turns runs of
// anything else into one hyphen, capped, so the name is safe on FAT and
// network shares.
func slug(name, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return fallback
	}
	return out
}

// File is one backup found in a folder. Err is set when its manifest
// cannot be read (the file is listed, never pruned).
type File struct {
	Path     string
	Size     int64
	Manifest Manifest
	Err      error
}

// List returns the backups in dir, newest first (by the manifest's time;
// unreadable files last, by name).
func List(dir string) ([]File, error) {
	if err := FolderError(dir); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var out []File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), Ext) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		f := File{Path: filepath.Join(dir, e.Name())}
		if info, err := e.Info(); err == nil {
			f.Size = info.Size()
		}
		f.Manifest, f.Err = ReadManifest(f.Path)
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b File) int {
		if (a.Err == nil) != (b.Err == nil) {
			if a.Err == nil {
				return -1
			}
			return 1
		}
		if c := b.Manifest.CreatedAt.Compare(a.Manifest.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.Path, a.Path)
	})
	return out, nil
}

// Of keeps the files that belong to s (same practice and workstation).
func Of(files []File, s Source) []File {
	var out []File
	for _, f := range files {
		if f.Err == nil && f.Manifest.PracticeID == s.PracticeID && f.Manifest.WorkstationID == s.WorkstationID {
			out = append(out, f)
		}
	}
	return out
}

// RemovePartials deletes what an interrupted backup of s left in dir (a
// crash or kill between writing and renaming). Only s's own partial files
// are touched: another workstation may be writing to a shared folder.
func RemovePartials(dir string, s Source) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return WriteProblem(dir, "look for unfinished backups", err)
	}
	prefix := "." + s.Prefix()
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, prefix) && strings.Contains(n, Ext+partialExt) {
			if err := os.Remove(filepath.Join(dir, n)); err != nil && !os.IsNotExist(err) {
				return WriteProblem(dir, "remove an unfinished backup", err)
			}
		}
	}
	return nil
}

// Publish renames the finished, checked backup at partial to final and
// syncs the folder, so the new name survives a power cut. The rename is
// atomic: a reader sees the old generations or the new file, never half.
func Publish(partial, final string) error {
	dir := filepath.Dir(final)
	if err := os.Rename(partial, final); err != nil {
		return WriteProblem(dir, "name the finished backup", err)
	}
	return WriteProblem(dir, "flush the backup folder", SyncDir(dir))
}

// SyncDir fsyncs a directory, making a rename or removal in it durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !isUnsupportedSync(err) {
		return err
	}
	return nil
}
