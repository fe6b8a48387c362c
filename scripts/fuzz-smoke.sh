#!/usr/bin/env bash
# Fuzz smoke test: builds every cargo-fuzz target in fuzz/, replays the saved
# regression inputs (fuzz/regressions/<target>/), then fuzzes each target for
# a bounded time from a seed corpus made of ORCID's upstream samples
# (schemas/cache/**/samples/**), the real record pair
# (../shared/orcid-real/, v2.1 and v3.0) and generated hostile inputs (deep, wide,
# characters XML cannot carry; fuzz/examples/seed_corpus.rs). Exits non-zero if any target crashes, panics,
# times out or runs out of memory.
#
# Runs on the stable toolchain: the targets are built with
# `--sanitizer none` (orcid-model has no unsafe code, so AddressSanitizer,
# which needs nightly, adds little), in cargo-fuzz's default profile
# (release + debug assertions + overflow checks).
#
# Environment:
#   FUZZ_SECONDS     seconds of fuzzing per target (default 20: five targets
#                    fuzz for 100 s, so the smoke stays near 3 minutes on 2
#                    cores once the targets are built)
#   FUZZ_TARGETS     space-separated targets (default: all, `cargo fuzz list`)
#   FUZZ_SANITIZER   cargo-fuzz sanitizer (default none; `address` needs
#                    nightly, or RUSTC_BOOTSTRAP=1 on stable)
#   ORCID_REAL_DIR   real record samples (default ../shared/orcid-real)
#   FUZZ_RSS_MB      libFuzzer -rss_limit_mb (default 4096)
#   FUZZ_TIMEOUT     libFuzzer -timeout per input, seconds (default 10)
#   FUZZ_KEEP_CORPUS 1 keeps what earlier runs added to fuzz/corpus/<target>/
#                    (default: start from the seeds only, so the time stays
#                    bounded: libFuzzer replays the whole corpus before its
#                    -max_total_time clock applies)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${FUZZ_SECONDS:-20}"
sanitizer="${FUZZ_SANITIZER:-none}"
real_dir="${ORCID_REAL_DIR:-$root/../shared/orcid-real}"
rss_mb="${FUZZ_RSS_MB:-4096}"
timeout_s="${FUZZ_TIMEOUT:-10}"

log() { printf 'fuzz-smoke: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

start=$(date +%s)

# 1. cargo-fuzz itself.
if ! cargo fuzz --version >/dev/null 2>&1; then
    log "cargo-fuzz missing: cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked || die "could not install cargo-fuzz"
fi
log "$(cargo fuzz --version)"

# 2. Build every target.
log "building fuzz targets (sanitizer: $sanitizer)"
cargo fuzz build --sanitizer "$sanitizer" || die "cargo fuzz build failed"

if [ -n "${FUZZ_TARGETS:-}" ]; then
    read -r -a targets <<<"$FUZZ_TARGETS"
else
    mapfile -t targets < <(cargo fuzz list)
fi
[ "${#targets[@]}" -gt 0 ] || die "no fuzz targets"

triple="$(rustc -vV | sed -n 's/^host: //p')"
bin_dir="$root/fuzz/target/$triple/release"

# 3. Seed corpora (fuzz/corpus/ is git-ignored; seeds are never committed).
if [ "${FUZZ_KEEP_CORPUS:-0}" != 1 ]; then
    for t in "${targets[@]}"; do rm -rf "fuzz/corpus/$t"; done
fi
sources=()
if ! compgen -G "schemas/cache/*/samples" >/dev/null; then
    log "schemas/cache has no samples: cargo xtask sync-schemas"
    cargo xtask sync-schemas || log "warning: sync-schemas failed; fuzzing without upstream samples"
fi
for d in schemas/cache/*/samples; do
    [ -d "$d" ] && sources+=("$d")
done
if [ -d "$real_dir" ]; then
    sources+=("$real_dir")
else
    log "warning: $real_dir not found; fuzzing without the real records"
fi
if [ "${#sources[@]}" -gt 0 ]; then
    cargo run --quiet --manifest-path fuzz/Cargo.toml --example seed_corpus -- \
        fuzz/corpus "${sources[@]}" || die "seed_corpus failed"
else
    log "warning: no seed samples at all"
fi
# Checked-in seeds of targets that take other inputs (fuzz/seeds/<target>/).
for t in "${targets[@]}"; do
    if [ -d "fuzz/seeds/$t" ]; then
        mkdir -p "fuzz/corpus/$t" && cp fuzz/seeds/"$t"/* "fuzz/corpus/$t/"
    fi
done

# 4. Replay regressions, then fuzz each target for a bounded time.
failed=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    regs=()
    if [ -d "fuzz/regressions/$t" ]; then
        while IFS= read -r -d '' f; do regs+=("$f"); done \
            < <(find "fuzz/regressions/$t" -type f ! -name '*.md' -print0 | sort -z)
    fi
    for f in "${regs[@]}"; do
        rlog="fuzz/target/smoke-$t-regression-$(basename "$f").log"
        if "$bin_dir/$t" -runs=1 "$f" >"$rlog" 2>&1; then
            log "$t: regression $f passes"
        else
            log "$t: REGRESSION FAILS: $f (log: $rlog)"
            grep -m1 -A1 'panicked at' "$rlog" >&2 || tail -n 20 "$rlog" >&2
            failed+=("$t (regression $(basename "$f"))")
        fi
    done

    log "$t: fuzzing for ${seconds}s"
    t0=$(date +%s)
    if cargo fuzz run --sanitizer "$sanitizer" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout="$timeout_s" \
        -print_final_stats=1 >"fuzz/target/smoke-$t.log" 2>&1; then
        log "$t: ok ($(( $(date +%s) - t0 ))s; $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/target/smoke-$t.log" | grep -o '[0-9]*$') runs)"
    else
        log "$t: CRASH (log: fuzz/target/smoke-$t.log)"
        grep -m1 -A2 'panicked at' "fuzz/target/smoke-$t.log" >&2 || tail -n 30 "fuzz/target/smoke-$t.log" >&2
        sed -n '/Reproduce with:/,/^$/p;/Failing input:/,/^$/p' "fuzz/target/smoke-$t.log" | grep -v '^$' >&2
        failed+=("$t")
    fi
done

log "done in $(( $(date +%s) - start ))s"
if [ "${#failed[@]}" -gt 0 ]; then
    log "FAILED: ${failed[*]}"
    exit 1
fi
log "all targets passed: ${targets[*]}"
