package backup

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// FormatVersion is the version of the trailer and manifest written now.
const FormatVersion = 1

// Kinds of store a backup holds.
const (
	KindWorkstation = "workstation"
	KindServer      = "server"
)

const (
	magic       = "OUTPOST-BACKUP-1"
	trailerSize = 8 + sha256.Size + len(magic)
	// maxManifest bounds what a reader allocates for a manifest read from
	// an untrusted file (the server's TLS files are the largest part).
	maxManifest = 1 << 20
)

// Manifest says what a backup holds. It is in clear, like the practice name
// and ids in the live store; it never holds health data.
type Manifest struct {
	Format          int       `json:"format"`
	Kind            string    `json:"kind"` // KindWorkstation or KindServer
	PracticeID      string    `json:"practiceId"`
	PracticeName    string    `json:"practiceName,omitempty"`
	WorkstationID   string    `json:"workstationId,omitempty"`
	WorkstationName string    `json:"workstationName,omitempty"`
	CreatedAt       time.Time `json:"createdAt"`
	// Schema is the newest migration the store had applied.
	Schema string `json:"schema"`
	// Counts are the rows the source held at the snapshot, by what they
	// count (patients, records, audit entries…); a restore checks them.
	Counts map[string]int64 `json:"counts"`
	// Files are small files that belong with the store (the server's TLS
	// certificate and key, which workstations pin).
	Files map[string][]byte `json:"files,omitempty"`
	// DBSize is the length of the SQLite image at the start of the file.
	DBSize int64 `json:"dbSize"`
}

// Seal appends m (with DBSize set to the file's current length) and the
// checksum of everything to the database image at path, and syncs it. The
// file must hold only the SQLite image.
func Seal(path string, m Manifest) (Manifest, error) {
	dir := filepath.Dir(path)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return m, WriteProblem(dir, "open backup to seal", err)
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return m, WriteProblem(dir, "seal backup", err)
	}
	m.Format, m.DBSize = FormatVersion, size
	body, err := json.Marshal(m)
	if err != nil {
		return m, fmt.Errorf("encode backup manifest: %w", err)
	}
	h := sha256.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return m, WriteProblem(dir, "seal backup", err)
	}
	if _, err := io.Copy(h, f); err != nil {
		return m, WriteProblem(dir, "read back backup", err)
	}
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(body)))
	h.Write(body)
	h.Write(n[:])
	tail := append(append(append(body, n[:]...), h.Sum(nil)...), magic...)
	if _, err := f.Write(tail); err != nil {
		return m, WriteProblem(dir, "write backup manifest", err)
	}
	if err := f.Sync(); err != nil {
		return m, WriteProblem(dir, "flush backup to the drive", err)
	}
	return m, f.Close()
}

// trailer is the end of a backup file, as read without the checksum.
type trailer struct {
	manifest Manifest
	sum      []byte
	size     int64 // the whole file
}

// ReadManifest reads what a backup holds from its trailer, without reading
// the whole file (for listing a folder). Verify checks the checksum.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	t, err := readTrailer(f, path)
	return t.manifest, err
}

func readTrailer(f *os.File, path string) (trailer, error) {
	st, err := f.Stat()
	if err != nil {
		return trailer{}, fmt.Errorf("open backup: %w", err)
	}
	t := trailer{size: st.Size()}
	if t.size < int64(trailerSize) {
		return t, notBackup(path)
	}
	end := make([]byte, trailerSize)
	if _, err := f.ReadAt(end, t.size-int64(trailerSize)); err != nil {
		return t, fmt.Errorf("read backup: %w", err)
	}
	if !bytes.Equal(end[8+sha256.Size:], []byte(magic)) {
		return t, notBackup(path)
	}
	n := binary.BigEndian.Uint64(end[:8])
	if n == 0 || n > maxManifest || int64(n) > t.size-int64(trailerSize) {
		return t, damaged(path, "its manifest is cut or garbled", nil)
	}
	t.sum = end[8 : 8+sha256.Size]
	body := make([]byte, n)
	if _, err := f.ReadAt(body, t.size-int64(trailerSize)-int64(n)); err != nil {
		return t, fmt.Errorf("read backup: %w", err)
	}
	if err := json.Unmarshal(body, &t.manifest); err != nil {
		return t, damaged(path, "its manifest cannot be read", err)
	}
	m := t.manifest
	if m.Format != FormatVersion {
		return t, &Error{Kind: NotBackup, Message: fmt.Sprintf(
			"The backup %s was written in format %d, which this version of Outpost does not read. Update Outpost.",
			baseName(path), m.Format)}
	}
	if m.DBSize <= 0 || m.DBSize != t.size-int64(trailerSize)-int64(n) {
		return t, damaged(path, "its length does not match its manifest (the file was cut short or added to)", nil)
	}
	return t, nil
}

func notBackup(path string) error {
	return &Error{Kind: NotBackup, Message: fmt.Sprintf(
		"%s is not an Outpost backup, or its end is damaged. Choose a file ending in %s.", baseName(path), Ext)}
}

// Verify reads the whole file and checks its checksum; progress (may be
// nil) hears bytes read of the total.
func Verify(path string, progress func(done, total int64)) (Manifest, error) {
	return copyOut(path, nil, progress)
}

// Extract writes the SQLite image of the backup at path to dst (created,
// private to this user, synced), checking the checksum on the way: on a
// mismatch dst is removed and the error names the file as damaged.
func Extract(path, dst string, progress func(done, total int64)) (Manifest, error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Manifest{}, WriteProblem(filepath.Dir(dst), "extract backup", err)
	}
	m, err := copyOut(path, out, progress)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return m, WriteProblem(filepath.Dir(dst), "extract backup", err)
	}
	return m, nil
}

// copyOut hashes the file at path and, when out is set, copies its
// database image there.
func copyOut(path string, out io.Writer, progress func(done, total int64)) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	t, err := readTrailer(f, path)
	if err != nil {
		return t.manifest, err
	}
	h := sha256.New()
	covered := t.size - int64(sha256.Size+len(magic))
	r := &progressReader{r: io.NewSectionReader(f, 0, covered), total: covered, fn: progress}
	var w io.Writer = h
	if out != nil {
		w = io.MultiWriter(h, &limitedWriter{w: out, left: t.manifest.DBSize})
	}
	if _, err := io.CopyBuffer(w, r, make([]byte, 1<<20)); err != nil {
		return t.manifest, fmt.Errorf("read backup: %w", err)
	}
	if !bytes.Equal(h.Sum(nil), t.sum) {
		return t.manifest, damaged(path, "its checksum does not match (a byte changed on the drive or in a copy)",
			errors.New("sha-256 mismatch"))
	}
	return t.manifest, nil
}

// limitedWriter passes on the first left bytes and drops the rest (the
// trailer after the database image).
type limitedWriter struct {
	w    io.Writer
	left int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	n := len(p)
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	if len(p) > 0 {
		if _, err := l.w.Write(p); err != nil {
			return 0, err
		}
		l.left -= int64(len(p))
	}
	return n, nil
}

type progressReader struct {
	r          io.Reader
	done       int64
	total      int64
	fn         func(done, total int64)
	lastReport int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.fn != nil && (p.done-p.lastReport >= 4<<20 || err == io.EOF) {
		p.lastReport = p.done
		p.fn(p.done, p.total)
	}
	return n, err
}

func baseName(path string) string { return filepath.Base(path) }
