#!/usr/bin/env bash
# with-postgres.sh CMD... runs CMD with OUTPOST_TEST_POSTGRES naming a
# throwaway PostgreSQL cluster (Debian's postgresql package): initdb into a
# temporary directory, started on a free loopback port, stopped and removed
# when CMD ends. PostgreSQL refuses to run as root, so as root the cluster
# runs as the `postgres` user the package creates. The store tests
# (sync/server/storetest, cmd/outpost-server) then share this one cluster,
# each in fresh databases; without it, each test process starts its own.
set -euo pipefail

if [ -n "${OUTPOST_TEST_POSTGRES:-}" ]; then exec "$@"; fi
bin=${OUTPOST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "with-postgres.sh: no PostgreSQL found (apt-get install postgresql)" >&2; exit 1; }

dir=$(mktemp -d /tmp/outpost-pg-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as=(runuser -u postgres --); fi
# A free loopback port: one nothing answers on.
port=0
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 40000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ "$port" != 0 ] || { echo "with-postgres.sh: no free loopback port" >&2; exit 1; }
stop() {
	"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start \
	-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
export OUTPOST_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
echo "PostgreSQL for the tests: $OUTPOST_TEST_POSTGRES"
"$@"
