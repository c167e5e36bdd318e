package sqlite

import "context"

// practiceMerger re-merges practice-wide record id (a user, the practice
// settings) after pulled changes touched it and returns how many field
// conflicts it holds.
type practiceMerger func(s *Session, ctx context.Context, t *tx, id string) (int, error)

// practiceMergers are the practice-wide kinds ApplyRemote merges.
var practiceMergers = map[string]practiceMerger{}
