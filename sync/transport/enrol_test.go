package transport

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"outpost/chart"
	"outpost/sync/wire"
)

// A server answering for another practice than the one named is not
// trusted, whatever its certificate: the client refuses the enrolment.
func TestEnrollWithRefusesAReplyForAnotherPractice(t *testing.T) {
	other := chart.NewPracticeID()
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		var body bytes.Buffer
		wire.Encode(&body, &wire.EnrollResponse{PracticeID: other, ServerID: string(chart.NewDeviceID())})
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(body.Bytes())
	}))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	fp := sha256.Sum256(ts.Certificate().Raw)
	c := clientFor(ts, fp[:])
	code := wire.EnrollmentCode{Addr: ts.Listener.Addr().String(), Fingerprint: fp}

	_, err := c.EnrollWith(context.Background(), code, "Front desk", chart.NewPracticeID())
	var e *Error
	if !errors.As(err, &e) || e.Code != chart.EUNAUTHORIZED || !strings.Contains(e.Message, "another practice") {
		t.Fatalf("reply for another practice: %#v", err)
	}
	if resp, err := c.Enroll(context.Background(), code, "Front desk"); err != nil || resp.PracticeID != other {
		t.Fatalf("joining (no practice named) learns the server's: %+v, %v", resp, err)
	}
	if c.PracticeID != other {
		t.Fatalf("the joining client signs for practice %q, want the server's %q", c.PracticeID, other)
	}
}

// A name that would hide or forge text is refused here, with the reason,
// before anything is sent.
func TestEnrolRefusesAHiddenCharacterInTheNameLocally(t *testing.T) {
	ts, hits := replyServer(t, 200, ``)
	fp := sha256.Sum256(ts.Certificate().Raw)
	for _, name := range []string{"Front desk\nAdmin PC", "Exam \u202eroom"} {
		_, err := clientFor(ts, fp[:]).Enroll(context.Background(), wire.EnrollmentCode{Fingerprint: fp}, name)
		var e *Error
		if !errors.As(err, &e) || e.Code != chart.EINVALID || !strings.Contains(e.Message, "invisible characters") {
			t.Errorf("%q: got %#v", name, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("%d enrolments reached the server", hits.Load())
	}
}

func TestEnrolmentRefusalsSayWhatToDo(t *testing.T) {
	cases := map[string]string{
		`{"error":{"code":"unauthorized","message":"x","reason":"wrong_practice"}}`: "this server belongs to another practice",
		`{"error":{"code":"invalid","message":"x","reason":"no_practice"}}`:         "connect the practice's first workstation, then join",
	}
	for body, says := range cases {
		ts, _ := replyServer(t, 401, body)
		fp := sha256.Sum256(ts.Certificate().Raw)
		_, err := clientFor(ts, fp[:]).Enroll(context.Background(), wire.EnrollmentCode{Fingerprint: fp}, "Front desk")
		var e *Error
		if !errors.As(err, &e) || e.Temporary || !strings.Contains(e.Message, says) {
			t.Errorf("%s: got %#v", body, err)
		}
	}
}
