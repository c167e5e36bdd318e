package main

import (
	"net"
	"sync"
	"sync/atomic"
)

// proxy is a TCP relay between the workstations and the server that counts
// the bytes crossing it each way, TLS records and all: what the link
// carries. Request counts come from the client (linkRT), since the proxy
// cannot read TLS.
type proxy struct {
	ln       net.Listener
	upstream string
	up, down atomic.Int64 // client->server, server->client
	conns    atomic.Int64
	wg       sync.WaitGroup
}

type wireStats struct {
	Up, Down, Conns int64
}

func startProxy(upstream string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, upstream: upstream}
	go p.accept()
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) stats() wireStats {
	return wireStats{Up: p.up.Load(), Down: p.down.Load(), Conns: p.conns.Load()}
}

func (p *proxy) close() { p.ln.Close() }

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		go p.relay(c)
	}
}

func (p *proxy) relay(c net.Conn) {
	defer c.Close()
	s, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer s.Close()
	done := make(chan struct{}, 2)
	go func() { pipe(s, c, &p.up); done <- struct{}{} }()
	go func() { pipe(c, s, &p.down); done <- struct{}{} }()
	<-done // one side closed: close both, as a cut link would
}

func pipe(dst, src net.Conn, n *atomic.Int64) {
	buf := make([]byte, 64<<10)
	for {
		k, err := src.Read(buf)
		if k > 0 {
			n.Add(int64(k))
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return
			}
		}
		if err != nil {
			return // EOF or a cut: relay closes both sides
		}
	}
}
