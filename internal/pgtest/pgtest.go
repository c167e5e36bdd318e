// Package pgtest gives tests a real, throwaway PostgreSQL database: each
// call of DB makes a fresh database on one cluster per test process. The
// cluster is the one named by OUTPOST_TEST_POSTGRES (a DSN whose user may
// create databases; `make test` exports one), or else one this package
// starts itself: initdb into a temporary directory (as the unprivileged
// `postgres` user when running as root, since PostgreSQL refuses root),
// pg_ctl start on a free loopback port, stopped by Main at the end.
// Nothing is skipped: without PostgreSQL installed, the tests fail.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvDSN names an existing cluster to use instead of starting one.
const EnvDSN = "OUTPOST_TEST_POSTGRES"

var (
	once    gosync.Once
	admin   string // DSN of the cluster's maintenance database
	started *Cluster
	errOnce error
)

// Main runs the tests and then stops the cluster this process started.
// Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if started != nil {
		started.Stop()
	}
	return code
}

// DB returns the DSN of a new empty database, dropped when the test ends.
func DB(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if dsn := os.Getenv(EnvDSN); dsn != "" {
			admin = dsn
			return
		}
		started, errOnce = Start(os.TempDir())
		if errOnce == nil {
			admin = started.DSN("postgres")
		}
	})
	if errOnce != nil {
		t.Fatalf("start a throwaway PostgreSQL (install Debian's postgresql package, or set %s): %v", EnvDSN, errOnce)
	}
	name := "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if err := execAdmin(fmt.Sprintf(`CREATE DATABASE %s STRATEGY = FILE_COPY`, name)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { execAdmin(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)) })
	return withDatabase(admin, name)
}

func execAdmin(stmt string) error {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

// withDatabase is dsn naming database name instead.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " dbname=" + name // key=value form
	}
	u.Path = "/" + name
	return u.String()
}

// Cluster is a PostgreSQL server this package started.
type Cluster struct {
	Dir  string // the temporary directory holding its data
	Port int
	user string // the OS user it runs as ("" : the current one)
}

// Bin is where PostgreSQL's server programs are: $OUTPOST_PG_BIN, else
// Debian's newest /usr/lib/postgresql/N/bin (Debian 12: 15), else PATH.
var Bin = findBin()

func findBin() string {
	if b := os.Getenv("OUTPOST_PG_BIN"); b != "" {
		return b
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	if len(dirs) > 0 {
		return dirs[len(dirs)-1]
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return "/usr/lib/postgresql/15/bin"
}

// version is N of /usr/lib/postgresql/N/bin.
func version(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// Start initialises and starts a cluster in a new directory under parent,
// listening on a free loopback port, trusting local connections (it is
// reachable from this machine only, and holds test data only).
func Start(parent string) (*Cluster, error) {
	dir, err := os.MkdirTemp(parent, "outpost-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir}
	if os.Geteuid() == 0 {
		c.user = "postgres"
		if err := c.chown(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run(filepath.Join(Bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if c.Port, err = freePort(); err != nil {
		return nil, err
	}
	// Durability off: a test cluster lives as long as the tests.
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", c.Port, dir)
	if out, err := c.run(filepath.Join(Bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return c, nil
}

// DSN is the URL of database db on the cluster.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// Stop stops the cluster at once and removes its directory.
func (c *Cluster) Stop() {
	c.run(filepath.Join(Bin, "pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.Dir)
}

// run runs a PostgreSQL program as the cluster's user.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	if c.user != "" {
		args = append([]string{"-u", c.user, "--", prog}, args...)
		prog = "runuser"
	}
	cmd := exec.Command(prog, args...)
	cmd.Dir = c.Dir
	return cmd.CombinedOutput()
}

// chown gives the directory to the cluster's user; the directories above
// it must let that user through.
func (c *Cluster) chown() error {
	u, err := user.Lookup(c.user)
	if err != nil {
		return fmt.Errorf("PostgreSQL refuses to run as root and there is no %q user: %w", c.user, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(c.Dir, uid, gid); err != nil {
		return err
	}
	return os.Chmod(c.Dir, 0o700)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
