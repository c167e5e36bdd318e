package main

import (
	"errors"
	"net"
	"sync"
	"testing"
)

// faultProxy is a TCP proxy between one workstation and the server. It
// sees only TLS bytes, so its faults are the network's: a reply that never
// arrives, a reply cut in the middle, a server that goes away. Faults are
// armed on the connections open at that moment (a workstation's warm
// connection); connections opened later pass untouched, so a fault that
// missed its connection shows up as a sync that succeeded, not as a hang.
type faultProxy struct {
	ln net.Listener

	mu       sync.Mutex
	target   string
	conns    map[*proxyConn]bool
	upstream int64 // bytes forwarded to the server, all connections
	watch    *upWatch
}

// proxyConn is one proxied connection and its armed fault.
type proxyConn struct {
	client, server net.Conn
	swallow        bool // drop every reply byte (until cut)
	budget         int  // >0: pass this many more reply bytes, then cut
}

// upWatch fires once the server has been sent n more bytes.
type upWatch struct {
	until int64
	fired chan struct{}
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target, conns: map[*proxyConn]bool{}}
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

// retarget sends new connections to addr (a restarted server).
func (p *faultProxy) retarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

func (p *faultProxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		target := p.target
		p.mu.Unlock()
		server, err := net.Dial("tcp", target)
		if err != nil {
			client.Close()
			continue
		}
		pc := &proxyConn{client: client, server: server}
		p.mu.Lock()
		p.conns[pc] = true
		p.mu.Unlock()
		go p.up(pc)
		go p.down(pc)
	}
}

// up copies workstation bytes to the server, counting them.
func (p *faultProxy) up(pc *proxyConn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := pc.client.Read(buf)
		if n > 0 {
			if _, werr := pc.server.Write(buf[:n]); werr != nil {
				err = werr
			}
			p.mu.Lock()
			p.upstream += int64(n)
			if w := p.watch; w != nil && p.upstream >= w.until {
				close(w.fired)
				p.watch = nil
			}
			p.mu.Unlock()
		}
		if err != nil {
			p.drop(pc)
			return
		}
	}
}

// down copies reply bytes to the workstation, applying the armed fault.
func (p *faultProxy) down(pc *proxyConn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := pc.server.Read(buf)
		if n > 0 {
			out, cut := p.filter(pc, buf[:n])
			if _, werr := pc.client.Write(out); werr != nil {
				err = werr
			}
			if cut {
				err = errors.New("cut")
			}
		}
		if err != nil {
			p.drop(pc)
			return
		}
	}
}

// filter returns what of b reaches the workstation and whether the
// connection is cut after it.
func (p *faultProxy) filter(pc *proxyConn, b []byte) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case pc.swallow:
		return nil, false
	case pc.budget > 0 && len(b) >= pc.budget:
		return b[:pc.budget], true
	case pc.budget > 0:
		pc.budget -= len(b)
	}
	return b, false
}

func (p *faultProxy) drop(pc *proxyConn) {
	pc.client.Close()
	pc.server.Close()
	p.mu.Lock()
	delete(p.conns, pc)
	p.mu.Unlock()
}

// armed applies f to every open connection and returns how many there were.
func (p *faultProxy) armed(f func(*proxyConn)) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for pc := range p.conns {
		f(pc)
	}
	return len(p.conns)
}

// swallowReplies drops every reply byte on the open connections until cut:
// the server still receives and answers requests.
func (p *faultProxy) swallowReplies() int {
	return p.armed(func(pc *proxyConn) { pc.swallow = true })
}

// truncateReplies lets n more reply bytes through on each open connection,
// then cuts it.
func (p *faultProxy) truncateReplies(n int) int {
	return p.armed(func(pc *proxyConn) { pc.budget = n })
}

// cut closes every open connection, both ways.
func (p *faultProxy) cut() {
	p.mu.Lock()
	open := make([]*proxyConn, 0, len(p.conns))
	for pc := range p.conns {
		open = append(open, pc)
	}
	p.mu.Unlock()
	for _, pc := range open {
		p.drop(pc)
	}
}

// afterUpload returns a channel closed once n more bytes went to the server.
func (p *faultProxy) afterUpload(n int64) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.watch = &upWatch{until: p.upstream + n, fired: make(chan struct{})}
	return p.watch.fired
}

func (p *faultProxy) close() {
	p.ln.Close()
	p.cut()
}
