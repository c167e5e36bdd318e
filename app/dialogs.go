package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Dialogs are the system's file and folder pickers. An interface for the
// same reason as Events: Wails' runtime calls log.Fatal outside a Wails
// context, and tests run outside one.
type Dialogs interface {
	// ChooseFolder returns the folder chosen, "" when cancelled.
	ChooseFolder(ctx context.Context, title string) (string, error)
	// ChooseFile returns the file chosen among those matching pattern
	// (described as filterName), "" when cancelled.
	ChooseFile(ctx context.Context, title, filterName, pattern string) (string, error)
}

// dialogs is Options.Dialogs, else the Wails runtime's.
func (a *App) dialogs() Dialogs {
	if a.opts.Dialogs != nil {
		return a.opts.Dialogs
	}
	return wailsDialogs{}
}

// wailsDialogs opens the runtime's dialogs; only valid with the context
// Wails passes to OnStartup.
type wailsDialogs struct{}

func (wailsDialogs) ChooseFolder(ctx context.Context, title string) (string, error) {
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

func (wailsDialogs) ChooseFile(ctx context.Context, title, filterName, pattern string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title,
		Filters: []runtime.FileFilter{{DisplayName: filterName, Pattern: pattern}}})
}
