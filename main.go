// Command outpost is the Outpost desktop app: it opens this workstation's
// encrypted chart store and hands it to the Wails window. Wiring only: the
// chart rules live in chart/, storage in sqlite/, the bound API in app/.
package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"outpost/app"
	"outpost/sqlite"
)

// The workstation store is also the sync runner's identity and state, a
// fresh workstation joins a practice through it too, and it makes and
// restores this workstation's backups.
var (
	_ app.SyncWorkstation = (*sqlite.Workstation)(nil)
	_ app.PracticeJoiner  = (*sqlite.Workstation)(nil)
	_ app.BackupStore     = (*sqlite.Workstation)(nil)
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// dataDirEnv overrides where the chart store lives (tests, portable installs).
const dataDirEnv = "OUTPOST_DATA_DIR"

// labTickEnv overrides how often the lab inbox folder is looked at (a Go
// duration such as "2s"; the end-to-end tests shorten it).
const labTickEnv = "OUTPOST_LAB_TICK"

func main() {
	path, err := storePath(os.Args[1:])
	if err != nil {
		fail("Outpost could not work out where to keep its chart store: %v", err)
	}
	ctx := context.Background()
	ws, err := sqlite.OpenWorkstation(ctx, path, sqlite.Options{})
	if err != nil {
		fail("Outpost could not open its chart store at %s: %v\n"+
			"Check that the disk is not full and that no other Outpost window is open.", path, err)
	}
	a := app.New(ws, app.Options{Sync: ws, LabTick: durationEnv(labTickEnv), Recalls: app.RecallsDue()})
	if err := wails.Run(windowOptions(a)); err != nil {
		_ = ws.Close()
		fail("Outpost could not open its window: %v", err)
	}
}

// windowOptions is the one Outpost window and what it binds.
func windowOptions(a *app.App) *options.App {
	return &options.App{
		Title:  "Outpost",
		Width:  1280,
		Height: 800,
		// Small clinic laptops and netbooks: everything, Lock included,
		// fits at 800×600 (the e2e checks it).
		MinWidth:       800,
		MinHeight:      600,
		AssetServer:    &assetserver.Options{Assets: assets, Middleware: app.WithCSP},
		OnStartup:      a.Startup,
		OnBeforeClose:  a.BeforeClose,
		OnShutdown:     a.Shutdown,
		Bind:           a.Bind(),
		ErrorFormatter: app.FormatError,
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "outpost",
			// Clinic laptops and VMs often have no usable GPU; software
			// rendering is slower but never leaves a blank window.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	}
}

// storePath picks the chart database: -data DIR, else $OUTPOST_DATA_DIR,
// else the per-user default from the store itself.
func storePath(args []string) (string, error) {
	dir := dataDirFlag(args)
	if dir == "" {
		dir = os.Getenv(dataDirEnv)
	}
	if dir == "" {
		return sqlite.DefaultPath()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data directory %q: %w", dir, err)
	}
	return filepath.Join(abs, "chart.db"), nil
}

// dataDirFlag finds "-data DIR" or "-data=DIR" (one or two dashes) and
// ignores every other argument. It deliberately is not a flag.FlagSet: the
// dev build is launched with Wails' own flags (-devserver, -assetdir, …)
// and the bindings build with -tsprefix & co., which a strict parser would
// reject — and Wails' parsers stop at the first flag they do not know, so
// in dev mode pass -data last (wails dev -appargs "-data DIR").
func dataDirFlag(args []string) string {
	for i, arg := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") || name != "data" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// durationEnv is the duration in the environment variable name, zero when
// unset or unreadable (the app's default then applies).
func durationEnv(name string) time.Duration {
	d, err := time.ParseDuration(os.Getenv(name))
	if err != nil {
		return 0
	}
	return d
}

// fail tells the person at the keyboard what went wrong and exits. No
// window exists yet, so stderr is the only place to say it.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
