package server

import (
	"encoding/json"
	"io"

	"outpost/chart"
)

// writeJSON writes an error reply as plain JSON (not gzip) so that it stays
// readable with curl and through proxies that mangle encodings.
func writeJSON(w io.Writer, v any) {
	json.NewEncoder(w).Encode(v)
}

func chartPracticeID(s string) chart.PracticeID { return chart.PracticeID(s) }
