package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// wailsEvents emits through the Wails runtime; only valid with the context
// Wails passes to OnStartup.
type wailsEvents struct{ ctx context.Context }

func (w wailsEvents) Emit(name string, data ...any) { runtime.EventsEmit(w.ctx, name, data...) }
