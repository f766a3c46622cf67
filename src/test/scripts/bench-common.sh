# Shared by startup-bench.sh and embedding-bench.sh (sourced, not run): a scratch directory and the processes to
# stop on exit, a free port, a redis-server, the service started and timed to readiness by a probe that costs it
# nothing, the builds to measure, memory figures and medians.

WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# REDIS_SERVER, else redis-server on PATH, else the binary bundled in the embedded-redis jar in ~/.m2.
redis_binary() {
    if [ -n "${REDIS_SERVER:-}" ]; then
        echo "$REDIS_SERVER"
    elif command -v redis-server >/dev/null; then
        command -v redis-server
    else
        local jar
        jar=$(ls ~/.m2/repository/com/github/codemonstur/embedded-redis/*/embedded-redis-*.jar | tail -1)
        unzip -o -q "$jar" redis-server-6.2.6-v5-linux-amd64 -d "$WORK"
        chmod +x "$WORK/redis-server-6.2.6-v5-linux-amd64"
        echo "$WORK/redis-server-6.2.6-v5-linux-amd64"
    fi
}

# Starts a redis-server on a free port (REDIS_PORT) and waits until it accepts connections.
start_redis() {
    local redis
    redis=$(redis_binary)
    REDIS_PORT=$(free_port)
    "$redis" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
        sleep 0.05
    done
}

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# Polls GET /q/health/ready every millisecond until it answers 200, with bash built-ins only: a loop of curl
# processes would take a core from the service it is timing. Fails when the process has exited.
exec {PAUSE_FD}<> <(:)
wait_ready() {
    local port=$1 pid=$2 status
    while kill -0 "$pid" 2>/dev/null; do
        if exec {http}<>"/dev/tcp/127.0.0.1/$port"; then
            printf 'GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&"$http"
            IFS= read -r status <&"$http" || status=
            exec {http}>&-
            [[ $status == "HTTP/1.1 200"* ]] && return 0
        fi 2>/dev/null
        read -r -t 0.001 -u "$PAUSE_FD" _ || true
    done
    return 1
}

# Starts the service (jvm: $JAVA -jar $JAR; native: $NATIVE) with the environment the caller exported, logging to
# $3, and waits until its management port $2 reports ready; sets SERVICE_PID and READY_MS (process start to the
# first ready answer). Exits with the service's log when it stops first.
start_service() {
    local kind=$1 management=$2 log=$3 start
    start=$(now_ms)
    if [ "$kind" = jvm ]; then
        # shellcheck disable=SC2086
        "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" >"$log" 2>&1 &
    else
        # shellcheck disable=SC2086
        "$NATIVE" ${NATIVE_OPTS:-} >"$log" 2>&1 &
    fi
    SERVICE_PID=$!
    PIDS+=("$SERVICE_PID")
    if ! wait_ready "$management" "$SERVICE_PID"; then
        echo "the $kind service exited; its log:" >&2
        cat "$log" >&2
        exit 1
    fi
    READY_MS=$(( $(now_ms) - start ))
}

# The builds named in BUILDS ("jvm native") that exist (JAR, NATIVE), into KINDS; stops the script when none does.
select_builds() {
    KINDS=()
    [[ " $BUILDS " == *" jvm "* ]] && [ -f "$JAR" ] && KINDS+=(jvm)
    [[ " $BUILDS " == *" native "* ]] && [ -n "$NATIVE" ] && [ -x "$NATIVE" ] && KINDS+=(native)
    [ ${#KINDS[@]} -gt 0 ] || { echo "nothing to measure: run ./mvnw package [-Dnative] first" >&2; exit 1; }
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# The median of the numbers on standard input, one per line ("-" when there are none).
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
