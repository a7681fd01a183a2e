#!/bin/bash
# default: yes
# tests/suites/clients.sh: hull driven by real clients (podman/conmon, containerd/ctr, rootless podman).
#
# Runs tests/clients/*.bats with Debian's podman, conmon and containerd (installed with apt-get when
# missing).  Everything happens in a private mount namespace (unshare -m --propagation private) with
# its own tmpfs /run and a copy-on-write overlay on /var/lib, and all client state lives in one temp
# dir, so the host's podman/containerd state is never touched (see ../shared/design/clients.md §2).
# Every runtime call goes through a logging wrapper; the distinct invocations are printed at the end.
#
# Environment: HULL_BINARY (default <repo>/build/src/hull), HULL_SKIP_DEPS=1 (no apt-get),
#              BATS_FILTER (regex for bats --filter), HULL_CLIENTS_FILES (space-separated bats file
#              names under tests/clients/, default: all), HULL_CLIENTS_KEEP_LOG=FILE (copy the
#              invocation log there).
# Output: the TAP stream, the distinct runtime invocations, then "N passed, N failed, N skipped".
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
SELF="$SRC/tests/suites/clients.sh"

log() { printf 'clients: %s\n' "$*" >&2; }
result() { # result PASSED FAILED SKIPPED
	echo "$1 passed, $2 failed, $3 skipped"
	[ "$2" -eq 0 ]
}

if [ -z "${HULL_CLIENTS_INNER:-}" ]; then
	# ---------------------------------------------------------------- outer: deps, temp dir, unshare
	if [ "$(id -u)" != 0 ]; then
		log "needs root (podman, containerd and mount namespaces); skipping"
		result 0 0 1
		exit 0
	fi
	PKGS=(podman conmon containerd uidmap bats bats-assert bats-support jq util-linux bsdutils busybox-static procps)
	missing=()
	for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	if [ ${#missing[@]} -gt 0 ]; then
		if [ "${HULL_SKIP_DEPS:-}" = 1 ]; then
			log "missing packages: ${missing[*]} (HULL_SKIP_DEPS=1)"
			result 0 1 0
			exit 1
		fi
		log "installing: ${missing[*]}"
		apt=(apt-get -o DPkg::Lock::Timeout=600 -q)
		if ! { DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2 ||
			{ DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >&2 &&
				DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2; }; }; then
			log "apt-get install failed"
			result 0 1 0
			exit 1
		fi
	fi
	HULL_BINARY=${HULL_BINARY:-$SRC/build/src/hull}
	case "$HULL_BINARY" in /*) ;; *) HULL_BINARY="$PWD/$HULL_BINARY" ;; esac
	if [ ! -x "$HULL_BINARY" ]; then
		log "no hull binary at $HULL_BINARY (build it, or set HULL_BINARY)"
		result 0 1 0
		exit 1
	fi
	export HULL_BINARY
	T=$(mktemp -d /tmp/hull-clients.XXXXXX) || exit 1
	chmod 0755 "$T"
	HULL_CLIENTS_INNER=$T unshare -m --propagation private bash "$SELF"
	rc=$?
	# The namespace is gone with its last process, and with it every mount below $T.
	if grep -qF " $T" /proc/self/mountinfo; then
		log "mounts below $T are still visible on the host; not removing it"
	else
		rm -rf --one-file-system "$T"
	fi
	exit $rc
fi

# ------------------------------------------------------------------------ inner: private namespace
T=$HULL_CLIENTS_INNER
export HC_T=$T
export HC_HULL=$HULL_BINARY
suffix=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
export HC_CG="hull-clients-$suffix" # cgroup parent and ctr namespace
export HC_NS="$HC_CG"
export HC_LOG="$T/invocations.log"
export TMPDIR="$T/tmp"
mkdir -p "$T"/{tmp,bin,rootfs-cache,varlib-upper,varlib-work,etc,podman,containerd,rootless}
chmod 1777 "$T/tmp"
: >"$HC_LOG"
chmod 0666 "$HC_LOG"

mount --make-rprivate / || { log "cannot make / private"; result 0 1 0; exit 1; }
mount -t tmpfs -o mode=0755 hull-clients-run /run || { log "cannot mount tmpfs on /run"; result 0 1 0; exit 1; }
if ! mount -t overlay hull-clients-varlib \
	-o "lowerdir=/var/lib,upperdir=$T/varlib-upper,workdir=$T/varlib-work" /var/lib; then
	log "cannot mount an overlay on /var/lib"
	result 0 1 0
	exit 1
fi

# Rootless test user: a passwd/group/subuid/subgid copy bind-mounted in this namespace only.
export HC_USER=hullclient HC_UID=23456
if ! getent passwd "$HC_UID" >/dev/null && ! getent passwd "$HC_USER" >/dev/null; then
	for f in passwd group subuid subgid; do
		if [ -f "/etc/$f" ]; then cp "/etc/$f" "$T/etc/$f"; else : >"$T/etc/$f"; fi
	done
	echo "$HC_USER:x:$HC_UID:$HC_UID::$T/rootless/home:/bin/sh" >>"$T/etc/passwd"
	echo "$HC_USER:x:$HC_UID:" >>"$T/etc/group"
	echo "$HC_USER:1300000:65536" >>"$T/etc/subuid"
	echo "$HC_USER:1300000:65536" >>"$T/etc/subgid"
	for f in passwd group subuid subgid; do
		[ -f "/etc/$f" ] || : >"/etc/$f.hull-clients-missing" # cannot bind onto a missing file
		[ -f "/etc/$f" ] && mount --bind "$T/etc/$f" "/etc/$f"
	done
	rm -f /etc/*.hull-clients-missing
fi
mkdir -p "$T/rootless/home" "$T/rootless/run"
chown -R "$HC_UID:$HC_UID" "$T/rootless"
chmod 0700 "$T/rootless/run"

# ---- the logging runtime wrapper: argv (shell-quoted), the parent's name, then exec hull.
# It must work with no PATH (podman's kill/delete/pause run with only PWD and XDG_RUNTIME_DIR).
make_wrapper() { # make_wrapper PATH
	cat >"$1" <<EOF
#!/bin/bash
read -r __p </proc/\$PPID/comm 2>/dev/null
printf '%s\t%s\t%s\t%s\n' "\${0##*/}" "\${__p:-?}" "\$(printf '%q ' "\$@")" "\$EUID" >>$(printf '%q' "$HC_LOG")
exec $(printf '%q' "$HULL_BINARY") "\$@"
EOF
	chmod 0755 "$1"
}
mkdir -p "$T/rt" "$T/named"
# podman names a runtime given by path after its basename, and "hull" is in runtime_supports_json:
# the path wrapper gets another name so that it covers the no-JSON route (conmon's stderr).
make_wrapper "$T/rt/hull-path"  # podman --runtime PATH, ctr --runc-binary PATH
make_wrapper "$T/named/hull"    # the named runtime "hull" in containers.conf / BinaryName
export HC_RT="$T/rt/hull-path" HC_NAMED="$T/named/hull"

# ---- rootfs and images
export HC_ROOTFS="$T/rootfs"
payload=${HULL_PAYLOAD:-$SRC/build/tests/helpers/hull-payload}
[ -f "$payload" ] || payload=$(dirname "$(dirname "$HULL_BINARY")")/tests/helpers/hull-payload
[ -f "$payload" ] || payload=
if ! "$SRC/tests/lib/make-rootfs.sh" "$HC_ROOTFS" "$payload" >&2; then
	log "make-rootfs.sh failed"
	result 0 1 0
	exit 1
fi
chmod 0755 "$HC_ROOTFS"
tar -C "$HC_ROOTFS" --numeric-owner -cf "$T/rootfs.tar" . || exit 1
chmod 0644 "$T/rootfs.tar"
export HC_ROOTFS_TAR="$T/rootfs.tar"

# podman: a containers.conf naming hull, plus a wrapper carrying the isolating global flags.
hn=$(ulimit -Hn) hu=$(ulimit -Hu)
[ "$hu" = unlimited ] || [ "$hu" -gt 32768 ] && hu=32768
[ "$hn" = unlimited ] && hn=1048576
cat >"$T/containers.conf" <<EOF
[containers]
netns = "none"
default_ulimits = ["nofile=$hn:$hn", "nproc=$hu:$hu"]

[engine]
lock_type = "file"
events_logger = "file"
cgroup_manager = "cgroupfs"
runtime = "hull"
runtime_supports_json = ["hull"]

[engine.runtimes]
hull = ["$T/named/hull"]
EOF
chmod 0644 "$T/containers.conf"
export CONTAINERS_CONF="$T/containers.conf"
PM="$T/podman"
cat >"$T/bin/pm" <<EOF
#!/bin/bash
# podman with all state in $PM and the named runtime "hull" from \$CONTAINERS_CONF
exec timeout --foreground -k 10 \${HC_TIMEOUT:-120} podman --root $PM/root --runroot $PM/runroot \\
	--tmpdir $PM/tmp --network-config-dir $PM/net --volumepath $PM/volumes --storage-driver vfs \\
	--cgroup-manager cgroupfs --events-backend file "\$@"
EOF
cat >"$T/bin/pmr" <<EOF
#!/bin/bash
# the same podman, with the runtime given as a path (--runtime)
exec $T/bin/pm --runtime $T/rt/hull-path "\$@"
EOF
chmod 0755 "$T/bin/pm" "$T/bin/pmr"
export PATH="$T/bin:$PATH"

log "importing the busybox image into podman"
if ! pm import --change 'CMD=["/bin/sh"]' "$T/rootfs.tar" localhost/busybox:latest >&2; then
	log "podman import failed"
	result 0 1 0
	exit 1
fi

# containerd: a hand-made OCI image layout (uncompressed layer) for `ctr images import`.
make_oci_tar() {
	local d="$T/oci" cfg man ld cd md ls cs ms
	mkdir -p "$d/blobs/sha256"
	ld=$(sha256sum "$T/rootfs.tar" | cut -d' ' -f1)
	ls=$(stat -c %s "$T/rootfs.tar")
	cp "$T/rootfs.tar" "$d/blobs/sha256/$ld"
	cfg=$(jq -cn --arg diff "sha256:$ld" '{architecture:"amd64",os:"linux",
		config:{Cmd:["/bin/sh"],Env:["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],WorkingDir:"/"},
		rootfs:{type:"layers",diff_ids:[$diff]}}')
	printf '%s' "$cfg" >"$d/cfg"
	cd=$(sha256sum "$d/cfg" | cut -d' ' -f1) cs=$(stat -c %s "$d/cfg")
	mv "$d/cfg" "$d/blobs/sha256/$cd"
	man=$(jq -cn --arg c "sha256:$cd" --argjson cs "$cs" --arg l "sha256:$ld" --argjson ls "$ls" '{schemaVersion:2,
		mediaType:"application/vnd.oci.image.manifest.v1+json",
		config:{mediaType:"application/vnd.oci.image.config.v1+json",digest:$c,size:$cs},
		layers:[{mediaType:"application/vnd.oci.image.layer.v1.tar",digest:$l,size:$ls}]}')
	printf '%s' "$man" >"$d/man"
	md=$(sha256sum "$d/man" | cut -d' ' -f1) ms=$(stat -c %s "$d/man")
	mv "$d/man" "$d/blobs/sha256/$md"
	jq -cn --arg m "sha256:$md" --argjson ms "$ms" '{schemaVersion:2,manifests:[{
		mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$m,size:$ms,
		platform:{architecture:"amd64",os:"linux"},
		annotations:{"io.containerd.image.name":"localhost/busybox:latest","org.opencontainers.image.ref.name":"latest"}}]}' \
		>"$d/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	tar -C "$d" -cf "$T/busybox-oci.tar" oci-layout index.json blobs
}

CD="$T/containerd"
export HC_CTR_SOCK="$CD/containerd.sock"
cat >"$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CD/containerd.sock"
[ttrpc]
  address = "$CD/containerd.sock.ttrpc"
[debug]
  address = "$CD/debug.sock"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CD/opt"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hull]
  runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hull.options]
    BinaryName = "$T/named/hull"
EOF
cat >"$T/bin/c" <<EOF
#!/bin/bash
# ctr against the private containerd, in the test namespace
exec timeout --foreground -k 10 \${HC_TIMEOUT:-120} ctr -a $CD/containerd.sock -n $HC_NS "\$@"
EOF
chmod 0755 "$T/bin/c"
# `ctr run --runtime-config-path FILE` hands these runc options (BinaryName) to the shim.
cat >"$CD/hull-options.toml" <<EOF
BinaryName = "$T/named/hull"
EOF
export HC_CTR_OPTIONS="$CD/hull-options.toml"

containerd_pid=
log "starting a private containerd"
containerd --config "$CD/config.toml" >"$CD/containerd.log" 2>&1 </dev/null 3>&- &
containerd_pid=$!
for _ in $(seq 100); do
	ctr -a "$HC_CTR_SOCK" version >/dev/null 2>&1 && break
	sleep 0.1
done
if ! ctr -a "$HC_CTR_SOCK" version >/dev/null 2>&1; then
	log "containerd did not come up:"
	tail -20 "$CD/containerd.log" >&2
	export HC_NO_CONTAINERD=1
elif ! make_oci_tar || ! c images import "$T/busybox-oci.tar" >&2; then
	log "ctr images import failed"
	export HC_NO_CONTAINERD=1
fi

# ---- cleanup: containers, processes (by pid), cgroups below our parent
ancestors() {
	local p=$$ pp
	while [ "$p" -gt 1 ]; do
		echo "$p"
		pp=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null) || break
		[ -n "$pp" ] || break
		p=$pp
	done
}
kill_pids() { # SIGNAL PID...
	local sig=$1
	shift
	[ $# -gt 0 ] && kill "-$sig" "$@" 2>/dev/null
}
cleanup() {
	HC_TIMEOUT=30 pm rm -af -t 0 >/dev/null 2>&1
	if [ -z "${HC_NO_CONTAINERD:-}" ]; then
		local id
		for id in $(c tasks ls -q 2>/dev/null); do
			HC_TIMEOUT=15 c tasks kill -a -s 9 "$id" >/dev/null 2>&1
			HC_TIMEOUT=15 c tasks rm -f "$id" >/dev/null 2>&1
		done
		for id in $(c containers ls -q 2>/dev/null); do
			HC_TIMEOUT=15 c containers rm "$id" >/dev/null 2>&1
		done
	fi
	if [ -n "$containerd_pid" ]; then
		kill -TERM "$containerd_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$containerd_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$containerd_pid" 2>/dev/null
		wait "$containerd_pid" 2>/dev/null
	fi
	# shims, conmons and anything else that carries our temp dir in its command line or environment
	local keep pid f pids=()
	keep=" $(ancestors | tr '\n' ' ') "
	while read -r f; do
		read -r pid <"$f" 2>/dev/null && [ -n "$pid" ] && pids+=("$pid")
	done < <(find "$T" \( -name shim.pid -o -name conmon.pid -o -name pause.pid \) 2>/dev/null)
	for f in /proc/[0-9]*; do
		pid=${f#/proc/}
		[[ "$keep" == *" $pid "* ]] && continue
		if grep -qaF "$T" "$f/cmdline" 2>/dev/null || grep -qaF "$T" "$f/environ" 2>/dev/null; then
			pids+=("$pid")
		fi
	done
	local cgdirs=() d
	for d in /sys/fs/cgroup/*/"$HC_CG" /sys/fs/cgroup/*/"$HC_CG"-*; do
		[ -d "$d" ] && cgdirs+=("$d")
	done
	for d in "${cgdirs[@]}"; do
		find "$d" -name freezer.state -exec sh -c 'echo THAWED >"$1"' _ {} \; 2>/dev/null
		while read -r f; do
			while read -r pid; do [ -n "$pid" ] && pids+=("$pid"); done <"$f" 2>/dev/null
		done < <(find "$d" -name cgroup.procs 2>/dev/null)
	done
	if [ ${#pids[@]} -gt 0 ]; then
		local left=()
		for pid in "${pids[@]}"; do [[ "$keep" == *" $pid "* ]] || left+=("$pid"); done
		kill_pids KILL "${left[@]}"
		sleep 0.3
	fi
	for d in "${cgdirs[@]}"; do
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
		[ -d "$d" ] && log "cannot remove cgroup $d"
	done
	# podman's storage (vfs) and containerd's snapshots live below $T; unmount what is left there.
	local m
	for m in $(awk -v t="$T" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null
	done
}

# ---- run the bats files
files=()
if [ -n "${HULL_CLIENTS_FILES:-}" ]; then
	for f in $HULL_CLIENTS_FILES; do
		case "$f" in
		/*) files+=("$f") ;;
		*) files+=("$SRC/tests/clients/${f%.bats}.bats") ;;
		esac
	done
else
	files=("$SRC"/tests/clients/*.bats)
fi
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
done < <(cd "$T" && bats "${args[@]}" "${files[@]}" 2>&1 3>&-; echo "bats-exit-status $?")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { log "bats exited with $rc"; f=1; }

cleanup

# ---- the distinct runtime invocations (ids and temp paths normalised)
echo "# distinct runtime invocations (count, wrapper, parent, argv after the binary, euid):"
sed -E -e "s#$T#\$T#g" -e "s#$HC_NS#NS#g" -e 's/\b[0-9a-f]{64}\b/ID/g' \
	-e 's#/NS/[^/ ]+/#/NS/ID/#g' -e 's#/init\.pid #/INIT_PID #' \
	-e 's#/[A-Za-z0-9_-]+\.pid #/EXECID.pid #' -e 's#/INIT_PID #/init.pid #' \
	-e 's/ [A-Za-z_][A-Za-z0-9_.-]* (\t[0-9]+)$/ ID \1/' -e 's#/NS/[^/ ]+ #/NS/ID #g' \
	-e 's/(exec-process-|podman|runc-process|pty)[0-9]+/\1NNN/g' -e 's/conmon-term\.[A-Za-z0-9]+/conmon-term.X/g' \
	-e 's/(kill (--all )?)[A-Za-z0-9_.-]+ /\1ID /' "$HC_LOG" | sort | uniq -c | sort -rn | sed 's/^/# /'
[ -n "${HULL_CLIENTS_KEEP_LOG:-}" ] && cp "$HC_LOG" "$HULL_CLIENTS_KEEP_LOG"
result "$p" "$f" "$s"
