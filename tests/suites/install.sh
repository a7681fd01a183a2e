#!/bin/bash
# default: yes
# `meson install` with DESTDIR: the binary, the man pages (rendered with go-md2man), the shell
# completions, the static library with its header and pkg-config file; a program links against
# the installed library; the installed hull runs.  Prints `N passed, N failed`.
set -u
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${HULL_BUILD_DIR:-$SRC/build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
DEST=$(mktemp -d /tmp/hull-install.XXXXXX)
trap 'rm -rf --one-file-system "$DEST"' EXIT
pass=0 fail=0
check() { # check NAME CMD…
	local name=$1
	shift
	if "$@" >"$DEST/.out" 2>&1; then
		echo "ok - install [$name]"
		pass=$((pass + 1))
	else
		echo "not ok - install [$name]"
		sed 's/^/#   /' "$DEST/.out"
		fail=$((fail + 1))
	fi
}

command -v go-md2man >/dev/null || { apt-get -qq install -y go-md2man >/dev/null 2>&1 || true; }
meson configure "$BUILD" -Dman=enabled >/dev/null 2>&1
check "meson install with DESTDIR" env DESTDIR="$DEST/root" meson install -C "$BUILD" --quiet
P="$DEST/root/usr/local"
check "binary" test -x "$P/sbin/hull"
check "installed binary runs" sh -c "'$P/sbin/hull' --version | grep -q '^spec: 1.3.0$'"
cmds="create start run exec kill delete state list ps pause resume update events spec features"
check "a man page per command" sh -c "for c in $cmds; do test -s '$P/share/man/man8/hull-'\$c.8 || { echo missing \$c; exit 1; }; done; test -s '$P/share/man/man8/hull.8'"
check "man pages render" sh -c "for f in '$P'/share/man/man8/*.8; do MANWIDTH=80 man -l \"\$f\" >/dev/null 2>&1 || { echo \$f; exit 1; }; done"
check "bash completion parses and completes commands" bash -c "source '$P/share/bash-completion/completions/hull' && COMP_WORDS=(hull cre) COMP_CWORD=1 && _hull 2>/dev/null; [[ \" \${COMPREPLY[*]} \" == *' create '* ]]"
check "zsh and fish completions installed" test -s "$P/share/zsh/site-functions/_hull" -a -s "$P/share/fish/vendor_completions.d/hull.fish"
libdir=$(find "$P" -name hull.pc -printf '%h\n' | head -n1)
check "header, static library and pkg-config file" test -s "$P/include/hull/hull.h" -a -n "$libdir"
cat >"$DEST/t.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <hull.h>
int main (void) { char *f = hull_features_json (); int ok = f && f[0] == '{'; free (f); puts (ok ? "ok" : "bad"); return !ok; }
C
check "a program links against the installed library" sh -c "cc -o '$DEST/t' '$DEST/t.c' \$(PKG_CONFIG_PATH='$libdir' pkg-config --define-variable=prefix='$P' --cflags --libs --static hull) && '$DEST/t'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
