#!/bin/bash
# default: yes
# tests/suites/rootless.sh — hull run by an unprivileged user, on the host.
#
# As root: creates the test user `hull-rootless` when missing (and removes it afterwards), gives it a
# 65536-id range in /etc/subuid and /etc/subgid, a private work directory with its own copy of the
# rootfs fixture and an XDG_RUNTIME_DIR, a read-only host mount (for the locked-flag test) and a
# root-owned file; then runs tests/integration/rootless.bats as that user (setpriv) and removes all
# of it.  Prints the TAP stream and ends with "N passed, N failed, N skipped".
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
USER_NAME=${HULL_ROOTLESS_USER:-hull-rootless}
SUB_START=${HULL_ROOTLESS_SUBID_START:-300000}
SUB_SIZE=65536
hull=${HULL_BINARY:-$SRC/build/src/hull}
case "$hull" in /*) ;; *) hull="$PWD/$hull" ;; esac

say() { printf 'rootless suite: %s\n' "$*" >&2; }
finish() {
	echo "$1 passed, $2 failed, $3 skipped"
	[ "$2" -eq 0 ]
	exit $?
}

[ "$(id -u)" = 0 ] || { say "must run as root (it creates the test user)"; finish 0 1 0; }
for t in useradd userdel setpriv bats jq newuidmap newgidmap; do
	command -v "$t" >/dev/null || { say "missing $t"; finish 0 1 0; }
done
[ -x "$hull" ] || { say "$hull is not built"; finish 0 1 0; }

created_user= work= ro_mount= sub_added=
cleanup() {
	[ -n "$ro_mount" ] && umount "$ro_mount" 2>/dev/null
	if [ -n "$work" ] && [ -d "$work" ]; then
		if [ -n "$(awk -v d="$work" 'index($5, d) == 1' /proc/self/mountinfo)" ]; then
			say "mounts left under $work, not removing it"
		else
			rm -rf --one-file-system "$work"
		fi
	fi
	if [ -n "$sub_added" ]; then
		sed -i "/^$USER_NAME:$SUB_START:$SUB_SIZE\$/d" /etc/subuid /etc/subgid
	fi
	[ -n "$created_user" ] && userdel "$USER_NAME" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. the user and its sub-id ranges
if ! id "$USER_NAME" >/dev/null 2>&1; then
	useradd --no-create-home --home-dir /nonexistent --shell /bin/sh --user-group "$USER_NAME" ||
		{ say "useradd failed"; finish 0 1 0; }
	created_user=1
fi
uid=$(id -u "$USER_NAME") gid=$(id -g "$USER_NAME")
touch /etc/subuid /etc/subgid
if ! grep -q "^$USER_NAME:" /etc/subuid && ! grep -q "^$USER_NAME:" /etc/subgid; then
	echo "$USER_NAME:$SUB_START:$SUB_SIZE" >>/etc/subuid
	echo "$USER_NAME:$SUB_START:$SUB_SIZE" >>/etc/subgid
	sub_added=1
fi
sub_start=$(awk -F: -v u="$USER_NAME" '$1 == u { print $2; exit }' /etc/subuid)
sub_size=$(awk -F: -v u="$USER_NAME" '$1 == u { print $3; exit }' /etc/subuid)

# 2. its work directory: XDG_RUNTIME_DIR, TMPDIR, a rootfs it owns
work=$(mktemp -d /tmp/hull-rootless.XXXXXX)
chmod 0755 "$work"
mkdir -p "$work/xdg" "$work/tmp" "$work/home"
rootfs_src=${HULL_ROOTFS_CACHE:-$SRC/tests/.cache/rootfs}
[ -x "$rootfs_src/bin/busybox" ] || "$SRC/tests/lib/make-rootfs.sh" "$rootfs_src" "${HULL_PAYLOAD:-}" >&2 ||
	{ say "cannot build the rootfs fixture"; finish 0 1 0; }
cp -a "$rootfs_src" "$work/rootfs"
chown -R "$uid:$gid" "$work/xdg" "$work/tmp" "$work/home" "$work/rootfs"
chmod 0700 "$work/xdg"

# 3. host fixtures: a read-only mount (its flag is locked in the user's namespaces), a root file
mkdir -p "$work/ro"
mount -t tmpfs -o ro,size=64k tmpfs "$work/ro" && ro_mount="$work/ro"
echo host-root-secret >"$work/rootfile"
chmod 0644 "$work/rootfile"

# 4. the bats file, as the user
files=("$SRC/tests/integration/rootless.bats")
args=(--tap)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
p=0 f=0 s=0 rc=1
while IFS= read -r line; do
	case "$line" in
	"bats-exit-status "*) rc=${line#bats-exit-status }; continue ;;
	esac
	printf '%s\n' "$line"
	case "$line" in
	"not ok "*) f=$((f + 1)) ;;
	"ok "*"# skip"*) s=$((s + 1)) ;;
	"ok "*) p=$((p + 1)) ;;
	esac
done < <(cd "$work/home" && setpriv --reuid="$uid" --regid="$gid" --init-groups --reset-env \
	env PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$work/home" TMPDIR="$work/tmp" \
	XDG_RUNTIME_DIR="$work/xdg" HULL_BINARY="$hull" HULL_SRC="$SRC" HULL_ROOTFS_CACHE="$work/rootfs" \
	HULL_RECVTTY="${HULL_RECVTTY:-}" HULL_PAYLOAD="${HULL_PAYLOAD:-}" HULL_RO_MOUNT="$ro_mount" \
	HULL_ROOT_FILE="$work/rootfile" HULL_SUBID_START="$sub_start" HULL_SUBID_SIZE="$sub_size" \
	bats "${args[@]}" "${files[@]}" 2>&1
	echo "bats-exit-status $?")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
finish "$p" "$f" "$s"
