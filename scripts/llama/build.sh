#!/usr/bin/env bash
# Build a real llama.cpp `llama-server` and a tiny random-weight model for the benchmarks, once.
#
#   bash scripts/llama/build.sh
#
# Everything goes into $LLAMA_PEER (default: llama-peer in the system's temporary folder). The server's source
# is the llama.cpp git bundle (tag v0.4.0) that the npm package node-llama-cpp 3.21.1 ships, fetched with
# `npm pack`. Needs git, cmake, a C++ compiler, python3 with numpy, and flock. About 7 minutes on 2 cores;
# run again, it returns at once when both the server and the model are there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
D=${LLAMA_PEER:-$(dirname "$(mktemp -u)")/llama-peer}
mkdir -p "$D"
exec 9>"$D.lock"; flock 9   # one build at a time (two at once leave truncated libraries)
"$D/llama.cpp/build/bin/llama-server" --version >/dev/null 2>&1 && [ -s "$D/tiny.gguf" ] && exit 0
cd "$D"
[ -f node-llama-cpp-3.21.1.tgz ] || npm pack node-llama-cpp@3.21.1 >/dev/null 2>&1
[ -d package ] || tar xzf node-llama-cpp-3.21.1.tgz
[ -d llama.cpp ] || git clone -q package/llama/gitRelease.bundle llama.cpp
cmake -S llama.cpp -B llama.cpp/build -DLLAMA_CURL=OFF -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=ON -DCMAKE_BUILD_TYPE=Release >cmake.log 2>&1
cmake --build llama.cpp/build --target llama-server -j"$(nproc)" >build.log 2>&1
# The model: llama.cpp's own vocabulary, random weights (see make_tiny_model.py).
PYTHONPATH=llama.cpp/gguf-py python3 "$here/make_tiny_model.py" --vocab llama.cpp/models/ggml-vocab-llama-spm.gguf \
  --out tiny.gguf --n-embd 256 --n-layer 4 --n-head 4 --n-ff 512 --dtype f16 >model.log 2>&1
echo "built $D/llama.cpp/build/bin/llama-server and $D/tiny.gguf"
