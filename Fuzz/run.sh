#!/usr/bin/env bash
# Builds and runs Ponder's libFuzzer targets.
#
#   Fuzz/run.sh TARGET SECONDS     one target: safetensors | config | tokenizer | chat-template | tasks-jsonl
#   Fuzz/run.sh all SECONDS        every target, one after another
#
# PonderModel's sources are built once into a static library instrumented with
# `-sanitize=fuzzer,address` (.fuzz-build/, ignored by git), each target's file is linked
# against it, a corpus is seeded from Tests/Fixtures into a scratch folder (.fuzz-build/corpus/,
# never committed), and libFuzzer runs for SECONDS. A line per target reports executions and
# crashes; crashing inputs are left in .fuzz-build/artifacts/TARGET/RUN/. Leak checking is off
# (FUZZ_DETECT_LEAKS=1 turns it on): Foundation's Data(contentsOf:) on an empty file leaks 4 KiB
# under LeakSanitizer, which stops the tokenizer and JSONL targets at once (see Fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFTC=${SWIFTC:-/opt/swift/usr/bin/swiftc}
[ -x "$SWIFTC" ] || SWIFTC=swiftc
BUILD=.fuzz-build
TARGETS=(safetensors config tokenizer chat-template tasks-jsonl)

usage() { echo "usage: Fuzz/run.sh {${TARGETS[*]// /|}|all} SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
TARGET=$1 SECONDS_PER_TARGET=$2

source_of() {
    case $1 in
        safetensors) echo Fuzz/SafeTensorsHeaderFuzz.swift ;;
        config) echo Fuzz/ModelConfigFuzz.swift ;;
        tokenizer) echo Fuzz/TokenizerFuzz.swift ;;
        chat-template) echo Fuzz/ChatTemplateFuzz.swift ;;
        tasks-jsonl) echo Fuzz/TaskJSONLFuzz.swift ;;
        *) usage ;;
    esac
}

# Seed files from the test fixtures, per target.
seeds_of() {
    case $1 in
        safetensors) find Tests/Fixtures -name '*.safetensors' ;;
        config) find Tests/Fixtures -name 'config.json' -o -name 'generation_config.json' ;;
        tokenizer) find Tests/Fixtures -name 'tokenizer.json' ;;
        chat-template) find Tests/Fixtures -name '*.jinja' ;;
        tasks-jsonl) find Tests/Fixtures -name '*.jsonl' ;;
    esac
}

# build_library MODULE: Sources/MODULE as a static library instrumented for fuzzing, rebuilt
# when a source is newer than it (PonderTasks links against PonderModel's).
build_library() {
    local module=$1
    mkdir -p "$BUILD"
    local lib=$BUILD/lib$module.a
    local newest
    newest=$(find "Sources/$module" Sources/CBLAS -newer "$lib" -type f 2>/dev/null | head -1 || true)
    if [ -f "$lib" ] && [ -z "$newest" ]; then return; fi
    echo "== building $module with -sanitize=fuzzer,address" >&2
    # -I Sources/CBLAS finds CBLAS's module map; -march matches Package.swift's kernel settings.
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -g -module-name "$module" \
        -emit-library -static -emit-module -emit-module-path "$BUILD/$module.swiftmodule" \
        -o "$lib" -I "$BUILD" -I Sources/CBLAS -Xcc -march=x86-64-v3 -j 2 -num-threads 2 \
        $(find "Sources/$module" -name '*.swift')
}

build_target() {
    local name=$1 src
    src=$(source_of "$name")
    local bin=$BUILD/fuzz-$name
    local libs=("$BUILD/libPonderModel.a")
    if [ "$name" = tasks-jsonl ]; then build_library PonderTasks; libs=("$BUILD/libPonderTasks.a" "${libs[@]}"); fi
    if [ -f "$bin" ] && [ "$bin" -nt "$src" ] && [ "$bin" -nt Fuzz/FuzzSupport.swift ] && [ "$bin" -nt "${libs[0]}" ]; then return; fi
    echo "== building $bin" >&2
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -g -I "$BUILD" -I Sources/CBLAS \
        "$src" Fuzz/FuzzSupport.swift "${libs[@]}" -lopenblas -o "$bin" >"$BUILD/build-$name.log" 2>&1 \
        || { cat "$BUILD/build-$name.log" >&2; exit 1; }
}

run_target() {
    local name=$1 seconds=$2
    build_target "$name"
    local corpus=$BUILD/corpus/$name artifacts=$BUILD/artifacts/$name/$(date +%Y%m%d-%H%M%S) log=$BUILD/$name.log
    mkdir -p "$corpus" "$artifacts"
    local i=0
    while IFS= read -r f; do i=$((i + 1)); cp "$f" "$corpus/seed-$i-$(basename "$f")"; done < <(seeds_of "$name")
    echo "== fuzzing $name for ${seconds}s ($i seed files)" >&2
    set +e
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=${FUZZ_DETECT_LEAKS:-0}}
    "$BUILD/fuzz-$name" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -detect_leaks="${FUZZ_DETECT_LEAKS:-0}" -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    local rc=$?
    set -e
    local execs crashes
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    printf '%-14s seconds=%-5s executions=%-10s crash/timeout/oom artifacts=%s exit=%s log=%s\n' \
        "$name" "$seconds" "${execs:-?}" "$crashes" "$rc" "$log"
}

build_library PonderModel
if [ "$TARGET" = all ]; then
    for t in "${TARGETS[@]}"; do run_target "$t" "$SECONDS_PER_TARGET"; done
else
    source_of "$TARGET" >/dev/null
    run_target "$TARGET" "$SECONDS_PER_TARGET"
fi
