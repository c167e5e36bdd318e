#!/usr/bin/env bash
# Sync benchmark, side by side: the PouchDB/CouchDB-replication baseline (the Community Health
# Toolkit's sync stack, ../shared/bench-peers/pouchdb) and Outpost (cmd/outpost-bench against the
# real outpost-server binary), on the same machine, in the same run, on the same records.
#
# Writes build/bench/{pouchdb,outpost}-STAMP.jsonl and build/bench/side-by-side-STAMP.md.
# Env: PATIENTS (2000), SEED (20261122, the harness's), LATENCY_MS (300),
#      PEER_DIR (../shared/bench-peers/pouchdb), SKIP_POUCHDB=1 (reuse the newest PouchDB results of the same patients and seed;
#      for iterating on Outpost only - the published figures come from runs without it),
#      SCALE=10 (the 10x variant: PATIENTS x 10, i.e. 20,000 patients / ~400,000 documents, both systems
#      side by side, each bounded by TIME_LIMIT seconds, default 5400; a system that runs out of time or
#      memory is reported as failed at the step it reached, and the other still runs),
#      JOIN=replay (Outpost's S2 replays every change instead of joining from heads, for before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PATIENTS=${PATIENTS:-2000}
SCALE=${SCALE:-1}
PATIENTS=$((PATIENTS * SCALE))
TIME_LIMIT=${TIME_LIMIT:-5400}
[ -n "${JOIN:-}" ] && export OUTPOST_BENCH_JOIN=$JOIN
# bounded: a step that does not finish in TIME_LIMIT is killed and reported; memory is each
# process's VmHWM (both harnesses report it per step).
bounded() { timeout --signal=TERM --kill-after=30 "$TIME_LIMIT" "$@"; }
SEED=${SEED:-20261122}
LATENCY_MS=${LATENCY_MS:-300}
PEER_DIR=${PEER_DIR:-$ROOT/../shared/bench-peers/pouchdb}
CACHE=$ROOT/.cache/bench # git-ignored: the harness's working copy, node_modules, databases
OUT=$ROOT/build/bench
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
log() { echo "[bench-sync $(date -u +%H:%M:%S)] $*" >&2; }

command -v node >/dev/null || { echo "bench-sync: node (>= 18) is required" >&2; exit 1; }
[ -f "$PEER_DIR/run.sh" ] || { echo "bench-sync: no PouchDB harness in $PEER_DIR (set PEER_DIR)" >&2; exit 1; }
mkdir -p "$CACHE/bin" "$OUT"

# The harness's directory is read-only and run.sh writes beside itself: run a copy. npm ci runs
# only when the copy has no node_modules or the lock file changed (then SKIP_INSTALL=1).
PEER=$CACHE/pouchdb
SKIP_INSTALL=1
if [ ! -d "$PEER/node_modules" ] || ! cmp -s "$PEER_DIR/package-lock.json" "$PEER/package-lock.json"; then
  rm -rf "$PEER"
  SKIP_INSTALL=0
fi
mkdir -p "$PEER"
(cd "$PEER_DIR" && tar --exclude=./node_modules --exclude=./work --exclude=./results -cf - .) | (cd "$PEER" && tar -xf -)
chmod -R u+w "$PEER"

DATASET=$CACHE/dataset-$PATIENTS-$SEED.ndjson
log "data set: node dump.js $PATIENTS $SEED"
(cd "$PEER" && node dump.js "$PATIENTS" "$SEED") >"$DATASET"

POUCH=$OUT/pouchdb-$STAMP.jsonl
if [ "${SKIP_POUCHDB:-0}" = 1 ]; then
  # Only results of the same data set (patients and seed, read from their S0 line) pair with this
  # run: ratios against another size mean nothing. The harness's published baseline counts too.
  POUCH=""
  for f in $(ls -t "$OUT"/pouchdb-*.jsonl 2>/dev/null) "$PEER_DIR"/baseline-*.jsonl; do
    [ -f "$f" ] && head -n1 "$f" | grep -q "\"patients\":$PATIENTS,\"seed\":$SEED," && { POUCH=$f; break; }
  done
  [ -n "$POUCH" ] || { echo "bench-sync: SKIP_POUCHDB=1 but no earlier PouchDB results for $PATIENTS patients, seed $SEED, in $OUT (run once without SKIP_POUCHDB)" >&2; exit 1; }
  log "reusing PouchDB results $POUCH"
else
  log "PouchDB baseline (run.sh, SKIP_INSTALL=$SKIP_INSTALL)"
  (cd "$PEER" && PATIENTS=$PATIENTS SEED=$SEED LATENCY_MS=$LATENCY_MS SKIP_INSTALL=$SKIP_INSTALL bounded ./run.sh) >"$POUCH" ||
    { echo "{\"scenario\":\"failed\",\"system\":\"pouchdb\",\"exit\":$?,\"limit_s\":$TIME_LIMIT}" >>"$POUCH"
      log "PouchDB failed or ran out of time (see the last step in $POUCH); Outpost still runs"; }
fi

log "building outpost-server and outpost-bench"
CGO_ENABLED=0 go build -o "$CACHE/bin/outpost-server" ./cmd/outpost-server
go build -o "$CACHE/bin/outpost-bench" ./cmd/outpost-bench

log "Outpost"
bounded "$CACHE/bin/outpost-bench" -dataset "$DATASET" -server "$CACHE/bin/outpost-server" -work "$CACHE/outpost-work" \
  -latency "${LATENCY_MS}ms" -step-limit "${TIME_LIMIT}s" -out "$OUT/outpost-$STAMP.jsonl" -table "$OUT/side-by-side-$STAMP.md" -pouchdb "$POUCH" ||
  { echo "{\"scenario\":\"failed\",\"system\":\"outpost\",\"exit\":$?,\"limit_s\":$TIME_LIMIT}" >>"$OUT/outpost-$STAMP.jsonl"
    log "Outpost failed or ran out of time (see the last step in $OUT/outpost-$STAMP.jsonl)"; }
log "results: $POUCH $OUT/outpost-$STAMP.jsonl $OUT/side-by-side-$STAMP.md"
