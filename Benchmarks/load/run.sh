#!/usr/bin/env bash
# Load test of `ballast serve` with wrk (Debian's `wrk`): the margin-report route (reads) and the event-submission
# route (writes, each request one durable deposit), on the demo venue of 3,000 accounts with its price driver running
# (prices move twice a second, as they would in production). Server and loader share this machine's two cores.
# `GET /health` is the baseline of the same run: the HTTP stack alone.
#
#   Benchmarks/load/run.sh [connections] [seconds] [moving|still]
#
# `still` opens the same book, then restarts the service on it without the demo driver: no price moves, so no read
# waits behind a price event's re-margining and every answer after the first is cached (the reads' own cost).
#
# Needs a release build: swift build -c release --product ballast
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-32}
seconds=${2:-20}
binary=.build/release/ballast
data=$(mktemp -d /tmp/ballast-load.XXXXXX)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
export BALLAST_KEY=$("$binary" keys create --admin --data "$data" 2>/dev/null)
"$binary" serve --demo --demo-accounts 3000 --data "$data" --port 18090 2> "$data/serve.log" &
server=$!
until grep -q "opened 3000 accounts" "$data/serve.log" 2>/dev/null; do sleep 0.5; done
if [ "${3:-moving}" = still ]; then
    kill "$server"
    wait "$server" || true
    "$binary" serve --data "$data" --port 18090 2>> "$data/serve.log" &
    server=$!
    until curl -sf http://127.0.0.1:18090/ready > /dev/null; do sleep 0.2; done
fi
# The account reads: one standard-margin perpetual trader (its report is about 3 kB of JSON), then random accounts.
export BALLAST_ACCOUNT=acct-00010
run() {
    echo "== $1, $connections connections, 2 threads, ${seconds}s"
    shift
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@"
}
run "GET /health (baseline: the HTTP stack alone)" http://127.0.0.1:18090/health
BALLAST_ROUTE=status run "GET /v1/accounts/$BALLAST_ACCOUNT/status" -s Benchmarks/load/read-margin.lua http://127.0.0.1:18090
BALLAST_ROUTE=margin run "GET /v1/accounts/$BALLAST_ACCOUNT/margin" -s Benchmarks/load/read-margin.lua http://127.0.0.1:18090
BALLAST_ROUTE=margin BALLAST_ACCOUNTS=3000 run "GET /v1/accounts/<random of 3,000>/margin" -s Benchmarks/load/read-margin.lua http://127.0.0.1:18090
BALLAST_ROUTE=status BALLAST_ACCOUNTS=3000 run "GET /v1/accounts/<random of 3,000>/status" -s Benchmarks/load/read-margin.lua http://127.0.0.1:18090
run "POST /v1/events (one deposit each, acknowledged when durable)" -s Benchmarks/load/submit-deposits.lua http://127.0.0.1:18090
