package app

import "net/http"

// ContentSecurityPolicy is the window's Content-Security-Policy. Scripts run
// only from the app's own files (Wails' runtime is /wails/*.js, also
// 'self'): no inline script, no eval, so text that reaches the page (a
// synced record, an attachment) cannot run as code. Blob URLs are allowed
// only where the attachment viewer shows a checked PDF (object) or image,
// and for reading one back (a same-origin blob never leaves the machine).
// Inline styles stay allowed: Svelte and Wails' dev overlay set them, and
// they cannot run code.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
	"object-src blob:; frame-src blob:; connect-src 'self' blob:; worker-src 'none'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// WithCSP sets the policy on every response of the asset server: main.go
// passes it as the asset server's Middleware, which Wails uses for the
// production window and the dev server alike.
func WithCSP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}
