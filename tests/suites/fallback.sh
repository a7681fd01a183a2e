#!/bin/bash
# tests/suites/fallback.sh: rerun the integration suite with hull under tests/helpers/enosys, so that
# openat2, clone3, mount_setattr, open_tree, move_mount, the fsopen family and close_range fail
# (crun's no_openat2 idea, security.md §5 test 31 and the "Proof" of issue 4): once with ENOSYS (an
# old kernel) and once with EPERM (what seccomp-restricted engines return).  Every fallback path must
# work, or fail closed.  Not a default suite (it runs the whole suite twice): `tests/run.sh fallback`.
#
# security.bats is left out by default: its tests copy and ldd the hull binary (here a wrapper
# script), and its own tests [31: ...] already run the P0 cases under enosys with both errnos.
#
# Environment: HULL_BINARY (default <repo>/build/src/hull), HULL_ENOSYS (default: enosys next to
#   hull's build dir), FALLBACK_ERRNO (a list, default "ENOSYS EPERM"), FALLBACK_SYSCALLS (comma
#   list for enosys -s), FALLBACK_FILES (bats files under tests/integration, default all but
#   security), BATS_FILTER.
# Output: the TAP stream of each pass, then "N passed, N failed, N skipped" over both.
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
hull=${HULL_BINARY:-$SRC/build/src/hull}
case "$hull" in /*) ;; *) hull="$PWD/$hull" ;; esac
enosys=${HULL_ENOSYS:-$(dirname "$(dirname "$hull")")/tests/helpers/enosys}
if [ ! -x "$hull" ] || [ ! -x "$enosys" ]; then
	echo "fallback: need $hull and $enosys (build with ninja; tests/run.sh fallback does)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d /tmp/hull-fallback.XXXXXX) || exit 1
trap 'rm -rf --one-file-system "$T"' EXIT
# the wrapper sits in a directory of the same shape as a build dir (src/hull, tests/helpers/...), so
# the bats helpers find recvtty and hull-payload next to it
mkdir -p "$T/build/src" "$T/build/tests"
ln -s "$(dirname "$(dirname "$hull")")/tests/helpers" "$T/build/tests/helpers"
sc=()
[ -n "${FALLBACK_SYSCALLS:-}" ] && sc=(-s "$FALLBACK_SYSCALLS")
export HULL_BINARY="$T/build/src/hull"
export HULL_PAYLOAD=${HULL_PAYLOAD:-$(dirname "$(dirname "$hull")")/tests/helpers/hull-payload}
export HULL_RECVTTY=${HULL_RECVTTY:-$(dirname "$(dirname "$hull")")/tests/helpers/recvtty}
export HULL_ENOSYS="$enosys"

files=()
if [ -n "${FALLBACK_FILES:-}" ]; then
	for f in $FALLBACK_FILES; do files+=("$SRC/tests/integration/${f%.bats}.bats"); done
else
	for f in "$SRC"/tests/integration/*.bats; do
		[ "${f##*/}" = security.bats ] || files+=("$f")
	done
fi
args=(--tap)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
p=0 f=0 s=0
for errno in ${FALLBACK_ERRNO:-ENOSYS EPERM}; do
	{
		echo '#!/bin/sh'
		printf 'exec %q -e %q' "$enosys" "$errno"
		[ ${#sc[@]} -gt 0 ] && printf ' -s %q' "$FALLBACK_SYSCALLS"
		printf ' -- %q "$@"\n' "$hull"
	} >"$T/build/src/hull"
	chmod 0755 "$T/build/src/hull" "$T"
	echo "# hull under: $(tail -1 "$HULL_BINARY")"
	rc=1 pf=$f
	while IFS= read -r line; do
		case "$line" in
		"bats-exit-status "*) rc=${line#bats-exit-status }; continue ;;
		esac
		case "$line" in
		"not ok "*) f=$((f + 1)) line="not ok ($errno) ${line#not ok }" ;;
		"ok "*"# skip"*) s=$((s + 1)) line="ok ($errno) ${line#ok }" ;;
		"ok "*) p=$((p + 1)) line="ok ($errno) ${line#ok }" ;;
		esac
		printf '%s\n' "$line"
	done < <(bats "${args[@]}" "${files[@]}" 2>&1 3>&-; echo "bats-exit-status $?")
	[ "$rc" -ne 0 ] && [ "$f" -eq "$pf" ] && f=$((f + 1))
done
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
