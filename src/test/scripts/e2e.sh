#!/usr/bin/env bash
# End-to-end checks against the packaged application (target/quarkus-app/quarkus-run.jar, from ./mvnw package):
# starts a redis-server on a free loopback port and the service with the built-in stub model, API-key
# authentication and the console on; waits until it is ready; runs the console's browser test (headless
# Chromium), the Python client example and the TypeScript client example against it; stops everything.
# Prints one line per check and exits non-zero when one failed.
#
# Needs java 17+, redis-server, python3, node 18+ and chromium (/usr/bin/chromium, or CHROMIUM), with
# `npm ci` done in src/test/console. The service log: target/e2e/service.log; the console screenshot: target/console.png.
#
#   src/test/scripts/e2e.sh          run the checks
#   src/test/scripts/e2e.sh serve    only start Redis and the service, print the console's address and API key,
#                                    and keep them running until Ctrl-C
set -euo pipefail
cd "$(dirname "$0")/../../.."

jar=target/quarkus-app/quarkus-run.jar
out=target/e2e
if [ ! -f "$jar" ]; then
    echo "No $jar: build it first with ./mvnw package -DskipTests" >&2
    exit 2
fi
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/agent-memory-e2e.XXXXXX")

free_port() {
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

redis_pid=""
service_pid=""
stop() {
    if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true; fi
    if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap stop EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
    --logfile "$work/redis.log" &
redis_pid=$!

port=$(free_port)
management_port=$(free_port)
api_key="e2e-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export AGENT_MEMORY_URL="http://127.0.0.1:$port"
export AGENT_MEMORY_API_KEY="$api_key"

started=$SECONDS
PORT=$port MANAGEMENT_PORT=$management_port REDIS_URL="redis://127.0.0.1:$redis_port" \
    MEMORY_AUTH_API_KEY_SHA256=$(printf %s "$api_key" | sha256sum | cut -d' ' -f1) \
    MEMORY_CONSOLE_ENABLED=true MEMORY_LLM_STUB=true OPENAI_BASE_URL="$AGENT_MEMORY_URL/stub-llm/v1/" \
    java -jar "$jar" >"$out/service.log" 2>&1 &
service_pid=$!

ready="http://127.0.0.1:$management_port/q/health/ready"
until node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$ready"; do
    if ! kill -0 "$service_pid" 2>/dev/null; then
        echo "The service exited; its log:" >&2
        tail -40 "$out/service.log" >&2
        exit 1
    fi
    if [ $((SECONDS - started)) -gt 120 ]; then
        echo "The service was not ready within 120 s; see $out/service.log" >&2
        exit 1
    fi
    sleep 0.5
done
echo "service ready in $((SECONDS - started)) s at $AGENT_MEMORY_URL (Redis on port $redis_port)"

if [ "${1:-}" = serve ]; then
    echo "console: $AGENT_MEMORY_URL/console/   API key: $api_key   (Ctrl-C stops)"
    wait "$service_pid"
    exit
fi

failed=0
results=()
check() {
    local name=$1
    shift
    local from=$SECONDS
    echo "=== $name: $*"
    if "$@"; then
        results+=("$name: passed in $((SECONDS - from)) s")
    else
        results+=("$name: FAILED in $((SECONDS - from)) s")
        failed=1
    fi
}

check console node src/test/console/console.test.mjs target/console.png
check python python3 examples/python/agent_memory.py
check typescript node examples/typescript/agent-memory.mjs

if [ "$failed" -ne 0 ]; then
    echo "--- the service's log, last lines ($out/service.log):"
    tail -30 "$out/service.log"
fi
echo
printf '%s\n' "${results[@]}"
exit "$failed"
