#!/usr/bin/env bash
# A Redis Cluster on loopback for the tests: 3 masters with one replica each, from the redis-server on the PATH
# (Debian's package). Not persisted (a node killed and started again comes back empty and resyncs from its
# master); a short node timeout, so that a killed master is replaced within seconds.
#
#   src/test/scripts/redis-cluster.sh start DIR [BASE_PORT]   # ports BASE_PORT .. BASE_PORT+5 (default 7301)
#   src/test/scripts/redis-cluster.sh stop DIR
#
# start prints the value for REDIS_CLUSTER_HOSTS (see RedisTestResource), e.g.
#   REDIS_CLUSTER_HOSTS=$(src/test/scripts/redis-cluster.sh start /tmp/cluster) ./mvnw verify
# REDIS_SERVER and REDIS_CLI choose other binaries (valkey-server, valkey-cli).
set -euo pipefail

action=${1:?start or stop}
dir=${2:?directory for the nodes}
base=${3:-7301}
server=${REDIS_SERVER:-redis-server}
cli=${REDIS_CLI:-redis-cli}
nodes=6

wait_for() { # up to 30 s for a command to succeed
    for _ in $(seq 300); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for: $*" >&2
    return 1
}

cluster_ready() { # every node sees a healthy cluster of 3 masters and 3 replicas, each master with its replica
    for port in $(seq "$base" $((base + nodes - 1))); do
        "$cli" -p "$port" cluster info | grep -q '^cluster_state:ok' || return 1
        [ "$("$cli" -p "$port" cluster nodes | grep -c slave)" -eq $((nodes / 2)) ] || return 1
        if "$cli" -p "$port" role | head -1 | grep -q master; then
            "$cli" -p "$port" info replication | grep -q '^connected_slaves:1' || return 1
        fi
    done
}

case "$action" in
start)
    mkdir -p "$dir"
    addresses=()
    for port in $(seq "$base" $((base + nodes - 1))); do
        mkdir -p "$dir/$port"
        (cd "$dir/$port" && "$server" --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
            --cluster-config-file nodes.conf --cluster-node-timeout 2000 --save '' --appendonly no \
            --daemonize yes --pidfile "$dir/$port/server.pid" --logfile "$dir/$port/server.log")
        addresses+=("127.0.0.1:$port")
    done
    for port in $(seq "$base" $((base + nodes - 1))); do
        wait_for "$cli" -p "$port" ping
    done
    "$cli" --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1
    wait_for cluster_ready
    hosts=""
    for port in $(seq "$base" $((base + nodes - 1))); do
        hosts="${hosts:+$hosts,}redis://127.0.0.1:$port"
    done
    echo "$hosts"
    ;;
stop)
    # Only the processes this script started, by the ids they wrote.
    for pidfile in "$dir"/*/server.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
    done
    ;;
*)
    echo "usage: $0 start|stop DIR [BASE_PORT]" >&2
    exit 2
    ;;
esac
