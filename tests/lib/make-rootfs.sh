#!/bin/bash
# make-rootfs.sh DIR [PAYLOAD]
# Builds a minimal busybox rootfs in DIR from Debian's busybox-static (/bin/busybox):
# /bin/busybox plus one symlink per applet, /etc/{passwd,group,hostname}, the usual empty dirs,
# and the static test payload at /bin/hull-payload when PAYLOAD (or $HULL_PAYLOAD) names a file.
# DIR is replaced atomically (built in DIR.tmp.$$, then renamed), so a cached copy is never half-built.
set -euo pipefail

dir=${1:?usage: make-rootfs.sh DIR [PAYLOAD]}
payload=${2:-${HULL_PAYLOAD:-}}
busybox=${BUSYBOX:-/bin/busybox}

# Debian's busybox-static installs a static /bin/busybox; the dynamic "busybox" package would not run
# in a rootfs without libc.  A dynamic ELF names its loader (PT_INTERP) near the start of the file.
if ! "$busybox" --list >/dev/null 2>&1 || head -c 4096 "$busybox" | grep -qa 'ld-linux'; then
	echo "make-rootfs.sh: $busybox is not a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi

tmp="$dir.tmp.$$"
rm -rf --one-file-system "$tmp"
trap 'rm -rf --one-file-system "$tmp"' EXIT
mkdir -p "$tmp"

for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp root home/user var/tmp run mnt; do
	mkdir -p "$tmp/$d"
done
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
chmod 0700 "$tmp/root"
chown 1000:1000 "$tmp/home/user"

install -m 0755 "$busybox" "$tmp/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] && continue
	[ -e "$tmp/bin/$applet" ] || ln -s busybox "$tmp/bin/$applet"
done
ln -sf busybox "$tmp/bin/sh"

cat >"$tmp/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
user:x:1000:1000:user:/home/user:/bin/sh
PASSWD
cat >"$tmp/etc/group" <<'GROUP'
root:x:0:
users:x:100:user
nogroup:x:65534:
user:x:1000:
GROUP
echo rootfs >"$tmp/etc/hostname"

if [ -n "$payload" ]; then
	if [ -f "$payload" ]; then
		install -m 0755 "$payload" "$tmp/bin/hull-payload"
	else
		echo "make-rootfs.sh: payload $payload not found, skipping it" >&2
	fi
fi

rm -rf --one-file-system "$dir"
mv "$tmp" "$dir"
trap - EXIT
