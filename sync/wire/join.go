package wire

// Join from heads (protocol v1 JSON codec). A new workstation does not
// replay the practice's history: it asks for the current head of every
// record as of one seq (a snapshot), then pulls deltas after that seq as
// usual. See docs/SYNC.md, "Joining from heads".

// PathJoinHeads is the endpoint; the request is signed like any other.
const PathJoinHeads = "/v1/join-heads"

// JoinHeadsRequest is the body of POST /v1/join-heads. Without Records it
// lists, after seq After and up to seq UpTo (0 on the first page: the
// server's head then), every change no later change of the same record up
// to UpTo names as a parent. With Records it lists every change of those
// records up to UpTo instead (their history: a record with several heads,
// or a change that names an ancestor the workstation does not hold).
type JoinHeadsRequest struct {
	After   int64    `json:"after"`
	UpTo    int64    `json:"upTo"`
	Limit   int      `json:"limit"`
	Records []string `json:"records,omitempty"`
}

// MaxJoinRecords bounds one history request (ids of 36 bytes: ~40 KB).
const MaxJoinRecords = 1000

// Validate checks the cursors, the page size and the record ids.
func (j *JoinHeadsRequest) Validate() error {
	switch {
	case j.After < 0 || j.UpTo < 0:
		return invalidf("after %d and upTo %d must not be negative", j.After, j.UpTo)
	case j.UpTo > 0 && j.After > j.UpTo:
		return invalidf("after %d is past upTo %d", j.After, j.UpTo)
	case j.Limit < 1 || j.Limit > MaxPullLimit:
		return invalidf("limit %d must be 1-%d", j.Limit, MaxPullLimit)
	case len(j.Records) > MaxJoinRecords:
		return invalidf("%d records (limit %d)", len(j.Records), MaxJoinRecords)
	}
	for _, id := range j.Records {
		if !validID(id) {
			return invalidf("record id %.40q is not a UUID", id)
		}
	}
	return nil
}
