package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"outpost/chart"
)

// crashEnv names the store a TestCrashHelper child writes to.
const crashEnv = "OUTPOST_CRASH_HELPER_DB"

// TestCrashHelper is the child of TestKillNineLosesNoAcknowledgedRecord: it
// registers patients forever, printing each id once RegisterPatient returns.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("only runs as the child of TestKillNineLosesNoAcknowledgedRecord")
	}
	w, err := OpenWorkstation(context.Background(), path, Options{WorkFactor: testWorkFactor})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	s, err := w.SignIn(context.Background(), "ada", adminPass)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		p, err := s.RegisterPatient(context.Background(), samplePatient("Crash", fmt.Sprintf("Test%d", i)))
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(2)
		}
		fmt.Println(p.ID) // unbuffered: the parent sees it only after the commit
	}
}

func TestKillNineLosesNoAcknowledgedRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	f := newFixture(t)
	f.w.Close()
	var acked []chart.PatientID
	for round := range 20 {
		want := 1 + rand.IntN(8)
		acked = append(acked, runAndKill(t, f.path, want)...)
		w := openStore(t, f.path, f.clock)
		var check string
		if err := w.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
		}
		s, err := w.SignIn(context.Background(), "ada", adminPass)
		if err != nil {
			t.Fatalf("round %d: sign in after kill: %v", round, err)
		}
		for _, id := range acked {
			if _, err := s.OpenPatient(context.Background(), id); err != nil {
				t.Fatalf("round %d: acknowledged patient %s lost: %v", round, id, err)
			}
		}
		w.Close()
	}
	t.Logf("%d acknowledged patients survived 20 kill -9s", len(acked))
}

// runAndKill starts a child writer, reads want acknowledgements, SIGKILLs it
// mid-stream and returns the acknowledged ids.
func runAndKill(t *testing.T, path string, want int) []chart.PatientID {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Dir = filepath.Dir(path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var ids []chart.PatientID
	sc := bufio.NewScanner(out)
	for len(ids) < want && sc.Scan() {
		line := sc.Text()
		if chart.ValidID(line) {
			ids = append(ids, chart.PatientID(line))
		} else if len(line) > 5 && line[:5] == "ERROR" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %s", line)
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()
	if len(ids) < want {
		t.Fatalf("child stopped after %d acknowledgements, want %d", len(ids), want)
	}
	return ids
}
