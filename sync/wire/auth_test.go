package wire

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"
)

const (
	testDevice   = "0190f1a0-0000-7000-8000-000000000001"
	testDevice2  = "0190f1a0-0000-7000-8000-000000000002"
	testPractice = "0190f1a0-0000-7000-8000-0000000000a1"
)

var testAudience = Audience{PracticeID: testPractice, Fingerprint: bytes.Repeat([]byte{7}, 32)}

func TestSignedRequestVerification(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	now := time.UnixMilli(1_732_350_000_000)
	body := []byte("gzip body")
	a, err := SignRequest(priv, testDevice, testAudience, "POST", "/v1/push", body, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Verify(pub, testAudience, "POST", "/v1/push", body, now.Add(MaxClockSkew)); err != nil {
		t.Fatalf("good signature refused: %v", err)
	}
	tampered := func(f func(*RequestAuth)) RequestAuth { c := a; f(&c); return c }
	otherServer := Audience{PracticeID: testPractice, Fingerprint: bytes.Repeat([]byte{8}, 32)}
	otherPractice := Audience{PracticeID: "0190f1a0-0000-7000-8000-0000000000a2", Fingerprint: testAudience.Fingerprint}
	cases := []struct {
		name   string
		auth   RequestAuth
		pub    ed25519.PublicKey
		aud    Audience
		path   string
		body   []byte
		now    time.Time
		target error
	}{
		{"wrong key", a, otherPub, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"altered body", a, pub, testAudience, "/v1/push", []byte("gzip bodY"), now, ErrBadSignature},
		{"altered path", a, pub, testAudience, "/v1/pull", body, now, ErrBadSignature},
		{"another device id", tampered(func(c *RequestAuth) { c.DeviceID = testDevice2 }), pub, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"another server", a, pub, otherServer, "/v1/push", body, now, ErrBadSignature},
		{"another practice", a, pub, otherPractice, "/v1/push", body, now, ErrBadSignature},
		{"no audience", a, pub, Audience{}, "/v1/push", body, now, ErrBadSignature},
		{"altered timestamp", tampered(func(c *RequestAuth) { c.Timestamp = "1732350000001" }), pub, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"altered nonce", tampered(func(c *RequestAuth) { c.Nonce = "00000000000000000000000000000000" }), pub, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"padded timestamp", tampered(func(c *RequestAuth) { c.Timestamp = "0" + c.Timestamp }), pub, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"no signature", tampered(func(c *RequestAuth) { c.Signature = "" }), pub, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"no key", a, nil, testAudience, "/v1/push", body, now, ErrBadSignature},
		{"clock behind", a, pub, testAudience, "/v1/push", body, now.Add(MaxClockSkew + time.Second), ErrClockSkew},
		{"clock ahead", a, pub, testAudience, "/v1/push", body, now.Add(-MaxClockSkew - time.Second), ErrClockSkew},
	}
	for _, c := range cases {
		if err := c.auth.Verify(c.pub, c.aud, "POST", c.path, c.body, c.now); !errors.Is(err, c.target) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.target)
		}
	}
	if got := a.SignedAt(); !got.Equal(now) {
		t.Errorf("SignedAt %v, want %v", got, now)
	}
}

// The signed string is the documented v2 format (docs/SYNC.md): a change
// to it must change the label.
func TestSignedBytesFormat(t *testing.T) {
	a := RequestAuth{DeviceID: testDevice, Timestamp: "1732350000000", Nonce: "000102030405060708090a0b0c0d0e0f"}
	got := string(signedBytes(a, testAudience, "POST", "/v1/pull", nil))
	want := "outpost-sync-v2\n" + testDevice + "\n" + testPractice + "\n" +
		"0707070707070707070707070707070707070707070707070707070707070707\nPOST\n/v1/pull\n1732350000000\n" +
		"000102030405060708090a0b0c0d0e0f\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got != want {
		t.Fatalf("signed bytes\n%s\nwant\n%s", got, want)
	}
}

func TestSignRequestUsesFreshNonces(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	a, _ := SignRequest(priv, testDevice, testAudience, "POST", "/v1/pull", nil, time.Now())
	b, _ := SignRequest(priv, testDevice, testAudience, "POST", "/v1/pull", nil, time.Now())
	if a.Nonce == b.Nonce || len(a.Nonce) != 32 {
		t.Fatalf("nonces %q %q", a.Nonce, b.Nonce)
	}
	if _, err := SignRequest(priv[:10], testDevice, testAudience, "POST", "/", nil, time.Now()); err == nil {
		t.Fatal("a short key must be refused")
	}
	if _, err := SignRequest(priv, testDevice, Audience{Fingerprint: testAudience.Fingerprint}, "POST", "/", nil, time.Now()); err == nil {
		t.Fatal("a request for no practice must not be signed")
	}
	if _, err := SignRequest(priv, "dev\nice", testAudience, "POST", "/", nil, time.Now()); err == nil {
		t.Fatal("a malformed device id must not be signed")
	}
}
