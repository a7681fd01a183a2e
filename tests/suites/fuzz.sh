#!/bin/bash
# default: yes
# tests/suites/fuzz.sh: the libFuzzer target for the config parser (tests/fuzz/fuzz-spec.c) under
# ASan + UBSan, FUZZ_SECONDS (default 60) over the seed corpus of the valid and invalid fixtures
# (tests/unit/data/spec).  Installs Debian's clang (and libclang-rt-*-dev, which holds libFuzzer)
# when `clang -fsanitize=fuzzer` cannot link.  One test: any crash, leak, UBSan report or timeout
# fails it; the reproducer is printed (base64) and kept in $FUZZ_KEEP if that is set.
# Output: libFuzzer's log, then "1 passed, 0 failed" or "0 passed, 1 failed".
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
secs=${FUZZ_SECONDS:-60}

result() { echo "$1 passed, $2 failed"; [ "$2" -eq 0 ]; exit $?; }

T=$(mktemp -d /tmp/hull-fuzz.XXXXXX) || result 0 1
trap 'rm -rf "$T"' EXIT

fuzzer_links() {
	command -v clang >/dev/null || return 1
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$T/probe.c"
	clang -fsanitize=fuzzer,address,undefined "$T/probe.c" -o "$T/probe" 2>"$T/probe.err"
}
if ! fuzzer_links; then
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz: clang with libFuzzer is missing (apt-get install clang libclang-rt-dev)" >&2
		result 0 1
	fi
	apt=(apt-get -o DPkg::Lock::Timeout=600 -q)
	pkgs=(clang)
	# Debian 12's clang 14 keeps libFuzzer and the sanitizer runtimes in libclang-rt-14-dev
	v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
	[ -n "$v" ] && pkgs+=("libclang-rt-$v-dev")
	echo "fuzz: installing ${pkgs[*]}" >&2
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${pkgs[@]}" >&2 ||
		{ DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >&2 &&
			DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${pkgs[@]}" >&2; }
	if ! fuzzer_links; then
		v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
		DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "libclang-rt-$v-dev" >&2
	fi
	fuzzer_links || { cat "$T/probe.err" >&2; echo "fuzz: clang -fsanitize=fuzzer does not link" >&2; result 0 1; }
fi

# leaks are errors (LeakSanitizer is on by default under ASan; say so), and so is any UBSan report
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
FUZZ_OUT="$T" sh "$SRC/tests/fuzz/build.sh" "$secs" >"$T/log" 2>&1
rc=$?
# the interesting part of libFuzzer's log: the start, any report, the summary
grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$T/log" | tail -n 60
crashes=$(find "$T/artifacts" -type f 2>/dev/null)
if [ "$rc" -ne 0 ] || [ -n "$crashes" ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$T/log"; then
	echo "fuzz: FAILED (status $rc)" >&2
	for c in $crashes; do
		echo "reproducer ${c##*/} (base64):"
		base64 -w 0 "$c"
		echo
		[ -n "${FUZZ_KEEP:-}" ] && mkdir -p "$FUZZ_KEEP" && cp "$c" "$FUZZ_KEEP/"
	done
	result 0 1
fi
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$T/log")
echo "fuzz: ${runs:-?} runs in ${secs} s, no crash, leak or UBSan report"
result 1 0
