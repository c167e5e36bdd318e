package fhirimport

import (
	gosync "sync"
	"sync/atomic"
)

// chunkRead reads one chunk's files (gunzipped, split and checked on every
// core: reread) on a goroutine of its own, so the next chunk can be read
// while this one's last patients are sealed and committed: the store's
// SQL runs on one core, and with the chunk all mapped nothing else was
// left to run on the other until the store was done and the next chunk's
// reading began. What was read is taken in (take) on the store's
// goroutine, in the files' order, when the chunk's turn comes, so the
// report and the patients' groups are those of a serial run.
type chunkRead struct {
	chunk []*patientSlot
	files []*inputFile
	start func()
	done  chan struct{}
	read  []reread
	// panicked is a panic while reading, raised again in wait, on the
	// goroutine a serial run would have raised it on.
	panicked any
	// dropped: the run was cancelled; files not yet begun are not read.
	dropped atomic.Bool
}

// afterChunkRead, set by tests only, is called as each chunk's reading ends.
var afterChunkRead func()

func (r *importRun) newChunkRead(chunk []*patientSlot, files []*inputFile) *chunkRead {
	c := &chunkRead{chunk: chunk, files: files, done: make(chan struct{})}
	c.start = gosync.OnceFunc(func() {
		go func() {
			defer close(c.done)
			defer func() { c.panicked = recover() }()
			c.read = r.readChunk(c)
			if afterChunkRead != nil {
				afterChunkRead()
			}
		}()
	})
	return c
}

// begin starts the reading, once; on a nil chunkRead (no chunk to read
// ahead) it does nothing.
func (c *chunkRead) begin() {
	if c != nil {
		c.start()
	}
}

// wait begins the reading if it has not begun and returns what was read.
func (c *chunkRead) wait() []reread {
	c.start()
	<-c.done
	if c.panicked != nil {
		panic(c.panicked)
	}
	return c.read
}

// drop stops a reading begun for a run that was cancelled and waits for
// its goroutines, so none outlives the run; a nil chunkRead does nothing.
func (c *chunkRead) drop() {
	if c == nil {
		return
	}
	c.dropped.Store(true)
	c.start()
	<-c.done
}

// readChunk reads the chunk's files on every core. It changes nothing of
// the run (reread), so it may run beside the store.
func (r *importRun) readChunk(c *chunkRead) []reread {
	in := inChunk(c.chunk)
	read := make([]reread, len(c.files))
	inOrder(len(c.files), func(i int) reread {
		if c.dropped.Load() {
			return reread{}
		}
		return r.reread(c.files[i], in)
	}, func(i int, rr reread) bool {
		read[i] = rr
		return !c.dropped.Load()
	})
	return read
}
