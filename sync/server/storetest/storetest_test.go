package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"outpost/internal/pgtest"
	"outpost/sync/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestSQLite(t *testing.T) {
	Run(t, func(t *testing.T) *server.Store {
		s, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "server.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestPostgres needs no set-up: pgtest starts a throwaway cluster unless
// OUTPOST_TEST_POSTGRES names one.
func TestPostgres(t *testing.T) {
	Run(t, func(t *testing.T) *server.Store {
		s, err := server.OpenPostgres(context.Background(), pgtest.DB(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
