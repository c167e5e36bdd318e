package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// logFlags are serve's logging flags: the format an operator's log
// shipper reads (JSON) or a person does (text), and how much is logged
// (warn drops the line per successful request).
type logFlags struct {
	format, level *string
}

func addLogFlags(fs *flag.FlagSet) logFlags {
	return logFlags{
		format: fs.String("log-format", "text", "log format on stderr: text or json"),
		level:  fs.String("log-level", "info", "least severe level logged: debug, info, warn or error"),
	}
}

// logger builds the server's logger. Its lines carry request outcomes,
// device ids and error codes; the server never logs bodies, so no health
// data or sealed content reaches them (cmd/outpost-server's log test).
func (f logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(*f.level)); err != nil {
		return nil, fmt.Errorf("%w: -log-level must be debug, info, warn or error", errUsage)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(*f.format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("%w: -log-format must be text or json", errUsage)
}
