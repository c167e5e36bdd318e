package transport

import (
	"context"

	"outpost/sync/wire"
)

// JoinHeads asks for one page of a join from heads (wire.JoinHeadsRequest):
// upTo 0 on the first page; records nil for heads, else their history.
func (c *Client) JoinHeads(ctx context.Context, after, upTo int64, limit int, records []string) (wire.PullResponse, error) {
	var resp wire.PullResponse
	req := &wire.JoinHeadsRequest{After: after, UpTo: upTo, Limit: limit, Records: records}
	err := c.do(ctx, wire.PathJoinHeads, req, &resp, true)
	return resp, err
}
