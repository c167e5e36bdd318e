package codes

import _ "embed"

// Attribution is the licence and credit text for the embedded code lists,
// for the application's About screen and redistributions.
//
//go:embed ATTRIBUTION.md
var Attribution string
