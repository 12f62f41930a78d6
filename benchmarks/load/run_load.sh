#!/usr/bin/env bash
# Load test of the REST API with wrk (Debian package `wrk`, Lua scripting).
#
# Starts `twitchcheck serve` on 127.0.0.1 at a free port, waits for /healthz, then measures
# GET /hello, POST /api/v1/assess and POST /api/v1/interview/next on that one server:
#   1. closed loop at a fixed concurrency (wrk -t$THREADS -c$CONNS -d$DURATION): throughput and
#      p50/p99 latency, and the ratio of each route's throughput to /hello's;
#   2. paced at half of /hello's measured throughput (load.lua's delay() schedule: Debian's wrk has
#      no -R and Debian has no wrk2), same threads and connections: p50/p99 at that rate;
#   3. one connection, closed loop (wrk -t1 -c1): latency with no queueing, i.e. the service time.
# POST bodies rotate through benchmarks/load/bodies.lua. The per-client rate limit is raised to
# $RATE_LIMIT requests/minute for the run (TWITCHCHECK_RATE_LIMIT_PER_MINUTE; every wrk
# connection is the one client 127.0.0.1), so no request is refused with 429.
# All traffic goes to 127.0.0.1; every wrk run is bounded by -d; the server is stopped on exit.
#
# Usage: benchmarks/load/run_load.sh [--out FILE]   (from anywhere; ~2 minutes)
# Environment overrides: THREADS (2), CONNS (16), DURATION (15s), WARMUP (3s),
#   RATE_LIMIT (1000000, the largest value Settings accepts), PYTHON_BIN_DIR (.venv/bin).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${PYTHON_BIN_DIR:-$ROOT/.venv/bin}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-16}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-3s}"
RATE_LIMIT="${RATE_LIMIT:-1000000}"
HOST=127.0.0.1
OUT=""
if [[ "${1:-}" == "--out" ]]; then OUT="${2:?--out needs a file}"; fi

command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found" >&2; exit 2; }

PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://$HOST:$PORT"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -- server -----------------------------------------------------------------------------------
TWITCHCHECK_RATE_LIMIT_PER_MINUTE="$RATE_LIMIT" \
    "$BIN/twitchcheck" serve --host "$HOST" --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do   # up to 30 s (the knowledge base loads at start)
    if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$BASE/healthz" >/dev/null || { echo "server not ready after 30 s" >&2; exit 1; }
KB_VERSION="$(curl -fsS "$BASE/healthz" | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["kb_version"])')"

# -- every body must be a valid request (a 422 would be measured as a fast error otherwise) ----
"$BIN/python" - "$HERE/bodies.lua" "$BASE" <<'PY'
import json, re, sys, urllib.request
text = open(sys.argv[1], encoding="utf-8").read()
bodies = re.findall(r"\[\[(.*?)\]\]", text, flags=re.S)
assert len(bodies) >= 5, "expected several bodies"
for path in ("/api/v1/assess", "/api/v1/interview/next"):
    for body in bodies:
        json.loads(body)
        req = urllib.request.Request(sys.argv[2] + path, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as res:   # raises on 4xx/5xx
            assert res.status == 200, (path, res.status, body)
print(f"{len(bodies)} bodies answer 200 on both POST routes")
PY

# -- wrk runs ---------------------------------------------------------------------------------
run_wrk() {  # label method path rate duration [threads connections]
    local t="${6:-$THREADS}" c="${7:-$CONNS}"
    LOAD_LABEL="$1" LOAD_METHOD="$2" LOAD_PATH="$3" LOAD_RATE="$4" LOAD_THREADS="$t" \
        wrk -t"$t" -c"$c" -d"$5" --timeout 5s --latency -s "$HERE/load.lua" "$BASE$3" \
        >"$WORK/wrk.out" 2>&1
    grep '^RESULT ' "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; exit 1; }
}
field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"; }

ROUTES=("hello GET /hello" "assess POST /api/v1/assess" "interview POST /api/v1/interview/next")
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

echo "warm-up: $WARMUP per route (not reported)" >&2
for r in "${ROUTES[@]}"; do read -r l m p <<<"$r"; run_wrk "$l" "$m" "$p" 0 "$WARMUP" >/dev/null; done

declare -A SAT PACED SINGLE
for r in "${ROUTES[@]}"; do
    read -r l m p <<<"$r"
    echo "closed loop: $m $p" >&2
    SAT[$l]="$(run_wrk "$l" "$m" "$p" 0 "$DURATION")"
    echo "${SAT[$l]}" >&2
done
HELLO_RPS="$(field "${SAT[hello]}" rps)"
HALF="$("$BIN/python" -c "print(round($HELLO_RPS / 2, 1))")"
for r in "${ROUTES[@]}"; do
    read -r l m p <<<"$r"
    echo "paced at $HALF req/s: $m $p" >&2
    PACED[$l]="$(run_wrk "$l" "$m" "$p" "$HALF" "$DURATION")"
    echo "${PACED[$l]}" >&2
done
for r in "${ROUTES[@]}"; do
    read -r l m p <<<"$r"
    echo "one connection: $m $p" >&2
    SINGLE[$l]="$(run_wrk "$l" "$m" "$p" 0 "$DURATION" 1 1)"
    echo "${SINGLE[$l]}" >&2
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# -- report (Markdown) ------------------------------------------------------------------------
ratio() { "$BIN/python" -c "print(f'{$1 / $2 * 100:.1f}%')"; }
errors() {
    local s=0
    for k in err_connect err_read err_write err_status err_timeout; do s=$((s + $(field "$1" "$k"))); done
    echo "$s"
}
{
    echo "Run $STARTED; server \`twitchcheck serve --host $HOST --port $PORT\` (uvicorn, one process), KB $KB_VERSION."
    echo
    echo "- Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -sr); wrk and the server share these CPUs."
    echo "- Versions: $("$BIN/python" -V 2>&1), uvicorn $("$BIN/python" -c 'import uvicorn; print(uvicorn.__version__)'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
    echo "- Rate limit: TWITCHCHECK_RATE_LIMIT_PER_MINUTE=$RATE_LIMIT (per client; every connection is 127.0.0.1); limiter: in memory (one process; \`serve --workers N\` keeps it in PostgreSQL instead)."
    echo "- Traffic: 127.0.0.1 only. wrk -t$THREADS -c$CONNS -d$DURATION --latency -s benchmarks/load/load.lua (closed and paced), wrk -t1 -c1 -d$DURATION (one connection), after a $WARMUP warm-up per route."
    echo "- Load average (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end."
    echo
    echo "| route | mode | target req/s | achieved req/s | vs /hello | p50 ms | p90 ms | p99 ms | max ms | requests | errors / non-2xx |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for mode in closed paced one-connection; do
        for r in "${ROUTES[@]}"; do
            read -r l m p <<<"$r"
            case $mode in
                closed) line="${SAT[$l]}"; target="max, $CONNS conns"; vs="$(ratio "$(field "$line" rps)" "$HELLO_RPS")" ;;
                paced) line="${PACED[$l]}"; target="$HALF"; vs="—" ;;
                *) line="${SINGLE[$l]}"; target="max, 1 conn"; vs="—" ;;
            esac
            printf '| %s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
                "$m" "$p" "$mode" "$target" "$(field "$line" rps)" "$vs" "$(field "$line" p50_ms)" \
                "$(field "$line" p90_ms)" "$(field "$line" p99_ms)" "$(field "$line" max_ms)" \
                "$(field "$line" requests)" "$(errors "$line")"
        done
    done
    echo
    echo "Raw wrk result lines:"
    echo
    echo '```'
    for l in hello assess interview; do echo "${SAT[$l]}"; done
    for l in hello assess interview; do echo "${PACED[$l]}"; done
    for l in hello assess interview; do echo "${SINGLE[$l]}"; done
    echo '```'
    echo
    echo "Targets:"
    echo
    "$BIN/python" - "$HELLO_RPS" "$HALF" "$CONNS" "${SAT[assess]}" "${PACED[assess]}" "${SAT[interview]}" "${PACED[interview]}" <<'PY'
import sys
def parse(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:])
hello, half, conns = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
for name, sat, paced in (("/api/v1/assess", sys.argv[4], sys.argv[5]),
                         ("/api/v1/interview/next", sys.argv[6], sys.argv[7])):
    sat, paced = parse(sat), parse(paced)
    share = float(sat["rps"]) / hello
    print(f"- {name} throughput {float(sat['rps']):.1f} req/s = {share:.1%} of /hello "
          f"({hello:.1f} req/s): {'MET' if share >= 0.25 else 'NOT MET'} "
          f"(contracts.md section 4: >= 25%).")
    print(f"- {name} latency at a fixed concurrency ({conns} connections, closed loop): "
          f"p50 {float(sat['p50_ms']):.1f} ms, p99 {float(sat['p99_ms']):.1f} ms (reported).")
    got, p99 = float(paced["rps"]), float(paced["p99_ms"])
    if got < 0.95 * half:
        verdict = (f"not met: the route could not sustain {half:.1f} req/s (achieved {got:.1f}), "
                   f"so its p99 ({p99:.1f} ms) is queueing under overload")
    else:
        verdict = f"{'met' if p99 <= 20 else 'not met'}: p99 {p99:.1f} ms at {got:.1f} req/s"
    print(f"- {name} p99 at half the /hello rate ({half:.1f} req/s), the issue's older target "
          f"(<= 20 ms; contracts.md section 4 replaces it with the two above): {verdict}.")
PY
} | tee "${OUT:-/dev/null}"
