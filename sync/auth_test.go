package sync

import (
	"crypto/ed25519"
	"errors"
	"testing"
	"time"
)

func TestSignedRequestVerification(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	now := time.UnixMilli(1_732_350_000_000)
	body := []byte("gzip body")
	a, err := SignRequest(priv, "dev", "POST", "/v1/push", body, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Verify(pub, "POST", "/v1/push", body, now.Add(MaxClockSkew)); err != nil {
		t.Fatalf("good signature refused: %v", err)
	}
	tampered := func(f func(*RequestAuth)) RequestAuth { c := a; f(&c); return c }
	cases := []struct {
		name   string
		auth   RequestAuth
		pub    ed25519.PublicKey
		path   string
		body   []byte
		now    time.Time
		target error
	}{
		{"wrong key", a, otherPub, "/v1/push", body, now, ErrBadSignature},
		{"altered body", a, pub, "/v1/push", []byte("gzip bodY"), now, ErrBadSignature},
		{"altered path", a, pub, "/v1/pull", body, now, ErrBadSignature},
		{"altered timestamp", tampered(func(c *RequestAuth) { c.Timestamp = "1732350000001" }), pub, "/v1/push", body, now, ErrBadSignature},
		{"altered nonce", tampered(func(c *RequestAuth) { c.Nonce = "00000000000000000000000000000000" }), pub, "/v1/push", body, now, ErrBadSignature},
		{"padded timestamp", tampered(func(c *RequestAuth) { c.Timestamp = "0" + c.Timestamp }), pub, "/v1/push", body, now, ErrBadSignature},
		{"no signature", tampered(func(c *RequestAuth) { c.Signature = "" }), pub, "/v1/push", body, now, ErrBadSignature},
		{"no key", a, nil, "/v1/push", body, now, ErrBadSignature},
		{"clock behind", a, pub, "/v1/push", body, now.Add(MaxClockSkew + time.Second), ErrClockSkew},
		{"clock ahead", a, pub, "/v1/push", body, now.Add(-MaxClockSkew - time.Second), ErrClockSkew},
	}
	for _, c := range cases {
		if err := c.auth.Verify(c.pub, "POST", c.path, c.body, c.now); !errors.Is(err, c.target) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.target)
		}
	}
}

func TestSignRequestUsesFreshNonces(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	a, _ := SignRequest(priv, "d", "POST", "/v1/pull", nil, time.Now())
	b, _ := SignRequest(priv, "d", "POST", "/v1/pull", nil, time.Now())
	if a.Nonce == b.Nonce || len(a.Nonce) != 32 {
		t.Fatalf("nonces %q %q", a.Nonce, b.Nonce)
	}
	if _, err := SignRequest(priv[:10], "d", "POST", "/", nil, time.Now()); err == nil {
		t.Fatal("a short key must be refused")
	}
}
