package app

import "sync"

// orderedEvent sends one kind of status event (sync, backup, import) so
// that the window receives the states in the order they happened: the
// state is read and sent under one lock. Read outside it, a state read
// before another could be sent after it, and the window would keep showing
// the stale one for good — the import panel stayed "importing" that way.
type orderedEvent struct{ mu sync.Mutex }

// send reads the state and sends it as the event name, unless read says
// there is nothing new worth sending. read runs under the lock: it must
// not send this event itself.
func (o *orderedEvent) send(a *App, name string, read func() (data any, ok bool)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if data, ok := read(); ok {
		a.emit(name, data)
	}
}
