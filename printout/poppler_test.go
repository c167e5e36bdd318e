package printout

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The documents are checked with poppler, a real PDF reader, rather than
// with this package's own idea of what it wrote.

// poppler returns the path of a poppler tool. Missing tools fail the test
// in CI (where the Makefile installs them) and skip it elsewhere.
func poppler(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	msg := tool + " (poppler-utils) is not installed, so printouts cannot be checked with a real PDF reader; " +
		"install it with: apt-get install -y --no-install-recommends poppler-utils"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// run runs a poppler tool and fails on any complaint on stderr: poppler
// reports a broken cross-reference table or stream there even when it
// manages to recover.
func run(t *testing.T, tool string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(poppler(t, tool), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Fatalf("%s complained about the PDF:\n%s", tool, stderr.String())
	}
	return stdout.Bytes()
}

// writePDF saves a document where the poppler tools can read it.
func writePDF(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfPages extracts the text of each page, as laid out.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out := string(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"))
	pages := strings.Split(out, "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1] // pdftotext ends every page with a form feed
	}
	return pages
}

// pdfInfo returns pdfinfo's fields ("Pages", "Title", "Page size"…).
func pdfInfo(t *testing.T, path string) map[string]string {
	t.Helper()
	info := map[string]string{}
	for _, line := range strings.Split(string(run(t, "pdfinfo", path)), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

// renderFirstPage rasterises page 1 at 50 dpi and decodes the PNG.
func renderFirstPage(t *testing.T, path string) image.Image {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode rendered page: %v", err)
	}
	return img
}

// inkedPixels counts pixels that are not white.
func inkedPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xF000 || g < 0xF000 || bl < 0xF000 {
				n++
			}
		}
	}
	return n
}

// checkPDF parses the file with poppler and returns its pages' text; it
// also checks the document information and that page 1 renders with ink.
func checkPDF(t *testing.T, name, title string, data []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.4")) {
		t.Fatalf("%s does not start with a PDF header: %q", name, data[:min(len(data), 16)])
	}
	path := writePDF(t, name, data)
	pages := pdfPages(t, path)
	info := pdfInfo(t, path)
	if info["Pages"] != itoa(len(pages)) {
		t.Errorf("pdfinfo says %s pages, pdftotext found %d", info["Pages"], len(pages))
	}
	if info["Title"] != title {
		t.Errorf("Title = %q, want %q", info["Title"], title)
	}
	if info["Producer"] != "Outpost" {
		t.Errorf("Producer = %q, want Outpost", info["Producer"])
	}
	img := renderFirstPage(t, path)
	total := img.Bounds().Dx() * img.Bounds().Dy()
	// Text at 50 dpi inks a few percent of an A4 page; a blank page or a
	// page of boxes without text would not reach 1%.
	if inked := inkedPixels(img); inked < total/100 {
		t.Errorf("page 1 of %s looks blank: %d of %d pixels inked", name, inked, total)
	}
	return pages
}

// assertContains checks that text holds every wanted string.
func assertContains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, text)
		}
	}
}

func assertOmits(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s contains %q, which must not print", what, u)
		}
	}
}
