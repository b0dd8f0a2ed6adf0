#!/usr/bin/env bash
# Start the llama-server that scripts/llama/build.sh built, on 127.0.0.1:$PORT (default 8080), in the
# background with 4 parallel slots; wait until /health answers and print its PID (stop it with `kill <PID>`).
#
#   PORT=18080 bash scripts/llama/serve.sh [more llama-server flags]
#
# Reads $LLAMA_PEER as build.sh does; the server's log is $LLAMA_PEER/server.log.
set -euo pipefail
D=${LLAMA_PEER:-$(dirname "$(mktemp -u)")/llama-peer}
PORT=${PORT:-8080}
"$D/llama.cpp/build/bin/llama-server" -m "$D/tiny.gguf" --host 127.0.0.1 --port "$PORT" -np 4 "$@" >"$D/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health" | grep -q '"ok"' && { echo "$pid"; exit 0; }
  kill -0 "$pid" 2>/dev/null || { tail -5 "$D/server.log" >&2; exit 1; }
  sleep 0.5
done
kill "$pid"; exit 1
