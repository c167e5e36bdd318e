package app

import (
	"context"
	"errors"

	"outpost/chart"
	"outpost/sync/client"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

// After a restore from an older backup, this workstation has lost what it
// wrote since that backup; the practice server has it. Its pulls then ask
// for its own changes too (includeOwn) until a sync completes: they start
// at the backup's pull cursor, which is before every change it sent after
// the backup, so nothing is missed and nothing is pulled twice from the
// start. The restore sets the flag (sqlite.Workstation.RestoreCatchUp).

// catchUpFlag is the workstation's "restored: pull back my own changes".
type catchUpFlag interface {
	RestoreCatchUp(ctx context.Context) (bool, error)
	EndRestoreCatchUp(ctx context.Context) error
}

// catchUp returns the flag, or nil when the store has none.
func (a *App) catchUp() catchUpFlag {
	f, _ := a.opts.Sync.(catchUpFlag)
	return f
}

// syncTransport is the runner's transport: the pinned, signed HTTPS client,
// whose pulls include this device's changes while a catch-up is due.
func (a *App) syncTransport(id wire.SyncIdentity) client.Transport {
	c := transport.ClientFor(id)
	c.HTTP = transport.NewHTTPClient(id.Fingerprint)
	return &ownPuller{Client: c, flag: a.catchUp()}
}

// ownPuller sets IncludeOwn on each pull from the flag. The runner makes
// one request at a time, so setting the field is safe.
type ownPuller struct {
	*transport.Client
	flag catchUpFlag
}

func (p *ownPuller) Pull(ctx context.Context, after int64, limit int, patients []chart.PatientID) (wire.PullResponse, error) {
	p.IncludeOwn = false
	if p.flag != nil {
		p.IncludeOwn, _ = p.flag.RestoreCatchUp(ctx)
	}
	return p.Client.Pull(ctx, after, limit, patients)
}

// CloseIdleConnections lets the runner drop kept-alive connections.
func (p *ownPuller) CloseIdleConnections() { p.HTTP.CloseIdleConnections() }

// catchUpState records sync runs and ends the catch-up at the first
// complete one (a run without error has pulled to the end).
type catchUpState struct {
	client.StateRecorder
	flag catchUpFlag
}

func (s catchUpState) RecordSyncRun(ctx context.Context, r chart.SyncRun) error {
	err := s.StateRecorder.RecordSyncRun(ctx, r)
	if r.Error == "" && s.flag != nil {
		if due, _ := s.flag.RestoreCatchUp(ctx); due {
			return errors.Join(err, s.flag.EndRestoreCatchUp(ctx))
		}
	}
	return err
}
