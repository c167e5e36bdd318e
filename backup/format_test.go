package backup

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sealedFile writes db bytes to a file in dir and seals it as a backup.
func sealedFile(t *testing.T, dir string, db []byte) (string, Manifest) {
	t.Helper()
	path := filepath.Join(dir, "x"+Ext)
	if err := os.WriteFile(path, db, 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := Seal(path, Manifest{Kind: KindWorkstation, PracticeID: "p1", PracticeName: "Riverbend",
		WorkstationID: "w1", CreatedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		Counts: map[string]int64{"patients": 2000}})
	if err != nil {
		t.Fatal(err)
	}
	return path, m
}

func TestSealVerifyExtract(t *testing.T) {
	dir := t.TempDir()
	db := bytes.Repeat([]byte("page"), 5000)
	path, m := sealedFile(t, dir, db)
	if m.DBSize != int64(len(db)) || m.Format != FormatVersion {
		t.Fatalf("manifest = %+v", m)
	}
	got, err := ReadManifest(path)
	if err != nil || got.PracticeName != "Riverbend" || got.Counts["patients"] != 2000 {
		t.Fatalf("ReadManifest = %+v, %v", got, err)
	}
	if _, err := Verify(path, nil); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	out := filepath.Join(dir, "out.db")
	if _, err := Extract(path, out, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, db) {
		t.Fatalf("extracted %d bytes, want the %d of the database image", len(b), len(db))
	}
}

// TestFlippedByteIsNamed flips one byte at several places of a sealed
// file: in the database image, the manifest, the checksum and the magic.
// Each is reported, as damaged or as not a backup, and Extract leaves
// nothing behind.
func TestFlippedByteIsNamed(t *testing.T) {
	db := bytes.Repeat([]byte{0xA5}, 10000)
	dir := t.TempDir()
	clean, _ := sealedFile(t, dir, db)
	whole, _ := os.ReadFile(clean)
	for name, off := range map[string]int{
		"database start": 0, "database middle": 5000, "manifest": len(db) + 3,
		"checksum": len(whole) - len(magic) - 5, "magic": len(whole) - 1,
	} {
		t.Run(name, func(t *testing.T) {
			b := bytes.Clone(whole)
			b[off] ^= 0x01
			path := filepath.Join(t.TempDir(), "flipped"+Ext)
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Verify(path, nil)
			if k := KindOf(err); k != Damaged && k != NotBackup {
				t.Fatalf("Verify of a flipped byte at %d: %v (kind %q), want damaged", off, err, k)
			}
			if !strings.Contains(err.Error(), "flipped"+Ext) {
				t.Errorf("message %q does not name the file", err)
			}
			out := filepath.Join(t.TempDir(), "out.db")
			if _, err := Extract(path, out, nil); err == nil {
				t.Fatal("Extract accepted a damaged backup")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("Extract left %s behind", out)
			}
		})
	}
}

func TestTruncatedAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	path, _ := sealedFile(t, dir, bytes.Repeat([]byte{1}, 4096))
	whole, _ := os.ReadFile(path)
	cut := filepath.Join(dir, "cut"+Ext)
	os.WriteFile(cut, whole[100:], 0o600)
	if _, err := Verify(cut, nil); KindOf(err) != Damaged {
		t.Errorf("a file with its start cut off: %v, want damaged", err)
	}
	foreign := filepath.Join(dir, "notes.txt")
	os.WriteFile(foreign, []byte("hello, this is not a backup at all, it is a text file"), 0o600)
	if _, err := ReadManifest(foreign); KindOf(err) != NotBackup {
		t.Errorf("a text file: %v, want not_backup", err)
	}
}

func TestNames(t *testing.T) {
	s := Source{PracticeID: "p", PracticeName: "Riverbend Rural Clinic / Ward 2", WorkstationID: "0190aaaa-bbbb-7ccc-8ddd-eeeeee123456",
		WorkstationName: "Front desk"}
	name := s.FileName(time.Date(2026, 11, 23, 9, 5, 7, 0, time.FixedZone("X", 3600)))
	want := "Riverbend-Rural-Clinic-Ward-2_Front-desk-123456_20261123T080507Z" + Ext
	if name != want {
		t.Errorf("FileName = %q, want %q", name, want)
	}
	if srv := (Source{PracticeName: "Clinique Été"}).FileName(time.Unix(0, 0)); !strings.HasPrefix(srv, "Clinique-Été_server_") {
		t.Errorf("server name = %q", srv)
	}
	if got := slug("../../etc", "x"); got != "etc" {
		t.Errorf("slug kept path characters: %q", got)
	}
}

func TestRemovePartialsOnlyOwn(t *testing.T) {
	dir := t.TempDir()
	mine := Source{PracticeID: "p", PracticeName: "P", WorkstationID: "aaaaaa-111111", WorkstationName: "A"}
	other := Source{PracticeID: "p", PracticeName: "P", WorkstationID: "bbbbbb-222222", WorkstationName: "B"}
	now := time.Now()
	minePartial := filepath.Join(dir, PartialName(mine.FileName(now)))
	otherPartial := filepath.Join(dir, PartialName(other.FileName(now)))
	for _, p := range []string{minePartial, otherPartial} {
		os.WriteFile(p, []byte("half"), 0o600)
	}
	if err := RemovePartials(dir, mine); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(minePartial); !os.IsNotExist(err) {
		t.Error("own partial file left behind")
	}
	if _, err := os.Stat(otherPartial); err != nil {
		t.Error("another workstation's partial file was removed")
	}
}

func TestFolderMissing(t *testing.T) {
	err := FolderError(filepath.Join(t.TempDir(), "usb-stick"))
	if KindOf(err) != FolderMissing || !strings.Contains(err.Error(), "plugged in") {
		t.Errorf("FolderError = %v", err)
	}
	if _, err := List(filepath.Join(t.TempDir(), "gone")); KindOf(err) != FolderMissing {
		t.Errorf("List of a missing folder: %v", err)
	}
}
