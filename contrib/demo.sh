#!/bin/bash
# contrib/demo.sh: the README's first quick-start command.
#
# As root on a fresh Debian 12: installs missing build dependencies with apt-get, builds hull with
# meson into build/, makes a bundle in a temporary directory (a busybox rootfs from Debian's
# busybox-static plus config.json.example), runs it with `hull run` under a unique id, and cleans up.
# The container prints its hostname, that it is pid 1, its processes and its mounts.
# Exit status: the container's.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${HULL_BUILD_DIR:-$SRC/build}
PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libseccomp-dev libcap-dev libyajl-dev busybox-static)

say() { printf '==> %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
	echo "demo.sh: run me as root (containers need it, and so does apt-get)" >&2
	exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q update
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
	say "meson setup $BUILD_DIR"
	meson setup "$BUILD_DIR" "$SRC" >&2
fi
say "building hull"
ninja -C "$BUILD_DIR" src/hull >&2
HULL="$BUILD_DIR/src/hull"

bundle=$(mktemp -d /tmp/hull-demo.XXXXXX)
id="hull-demo-$$-$RANDOM"
cleanup() {
	"$HULL" delete --force "$id" >/dev/null 2>&1 || true
	# nothing should be mounted below the bundle, but never rm -rf through a mount
	awk -v b="$bundle" 'index($5, b) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	rm -rf --one-file-system "$bundle"
}
trap cleanup EXIT

say "making a busybox bundle in $bundle"
"$SRC/tests/lib/make-rootfs.sh" "$bundle/rootfs"
cp "$SRC/config.json.example" "$bundle/config.json"

say "hull run --bundle $bundle $id"
set +e
"$HULL" run --bundle "$bundle" "$id"
status=$?
set -e
say "container exited with status $status"
exit "$status"
