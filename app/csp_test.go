package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"outpost/app"
)

// TestWithCSP: every response of the asset server carries the window's
// policy, whose script-src allows only the app's own files (no inline
// script, no eval). (Importing Wails' asset server here would need cgo and
// the webview; frontend/e2e/ui.mjs checks the header the dev server really
// sends, and that Chromium refuses an injected inline script.)
func TestWithCSP(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><div id="app"></div>`))
	})
	for _, path := range []string{"/", "/index.html", "/assets/index.js"} {
		rec := httptest.NewRecorder()
		app.WithCSP(page).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if got := rec.Header().Get("Content-Security-Policy"); got != app.ContentSecurityPolicy {
			t.Fatalf("GET %s: CSP %q, want the window's policy", path, got)
		}
	}
	scriptSrc := ""
	for _, d := range strings.Split(app.ContentSecurityPolicy, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src") {
			scriptSrc = d
		}
	}
	if scriptSrc != "script-src 'self'" {
		t.Fatalf("script-src is %q, want only the app's own files", scriptSrc)
	}
}
