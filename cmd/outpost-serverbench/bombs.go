package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	gosync "sync"
	"time"

	"outpost/chart"
	"outpost/sync/transport"
	"outpost/sync/wire"
)

type bombResult struct {
	sent     int
	statuses map[string]int // "413 too_large": count
}

// bombKind makes the body of one kind of bomb for an endpoint whose JSON
// starts with prefix and whose inflated limit is limit.
type bombKind struct {
	name string
	make func(prefix string, limit int64) []byte
}

var bombKinds = []bombKind{
	// The bomb: ~256 KB that inflate to 256 MiB of one string.
	{"256 MiB, trailer true", func(p string, _ int64) []byte { return gzipFill(p, 256<<20) }},
	// The same with a trailer declaring 100 bytes.
	{"256 MiB, trailer lies", func(p string, _ int64) []byte { return lie(gzipFill(p, 256<<20)) }},
	// The largest the endpoint admits: inflated and decoded in full, then
	// refused as malformed (an unterminated string).
	{"just under the limit", func(p string, limit int64) []byte { return gzipFill(p, int(limit)-len(p)-1) }},
}

func gzipFill(prefix string, n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(prefix))
	chunk := bytes.Repeat([]byte{'A'}, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		zw.Write(chunk[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

func lie(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[len(b)-4:], 100)
	return b
}

// bombs sends, for each kind and round, perEndpoint bombs to every endpoint
// at once: pushes and pulls signed by an enrolled workstation (so they get
// past authentication), enrolments with a valid code.
func bombs(s *benchServer, endpoints []string, perEndpoint, rounds int) (bombResult, error) {
	res := bombResult{statuses: map[string]int{}}
	var signer *transport.Client
	needsSigner := false
	for _, e := range endpoints {
		needsSigner = needsSigner || e != "enroll"
	}
	if needsSigner {
		c, err := s.enrol()
		if err != nil {
			return res, err
		}
		signer = c
	}
	code, err := s.code()
	if err != nil {
		return res, err
	}
	token := code.TokenString()
	limits := map[string]int64{"enroll": wire.MaxEnrollBody, "pull": wire.MaxPullBody, "push": wire.MaxPushBody}
	prefixes := map[string]string{
		"enroll": `{"code":"` + token + `","deviceId":"` + string(chart.NewDeviceID()) + `","deviceName":"`,
		"pull":   `{"after":0,"limit":10,"patients":["`,
		"push":   `{"changes":[{"sealed":"`,
	}
	hc := transport.NewHTTPClient(code.Fingerprint[:])
	var mu gosync.Mutex
	for _, kind := range bombKinds {
		bodies := map[string][]byte{}
		for _, e := range endpoints {
			bodies[e] = kind.make(prefixes[e], limits[e])
		}
		for range rounds {
			var wg gosync.WaitGroup
			for _, e := range endpoints {
				for range perEndpoint {
					wg.Add(1)
					go func() {
						defer wg.Done()
						got := sendBomb(hc, s.addr, signer, e, bodies[e])
						mu.Lock()
						res.statuses[kind.name+": "+e+" "+got]++
						res.sent++
						mu.Unlock()
					}()
				}
			}
			wg.Wait()
		}
		sizes := []string{}
		for _, e := range endpoints {
			sizes = append(sizes, fmt.Sprintf("%s %d B", e, len(bodies[e])))
		}
		sort.Strings(sizes)
		fmt.Printf("bombs: %-22s compressed sizes %v; server peak so far %s\n", kind.name, sizes, mib(s.peak()))
	}
	return res, nil
}

func sendBomb(hc *http.Client, addr string, signer *transport.Client, endpoint string, body []byte) string {
	path := "/v1/" + endpoint
	req, err := http.NewRequest(http.MethodPost, "https://"+addr+path, bytes.NewReader(body))
	if err != nil {
		return "error " + err.Error()
	}
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	if endpoint != "enroll" {
		aud := wire.Audience{PracticeID: string(signer.PracticeID), Fingerprint: signer.PinnedFingerprint}
		a, err := wire.SignRequest(signer.PrivateKey, string(signer.DeviceID), aud, http.MethodPost, path, body, time.Now())
		if err != nil {
			return "error " + err.Error()
		}
		for k, v := range map[string]string{wire.HeaderDevice: a.DeviceID, wire.HeaderTimestamp: a.Timestamp,
			wire.HeaderNonce: a.Nonce, wire.HeaderSignature: a.Signature} {
			req.Header.Set(k, v)
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "transport error"
	}
	defer resp.Body.Close()
	var e wire.ErrorResponse
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
	return fmt.Sprintf("%d %s", resp.StatusCode, e.Error.Code)
}
