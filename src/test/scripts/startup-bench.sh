#!/usr/bin/env bash
# Start-up time and memory of the packaged service, JVM jar and native executable, on this machine.
#
# For each build present it starts the service against a fresh redis-server, measures the time from
# process start to the first successful GET /q/health/ready (on the management port), sends a warm-up workload (sessions and
# memories written, then REQUESTS recall and session reads with ab), and reads VmRSS / VmHWM from
# /proc/<pid>/status. Prints one table at the end.
#
#   ./mvnw package                     # target/quarkus-app/quarkus-run.jar
#   ./mvnw package -Dnative            # target/*-runner (optional)
#   src/test/scripts/startup-bench.sh  [runs per build, default 5]
#
# Environment: BUILDS ("jvm native": which to measure), REQUESTS (1000), CONCURRENCY (8), JAVA (java on PATH), JAVA_OPTS (none: the JVM sizes its
# heap from the machine, as it would from a container's limit), NATIVE_OPTS (none), REDIS_SERVER
# (redis-server on PATH, else the binary bundled in the embedded-redis jar in ~/.m2), LD_LIBRARY_PATH
# (for executables built with a toolchain that links some JDK libraries dynamically).
set -euo pipefail

cd "$(dirname "$0")/../../.."
RUNS=${1:-5}
REQUESTS=${REQUESTS:-1000}
CONCURRENCY=${CONCURRENCY:-8}
BUILDS=${BUILDS:-jvm native}
JAVA=${JAVA:-java}
JAR=target/quarkus-app/quarkus-run.jar
NATIVE=$(ls target/*-runner 2>/dev/null | head -1 || true)
# shellcheck source=bench-common.sh
source src/test/scripts/bench-common.sh

for tool in curl ab; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install curl apache2-utils)" >&2; exit 1; }
done

start_redis

# One run: start, wait for readiness, load, measure, stop. Prints "ready_ms rss_kb hwm_kb reported".
run_once() {
    local kind=$1 port management log pid ready base user
    port=$(free_port)
    management=$(free_port)
    log="$WORK/$kind.log"
    # Without authentication: the workload sends no credentials.
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" OPENAI_API_KEY=none PORT=$port MANAGEMENT_PORT=$management \
        MEMORY_AUTH_ENABLED=false
    start_service "$kind" "$management" "$log"
    pid=$SERVICE_PID
    ready=$READY_MS

    base="http://127.0.0.1:$port/v1/users"
    user="bench-$kind-$RANDOM"
    for i in $(seq 20); do
        curl -fs -o /dev/null -H 'Content-Type: application/json' \
            -d "{\"text\":\"User fact number $i about food, travel and work $RANDOM\"}" "$base/$user/memories"
        curl -fs -o /dev/null -H 'Content-Type: application/json' \
            -d "{\"messages\":[{\"role\":\"user\",\"content\":\"message $i\"}]}" "$base/$user/sessions/s1/messages"
    done
    ab -q -n $((REQUESTS / 2)) -c "$CONCURRENCY" "$base/$user/memories?q=food+travel" >"$WORK/ab1" 2>&1
    ab -q -n $((REQUESTS / 2)) -c "$CONCURRENCY" "$base/$user/sessions/s1" >"$WORK/ab2" 2>&1
    if grep -q "^Non-2xx" "$WORK/ab1" "$WORK/ab2"; then
        echo "the $kind service answered errors under load" >&2
        exit 1
    fi

    local rss hwm reported
    rss=$(rss_kb "$pid")
    hwm=$(hwm_kb "$pid")
    reported=$(grep -o 'started in [0-9.]*s' "$log" | grep -o '[0-9.]*' | head -1)
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$ready $rss $hwm $reported"
}


select_builds

declare -A RESULTS
for kind in "${KINDS[@]}"; do
    for run in $(seq "$RUNS"); do
        RESULTS[$kind]+="$(run_once "$kind")"$'\n'
        echo "$kind run $run: $(echo "${RESULTS[$kind]}" | sed '/^$/d' | tail -1)" >&2
    done
done

echo
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $RUNS runs each (medians), $REQUESTS requests at concurrency $CONCURRENCY"
printf '| %-8s | %-16s | %-18s | %-16s | %-14s | %-10s |\n' build "ready (ms)" "reported start (s)" "RSS after (MB)" "peak RSS (MB)" size
printf '| %-8s | %-16s | %-18s | %-16s | %-14s | %-10s |\n' --- --- --- --- --- ---
for kind in "${KINDS[@]}"; do
    rows=$(echo "${RESULTS[$kind]}" | sed '/^$/d')
    ready=$(echo "$rows" | awk '{print $1}' | median)
    rss=$(echo "$rows" | awk '{print $2}' | median)
    hwm=$(echo "$rows" | awk '{print $3}' | median)
    reported=$(echo "$rows" | awk '{print $4}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    if [ "$kind" = jvm ]; then size=$(du -sm target/quarkus-app | cut -f1); else size=$(( $(stat -c %s "$NATIVE") / 1048576 )); fi
    printf '| %-8s | %-16s | %-18s | %-16s | %-14s | %-10s |\n' "$kind" "$ready" "$reported" \
        "$((rss / 1024))" "$((hwm / 1024))" "${size} MB"
done
