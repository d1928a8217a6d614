#!/bin/sh
# Runs fuzz target TARGET for SECONDS (default 20) on this machine's stable toolchain:
# builds it (cargo fuzz, without sanitizers, which stable Rust cannot build), writes the seed
# corpora from ../shared/corpus when they are missing, and runs libFuzzer with the opcode
# dictionary. A crash or mismatch stops the run and leaves its input in artifacts/TARGET/.
#
#   fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
set -eu
cd "$(dirname "$0")"
target=$1
secs=${2:-20}
shift
[ $# -gt 0 ] && shift
if [ ! -d "corpus/$target" ]; then
    (cd .. && cargo run -q --release -p harness --bin tristate -- fuzz-seeds fuzz/corpus --dict fuzz/bpf.dict) >/dev/null
fi
cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
    -max_total_time="$secs" -dict=bpf.dict -timeout=30 -rss_limit_mb=6144 \
    -max_len=65536 -print_final_stats=1 "$@"
