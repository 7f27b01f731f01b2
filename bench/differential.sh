#!/usr/bin/env bash
# The differential test of serve's rebuilds (tests/it/differential.rs) at length: many generated
# sites and edit sequences, from several seeds, each edit compared with a clean build.
#
#   bench/differential.sh                 # 500 cases from each of seeds 1, 2 and 3
#   bench/differential.sh 2000 7 8        # 2,000 cases from seeds 7 and 8
#
# `cargo test` runs the same test on 128 cases from seed 0. A failure prints the smallest site
# and edits found (as files); rerun it with the seed and case count it failed at.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${1:-500}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)

failed=0
for seed in "${seeds[@]}"; do
    echo "seed $seed, $cases cases"
    start=$(date +%s)
    log=$(mktemp)
    if ! BREAKEVEN_DIFF_CASES=$cases BREAKEVEN_DIFF_SEED=$seed \
        CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} \
        cargo test --release --test it differential::generated -- --nocapture >"$log" 2>&1; then
        failed=1
        # The failure message: what differed, then the smallest site and edits.
        sed -n '/Test failed/,/stack backtrace/p' "$log"
    fi
    grep -E '^differential:|^test result' "$log" || true
    rm -f "$log"
    echo "  $(($(date +%s) - start)) s"
done
exit $failed
