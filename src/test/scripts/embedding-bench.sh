#!/usr/bin/env bash
# What the in-process embedding model costs the packaged service, JVM jar and native executable: ready time, RSS
# once ready, how long the model takes to load in the background, and RSS after the first recall with the model
# loaded; for each embedding provider in PROVIDERS.
#
# For each build and provider it starts the service against a fresh redis-server, measures the time from process
# start to the first successful GET /q/health/ready (management port) and reads VmRSS; then (in-process only) waits
# for the log line "Embedding model ... ready in N ms", stores one memory, recalls with a query and reads VmRSS and
# VmHWM again. Prints one table of medians at the end.
#
#   ./mvnw package                        # target/quarkus-app/quarkus-run.jar
#   ./mvnw package -Dnative               # target/*-runner (optional)
#   src/test/scripts/embedding-bench.sh   [runs per build and provider, default 5]
#
# Environment: BUILDS ("jvm native"), NATIVE (the executable, default target/*-runner), PROVIDERS ("none in-process"), JAVA (java on PATH), JAVA_OPTS, NATIVE_OPTS,
# REDIS_SERVER (redis-server on PATH), LD_LIBRARY_PATH (for executables that link some JDK libraries dynamically).
set -euo pipefail

cd "$(dirname "$0")/../../.."
RUNS=${1:-5}
BUILDS=${BUILDS:-jvm native}
PROVIDERS=${PROVIDERS:-none in-process}
JAVA=${JAVA:-java}
JAR=target/quarkus-app/quarkus-run.jar
NATIVE=${NATIVE:-$(ls target/*-runner 2>/dev/null | head -1 || true)}
# shellcheck source=bench-common.sh
source src/test/scripts/bench-common.sh
start_redis


# One run. Prints "ready_ms rss_ready_kb load_ms recall_ms rss_recall_kb hwm_kb" ("-" where not applicable).
run_once() {
    local kind=$1 provider=$2 port management log pid ready rss_ready load="-" recall_ms rss hwm base user t0
    port=$(free_port)
    management=$(free_port)
    log="$WORK/$kind-$provider.log"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" OPENAI_API_KEY=none PORT=$port MANAGEMENT_PORT=$management \
        MEMORY_AUTH_ENABLED=false MEMORY_EMBEDDING_PROVIDER=$provider
    start_service "$kind" "$management" "$log"
    pid=$SERVICE_PID
    ready=$READY_MS
    rss_ready=$(rss_kb "$pid")

    if [ "$provider" = in-process ]; then
        for _ in $(seq 600); do
            grep -q "Embedding model .* ready in\|could not be loaded" "$log" && break
            sleep 0.1
        done
        if ! grep -q "Embedding model .* ready in" "$log"; then
            echo "the $kind service did not load the model; its log:" >&2
            cat "$log" >&2
            exit 1
        fi
        load=$(grep -o 'ready in [0-9]* ms' "$log" | grep -o '[0-9]*' | head -1)
    fi

    base="http://127.0.0.1:$port/v1/users"
    user="bench-$kind-$RANDOM"
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
        -d '{"text":"Caroline works as a nurse at the city hospital"}' "$base/$user/memories"
    t0=$(now_ms)
    curl -fs -o "$WORK/recall.json" "$base/$user/memories?q=What+does+she+do+for+a+living%3F"
    recall_ms=$(( $(now_ms) - t0 ))
    if [ "$provider" = in-process ] && ! grep -q nurse "$WORK/recall.json"; then
        echo "the $kind service did not recall by meaning: $(cat "$WORK/recall.json")" >&2
        exit 1
    fi
    rss=$(rss_kb "$pid")
    hwm=$(hwm_kb "$pid")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$ready $rss_ready $load $recall_ms $rss $hwm"
}


select_builds

declare -A RESULTS
for run in $(seq "$RUNS"); do
    # Alternating builds and providers, so that a slow phase of a shared machine does not fall on one of them.
    for kind in "${KINDS[@]}"; do
        for provider in $PROVIDERS; do
            RESULTS[$kind/$provider]+="$(run_once "$kind" "$provider")"$'\n'
            echo "$kind $provider run $run: $(echo "${RESULTS[$kind/$provider]}" | sed '/^$/d' | tail -1)" >&2
        done
    done
done

col() { echo "$1" | awk -v c="$2" '$c != "-" {print $c}' | median; }
echo
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $RUNS runs each (medians)"
printf '| %-6s | %-10s | %-10s | %-15s | %-15s | %-16s | %-22s | %-14s | %-8s |\n' build provider "ready (ms)" \
    "RSS ready (MB)" "model load (ms)" "1st recall (ms)" "RSS after recall (MB)" "peak RSS (MB)" size
printf '| %-6s | %-10s | %-10s | %-15s | %-15s | %-16s | %-22s | %-14s | %-8s |\n' --- --- --- --- --- --- --- --- ---
for kind in "${KINDS[@]}"; do
    if [ "$kind" = jvm ]; then size="$(du -sm target/quarkus-app | cut -f1) MB"; else size="$(( $(stat -c %s "$NATIVE") / 1048576 )) MB"; fi
    for provider in $PROVIDERS; do
        rows=$(echo "${RESULTS[$kind/$provider]}" | sed '/^$/d')
        printf '| %-6s | %-10s | %-10s | %-15s | %-15s | %-16s | %-22s | %-14s | %-8s |\n' "$kind" "$provider" \
            "$(col "$rows" 1)" "$(( $(col "$rows" 2) / 1024 ))" "$(col "$rows" 3)" "$(col "$rows" 4)" \
            "$(( $(col "$rows" 5) / 1024 ))" "$(( $(col "$rows" 6) / 1024 ))" "$size"
    done
done
