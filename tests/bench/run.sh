#!/bin/bash
# tests/bench/run.sh [--quick] [--seccomp] [--keep] [--out FILE] [RUNTIME...]
#
# On-demand benchmark of container runtimes side by side (issue 9); never part of the test suite,
# and it asserts nothing about time.  RUNTIME is any of: hull hull-rw runc crun floor floor-nocg
# (default: hull runc crun floor).  `hull` runs build/src/hull from a read-only bind mount (the
# recommended installation: the CVE-2019-5736 protection is then free), `hull-rw` the writable build
# output itself (hull then re-executes once through a read-only clone of its binary).  See
# docs/performance.md for what each row means.
#
#   --quick     few samples (development); the full run takes a few minutes
#   --seccomp   give every bundle a podman-like seccomp profile and capability set
#               (tests/bench/seccomp-podman-like.json); the floor has no seccomp, so no ratios
#   --keep      keep the work directory (bundles, raw samples, strace summaries, stderr logs)
#   --out FILE  also write the table to FILE
#
# Needs root.  Installs runc, crun, strace, time, jq and busybox-static from Debian when missing and
# builds hull (meson/ninja) when build/src/hull is missing.  The whole run happens in one private
# mount namespace, inside a cgroup of its own created below the caller's cgroup (tests/lib/
# cgroup-sandbox.sh) and a cgroup namespace rooted there: the cgroup v1 hierarchies are mounted afresh
# inside it, so every runtime's cgroups land below the benchmark's own, and the cgroup2 mount at
# /sys/fs/cgroup/unified is left out (crun 1.8 refuses to run on this hybrid layout otherwise).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

QUICK=0 SECCOMP=0 KEEP=0 OUT=
RUNTIMES=()
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) QUICK=1 ;;
	--seccomp) SECCOMP=1 ;;
	--keep) KEEP=1 ;;
	--out) OUT=$(realpath -m "$2"); shift ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) RUNTIMES+=("$1") ;;
	esac
	shift
done
[ ${#RUNTIMES[@]} -gt 0 ] || RUNTIMES=(hull runc crun floor)
for rt in "${RUNTIMES[@]}"; do
	case "$rt" in hull | hull-rw | runc | crun | floor | floor-nocg) ;;
	*) echo "run.sh: unknown runtime $rt (hull hull-rw runc crun floor floor-nocg)" >&2; exit 2 ;;
	esac
done

log() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# Outer part: dependencies, build, fixtures, cgroup sandbox; then re-exec inside the namespaces.
# ---------------------------------------------------------------------------------------------
outer() {
	[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root" >&2; exit 1; }
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo "run.sh: cgroup v2-only hosts are not supported yet (written for v1/hybrid)" >&2
		exit 1
	fi

	local missing=() cmd pkg
	for cmd in runc:runc crun:crun strace:strace /usr/bin/time:time jq:jq unshare:util-linux cc:gcc; do
		command -v "${cmd%%:*}" >/dev/null 2>&1 || missing+=("${cmd#*:}")
	done
	[ -x /bin/busybox ] && ! head -c 4096 /bin/busybox | grep -qa ld-linux || missing+=(busybox-static)
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		apt-get update -qq >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
			{ echo "run.sh: apt-get install ${missing[*]} failed" >&2; exit 1; }
	fi

	if [ ! -x "$REPO/build/src/hull" ] && [[ " ${RUNTIMES[*]} " == *" hull"* ]]; then
		log "building hull"
		(cd "$REPO" && { [ -f build/build.ninja ] || meson setup build; } && ninja -C build) >&2 ||
			log "hull does not build: it will show n/a"
	fi

	WORK=$(mktemp -d /tmp/hull-bench.XXXXXX)
	export WORK
	cc -O2 -Wall -o "$WORK/floor" "$HERE/floor.c" || exit 1
	cc -O2 -Wall -o "$WORK/timeit" "$HERE/timeit.c" || exit 1
	if [ -x "$REPO/tests/lib/make-rootfs.sh" ]; then
		"$REPO/tests/lib/make-rootfs.sh" "$WORK/rootfs" || exit 1
	else
		mkdir -p "$WORK/rootfs"/{bin,proc,dev,sys,tmp,etc}
		cp /bin/busybox "$WORK/rootfs/bin/busybox"
		for a in sh true sleep cat; do ln -s busybox "$WORK/rootfs/bin/$a"; done
	fi

	# shellcheck source=../lib/cgroup-sandbox.sh
	. "$REPO/tests/lib/cgroup-sandbox.sh"
	CGROUP_SANDBOX_NAME="hull-bench-$$"
	cgroup_sandbox_enter
	local rc=0
	HULL_BENCH_INNER=1 unshare --mount --cgroup --propagation private \
		"$BASH" "$0" "${ARGS[@]}" || rc=$?
	cgroup_sandbox_leave || log "something was left in the benchmark cgroup (see above)"
	if [ "$KEEP" = 1 ]; then log "work directory kept: $WORK"; else rm -rf --one-file-system "$WORK"; fi
	exit $rc
}

# ---------------------------------------------------------------------------------------------
# Inner part: runs in the private mount + cgroup namespaces.
# ---------------------------------------------------------------------------------------------

# Mount the cgroup v1 hierarchies afresh (rooted at our cgroup namespace) on a new tmpfs; leave
# the cgroup2 mount out.
remount_cgroups() {
	local mounts=() links=() line pre post mnt fstype superopts o opts
	while read -r line; do
		pre=${line%% - *} post=${line#* - }
		read -r _ _ _ _ mnt _ <<<"$pre"
		read -r fstype _ superopts <<<"$post"
		[ "$fstype" = cgroup ] || continue
		opts=
		for o in ${superopts//,/ }; do
			case "$o" in rw | ro | clone_children | noprefix | xattr | release_agent=*) ;;
			*) opts+=${opts:+,}$o ;;
			esac
		done
		case "$opts" in name=*) opts="none,$opts" ;; esac
		mounts+=("$mnt $opts")
	done </proc/self/mountinfo
	for line in /sys/fs/cgroup/*; do
		[ -L "$line" ] && links+=("$(basename "$line") $(readlink "$line")")
	done
	umount -R /sys/fs/cgroup || return 1
	mount -t tmpfs -o mode=755,nosuid,nodev,noexec bench-cgroup /sys/fs/cgroup || return 1
	for line in "${mounts[@]}"; do
		read -r mnt opts <<<"$line"
		mkdir -p "$mnt" && mount -t cgroup -o "$opts" cgroup "$mnt" || return 1
	done
	for line in "${links[@]}"; do
		read -r mnt o <<<"$line"
		ln -s "$o" "/sys/fs/cgroup/$mnt"
	done
	CG_MOUNTS=()
	for line in "${mounts[@]}"; do CG_MOUNTS+=("${line%% *}"); done
}

# Remove the (empty) cgroups the runtimes left below our namespace root.
cgroup_tidy() {
	local m
	for m in "${CG_MOUNTS[@]}"; do
		find "$m" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}

write_config() { # write_config DIR CGROUP_NAME ARGS_JSON [MEMORY_LIMIT]
	local dir=$1 cg=$2 args=$3 mem=${4:-}
	mkdir -p "$dir"
	local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]'
	if [ "$SECCOMP" = 1 ]; then
		caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_SETFCAP","CAP_SETGID","CAP_SETPCAP","CAP_SETUID","CAP_SYS_CHROOT"]'
	fi
	cat >"$dir/config.json.in" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": $args,
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    "cwd": "/",
    "capabilities": {"bounding": $caps, "effective": $caps, "permitted": $caps, "ambient": $caps},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "$WORK/rootfs", "readonly": true},
  "hostname": "bench",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "linux": {
    "cgroupsPath": "/bench/$cg",
    "resources": {"devices": [{"allow": false, "access": "rwm"}]},
    "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}],
    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
  }
}
EOF
	local filter='.'
	[ -n "$mem" ] && filter+=" | .linux.resources.memory = {\"limit\": $mem}"
	if [ "$SECCOMP" = 1 ]; then
		jq --slurpfile sc "$HERE/seccomp-podman-like.json" "$filter | .linux.seccomp = \$sc[0]" \
			"$dir/config.json.in" >"$dir/config.json"
	else
		jq "$filter" "$dir/config.json.in" >"$dir/config.json"
	fi
	rm -f "$dir/config.json.in"
}

# The runtime's command prefix (empty for the floor variants).
rtcmd() {
	case "$1" in
	hull) echo "$WORK/ro/hull --root $WORK/state/hull" ;;
	hull-rw) echo "$REPO/build/src/hull --root $WORK/state/hull-rw" ;;
	runc) echo "runc --root $WORK/state/runc" ;;
	crun) echo "crun --root $WORK/state/crun" ;;
	esac
}
is_floor() { [[ "$1" == floor* ]]; }
floor_cg() { [ "$1" = floor ] && echo "--cgroup $2"; }

# Samples are kept as "STEP WALL_US CPU_US STATUS" lines in $WORK/raw/MEASURE.RUNTIME.
TIMEIT() { "$WORK/timeit" -t 120 -e "$WORK/err/$RT.log" "$@"; }

# Forcibly remove whatever container ID is left (after a failure).
rt_cleanup() { # RT ID...
	local rt=$1 id; shift
	is_floor "$rt" && return 0
	for id in "$@"; do $(rtcmd "$rt") delete -f "$id" >/dev/null 2>&1; done
	return 0
}

m_run() { # 1. run /bin/true
	local f=$WORK/raw/run.$RT
	if is_floor "$RT"; then
		TIMEIT -n "$CHUNK" -- "$WORK/floor" $(floor_cg "$RT" fl-run) "$WORK/rootfs" /bin/true >>"$f"
	else
		TIMEIT -n "$CHUNK" -- $(rtcmd "$RT") run -b "$WORK/b/run" b-run >>"$f"
	fi
	grep -qv ' 0$' "$f" && rt_cleanup "$RT" b-run
}

m_csd() { # 2. create, start, delete
	is_floor "$RT" && return 0
	local f=$WORK/raw/csd.$RT c
	c=$(rtcmd "$RT")
	TIMEIT -r 1 -n "$CHUNK" -- $c create -b "$WORK/b/run" b-csd ::: $c start b-csd ::: $c delete b-csd >>"$f"
	grep -qv ' 0$' "$f" && rt_cleanup "$RT" b-csd
}

# 3. exec: needs a running container per runtime (started once, see exec_setup).
exec_setup() {
	local rt=$1 pidf=$WORK/sleep.$1.pid
	rm -f "$pidf"
	if is_floor "$rt"; then
		"$WORK/floor" $(floor_cg "$rt" fl-sleep) --pid-file "$pidf" "$WORK/rootfs" /bin/sleep 1000 \
			</dev/null >/dev/null 2>>"$WORK/err/$rt.log" &
		echo $! >"$WORK/sleep.$rt.floorpid"
		local i
		for i in $(seq 100); do [ -s "$pidf" ] && break; sleep 0.05; done
	else
		$(rtcmd "$rt") run -d --pid-file "$pidf" -b "$WORK/b/sleep" b-sleep \
			</dev/null >/dev/null 2>>"$WORK/err/$rt.log"
	fi
	[ -s "$pidf" ]
}
exec_teardown() {
	local rt=$1
	if is_floor "$rt"; then
		[ -s "$WORK/sleep.$rt.pid" ] && kill -KILL "$(cat "$WORK/sleep.$rt.pid")" 2>/dev/null
		[ -s "$WORK/sleep.$rt.floorpid" ] && wait "$(cat "$WORK/sleep.$rt.floorpid")" 2>/dev/null
	else
		$(rtcmd "$rt") kill b-sleep KILL >/dev/null 2>&1
		rt_cleanup "$rt" b-sleep
	fi
	return 0
}
m_exec() {
	[ -s "$WORK/sleep.$RT.pid" ] || return 0
	local f=$WORK/raw/exec.$RT
	if is_floor "$RT"; then
		TIMEIT -n "$CHUNK" -- "$WORK/floor" --exec "$(cat "$WORK/sleep.$RT.pid")" /bin/true >>"$f"
	else
		TIMEIT -n "$CHUNK" -- $(rtcmd "$RT") exec b-sleep /bin/true >>"$f"
	fi
}

m_par() { # 4. 20 containers, 2 at a time: two lanes of 10 sequential runs
	local f=$WORK/raw/par.$RT cmd
	if is_floor "$RT"; then
		cmd="$WORK/floor $(floor_cg "$RT" 'fl-par$lane') $WORK/rootfs /bin/true"
	else
		cmd="$(rtcmd "$RT") run -b $WORK/b/lane\$lane par\$lane-\$i"
	fi
	TIMEIT -n 1 -- "$BASH" -c "
		fail=0 pids=
		for lane in 0 1; do
			( for i in 1 2 3 4 5 6 7 8 9 10; do $cmd || exit 1; done ) &
			pids+=\" \$!\"
		done
		for p in \$pids; do wait \$p || fail=1; done
		exit \$fail" >>"$f"
	if grep -qv ' 0$' "$f"; then
		local l i
		for l in 0 1; do for i in $(seq 10); do rt_cleanup "$RT" "par$l-$i"; done; done
	fi
}

m_rss() { # 5. peak RSS of `run` (GNU time), and of the init waiting between create and start
	local t=$WORK/time.out
	if is_floor "$RT"; then
		/usr/bin/time -f %M -o "$t" "$WORK/floor" $(floor_cg "$RT" fl-rss) "$WORK/rootfs" /bin/true \
			</dev/null >/dev/null 2>>"$WORK/err/$RT.log" &&
			cat "$t" >>"$WORK/raw/rss.$RT"
		return 0
	fi
	/usr/bin/time -f %M -o "$t" $(rtcmd "$RT") run -b "$WORK/b/run" b-rss \
		</dev/null >/dev/null 2>>"$WORK/err/$RT.log" && cat "$t" >>"$WORK/raw/rss.$RT"
	rt_cleanup "$RT" b-rss
	local pidf=$WORK/init.pid pid
	rm -f "$pidf"
	if $(rtcmd "$RT") create --pid-file "$pidf" -b "$WORK/b/run" b-init \
		</dev/null >/dev/null 2>>"$WORK/err/$RT.log" && pid=$(cat "$pidf" 2>/dev/null) &&
		[ -r "/proc/$pid/status" ]; then
		# VmHWM, VmRSS, and the private part of the resident memory (what no other process shares)
		{
			awk '/^VmHWM:/ {h=$2} /^VmRSS:/ {r=$2} END {printf "%s %s", h, r}' "/proc/$pid/status"
			awk '/^Private_(Clean|Dirty):/ {p += $2} END {print " " p + 0}' "/proc/$pid/smaps_rollup"
		} >>"$WORK/raw/initrss.$RT"
	fi
	rt_cleanup "$RT" b-init
}

m_strace() { # 6. syscalls, tasks, execve per run
	local o=$WORK/strace.$RT.$STRACE_N
	if is_floor "$RT"; then
		strace -f -c -o "$o" "$WORK/floor" $(floor_cg "$RT" fl-strace) "$WORK/rootfs" /bin/true \
			</dev/null >/dev/null 2>>"$WORK/err/$RT.log" || return 0
	else
		strace -f -c -o "$o" $(rtcmd "$RT") run -b "$WORK/b/run" b-strace \
			</dev/null >/dev/null 2>>"$WORK/err/$RT.log" || { rt_cleanup "$RT" b-strace; return 0; }
	fi
	# strace -c table: % time, seconds, usecs/call, calls, [errors,] syscall; last line "total".
	awk '$NF == "total" {t = $4}
	     $NF ~ /^(clone|clone3|fork|vfork)$/ {k += $4}
	     $NF ~ /^execve(at)?$/ {e += $4}
	     END {print t + 0, k + 0, e + 0}' "$o" >>"$WORK/raw/strace.$RT"
}

mem_ok() { # RT BYTES: does `run /bin/true` succeed under this memory limit?
	local rt=$1 b=$2 id=mem-$2
	if is_floor "$rt"; then
		"$WORK/timeit" -t 30 -e "$WORK/err/$rt.mem.log" -- "$WORK/floor" --cgroup fl-mem --memory "$b" \
			"$WORK/rootfs" /bin/true | grep -q ' 0$'
		return
	fi
	write_config "$WORK/b/mem" mem '["/bin/true"]' "$b"
	"$WORK/timeit" -t 30 -e "$WORK/err/$rt.mem.log" -- $(rtcmd "$rt") run -b "$WORK/b/mem" "$id" |
		grep -q ' 0$'
	local ok=$?
	rt_cleanup "$rt" "$id"
	return $ok
}
m_memlimit() { # 7. bisect the smallest memory limit (4 KiB steps; 64 KiB steps with --quick)
	local lo=65536 hi=67108864 step=4096 mid
	[ "$RT" = floor-nocg ] && return 0 # no cgroup, no limit
	[ "$QUICK" = 1 ] && step=65536
	if mem_ok "$RT" "$lo"; then echo "<=$lo" >"$WORK/raw/mem.$RT"; return; fi
	if ! mem_ok "$RT" "$hi"; then echo ">$hi" >"$WORK/raw/mem.$RT"; return; fi
	while [ $((hi - lo)) -gt $step ]; do
		mid=$(((lo + hi) / 2 / step * step))
		[ "$mid" -le "$lo" ] && mid=$((lo + step))
		if mem_ok "$RT" "$mid"; then hi=$mid; else lo=$mid; fi
	done
	echo "$hi" >"$WORK/raw/mem.$RT"
}

# --------------------------------- statistics and the table ---------------------------------
median() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# value MEASURE RT: prints the row's median for a runtime, or nothing (n/a).
# Time samples that include a failed run make the whole cell n/a.
timing() { # FILE STEP COLUMN(2=wall,3=cpu) : median in ms if every sample passed
	local f=$1
	[ -s "$f" ] || return 0
	awk -v s="$2" '$1 == s && $4 != 0 {bad = 1} END {exit bad}' "$f" || return 0
	awk -v s="$2" -v c="$3" '$1 == s {print $c / 1000}' "$f" | median
}
csd_sum() { # FILE COLUMN: median over iterations of create+start+delete
	local f=$1
	[ -s "$f" ] || return 0
	awk '$4 != 0 {bad = 1} END {exit bad}' "$f" || return 0
	awk -v c="$2" '{sum += $c} $1 == 2 {print sum / 1000; sum = 0}' "$f" | median
}
value() {
	local m=$1 rt=$2 r=$WORK/raw
	case "$m" in
	run_wall) timing "$r/run.$rt" 0 2 ;;
	run_cpu) timing "$r/run.$rt" 0 3 ;;
	create_wall) timing "$r/csd.$rt" 0 2 ;;
	start_wall) timing "$r/csd.$rt" 1 2 ;;
	delete_wall) timing "$r/csd.$rt" 2 2 ;;
	csd_wall) csd_sum "$r/csd.$rt" 2 ;;
	csd_cpu) csd_sum "$r/csd.$rt" 3 ;;
	exec_wall) timing "$r/exec.$rt" 0 2 ;;
	exec_cpu) timing "$r/exec.$rt" 0 3 ;;
	par_wall) timing "$r/par.$rt" 0 2 ;;
	rss) [ -s "$r/rss.$rt" ] && awk '{print $1 / 1024}' "$r/rss.$rt" | median ;;
	init_hwm) [ -s "$r/initrss.$rt" ] && awk '{print $1 / 1024}' "$r/initrss.$rt" | median ;;
	init_rss) [ -s "$r/initrss.$rt" ] && awk '{print $2 / 1024}' "$r/initrss.$rt" | median ;;
	init_priv) [ -s "$r/initrss.$rt" ] && awk 'NF >= 3 {print $3 / 1024}' "$r/initrss.$rt" | median ;;
	syscalls) [ -s "$r/strace.$rt" ] && awk '{print $1}' "$r/strace.$rt" | median ;;
	tasks) [ -s "$r/strace.$rt" ] && awk '{print $2}' "$r/strace.$rt" | median ;;
	execs) [ -s "$r/strace.$rt" ] && awk '{print $3}' "$r/strace.$rt" | median ;;
	memlimit) [ -s "$r/mem.$rt" ] && cat "$r/mem.$rt" ;;
	esac
	return 0
}
fmt() { # MEASURE VALUE
	case "$1" in
	memlimit)
		case "$2" in
		'<='* | '>'*) printf '%s%d KiB' "${2%%[0-9]*}" $((${2#"${2%%[0-9]*}"} / 1024)) ;;
		*) printf '%d KiB' $(($2 / 1024)) ;;
		esac ;;
	rss | init_hwm | init_rss | init_priv) printf '%.2f MiB' "$2" ;;
	syscalls | tasks | execs) printf '%.0f' "$2" ;;
	*) printf '%.2f ms' "$2" ;;
	esac
}

ROWS=(
	"run_wall|run /bin/true: wall"
	"run_cpu|run /bin/true: cpu (user+sys, tree)"
	"create_wall|create: wall"
	"start_wall|start: wall"
	"delete_wall|delete: wall"
	"csd_wall|create+start+delete: wall"
	"csd_cpu|create+start+delete: cpu"
	"exec_wall|exec /bin/true: wall"
	"exec_cpu|exec /bin/true: cpu"
	"par_wall|20 containers, 2 at a time: wall"
	"rss|peak RSS of run (time -f %M)"
	"init_hwm|init between create/start: VmHWM"
	"init_rss|init between create/start: VmRSS"
	"init_priv|init between create/start: private"
	"syscalls|syscalls per run (strace -f)"
	"tasks|tasks created per run"
	"execs|execve per run"
	"memlimit|smallest memory limit for run"
)
# The floor row each measurement is compared with (create+start+delete against the floor's run).
floor_row() {
	case "$1" in
	csd_wall) echo run_wall ;;
	csd_cpu) echo run_cpu ;;
	create_wall | start_wall | delete_wall | init_hwm | init_rss | init_priv | memlimit) ;;
	*) echo "$1" ;;
	esac
}

table() {
	local base= rt row key label v fv fr cell
	[[ " ${RUNTIMES[*]} " == *" floor "* ]] && base=floor
	[ "$SECCOMP" = 1 ] && base=
	printf '| %-38s |' "measurement (median)"
	for rt in "${RUNTIMES[@]}"; do printf ' %-22s |' "$rt"; done
	echo
	printf '|%s|' "$(printf -- '-%.0s' $(seq 40))"
	for rt in "${RUNTIMES[@]}"; do printf '%s|' "$(printf -- '-%.0s' $(seq 24))"; done
	echo
	for row in "${ROWS[@]}"; do
		key=${row%%|*} label=${row#*|}
		printf '| %-38s |' "$label"
		fr=$(floor_row "$key")
		fv=
		[ -n "$base" ] && [ -n "$fr" ] && fv=$(value "$fr" "$base")
		for rt in "${RUNTIMES[@]}"; do
			v=$(value "$key" "$rt")
			if [ -z "$v" ]; then
				cell=n/a
			else
				cell=$(fmt "$key" "$v")
				if [ -n "$fv" ] && [ "$rt" != "$base" ] && [ "$key" != memlimit ] &&
					awk -v a="$fv" 'BEGIN {exit !(a > 0)}'; then
					cell+=$(awk -v a="$v" -v b="$fv" 'BEGIN {printf " (%.1fx)", a / b}')
				fi
			fi
			printf ' %-22s |' "$cell"
		done
		echo
	done
}

inner() {
	remount_cgroups || { echo "run.sh: cannot remount the cgroup hierarchies" >&2; exit 1; }
	# hull as installed the recommended way: its binary on a read-only mount (README), here a read-only
	# bind of the build output, private to this mount namespace
	if [ -x "$REPO/build/src/hull" ]; then
		mkdir -p "$WORK/ro" && : >"$WORK/ro/hull" &&
			mount --bind "$REPO/build/src/hull" "$WORK/ro/hull" &&
			mount -o remount,bind,ro "$WORK/ro/hull" || log "cannot bind hull read-only"
	fi
	local load0 load1
	load0=$(cut -d' ' -f1 /proc/loadavg)
	awk -v l="$load0" 'BEGIN {exit !(l > 0.5)}' &&
		log "warning: load average is $load0: other work on this machine will make wall times noisy"
	mkdir -p "$WORK/raw" "$WORK/err" "$WORK/state"
	local rt round
	for rt in "${RUNTIMES[@]}"; do : >"$WORK/err/$rt.log"; done

	write_config "$WORK/b/run" run '["/bin/true"]'
	write_config "$WORK/b/sleep" sleep '["/bin/sleep", "1000"]'
	write_config "$WORK/b/lane0" lane0 '["/bin/true"]'
	write_config "$WORK/b/lane1" lane1 '["/bin/true"]'

	local rounds_run=10 rounds_csd=6 rounds_par=5 n_rss=5 n_strace=3
	CHUNK=12
	if [ "$QUICK" = 1 ]; then rounds_run=2 rounds_csd=2 rounds_par=1 n_rss=1 n_strace=1 CHUNK=5; fi

	# A runtime that cannot run one container is skipped everywhere (n/a), not retried 1000 times.
	# The check runs `sh -c 'exit 7'` and wants 7 back, so a runtime that does nothing fails it.
	local ok=() st
	write_config "$WORK/b/check" check '["/bin/sh", "-c", "exit 7"]'
	for rt in "${RUNTIMES[@]}"; do
		RT=$rt st=0
		if is_floor "$rt"; then
			"$WORK/timeit" -t 60 -e "$WORK/err/$rt.log" -- "$WORK/floor" $(floor_cg "$rt" fl-check) \
				"$WORK/rootfs" /bin/sh -c 'exit 7' | grep -q ' 7$' || st=1
		elif [[ "$rt" == hull* ]] && [ ! -x "$REPO/build/src/hull" ]; then
			echo "build/src/hull missing" >>"$WORK/err/$rt.log"
			st=1
		else
			"$WORK/timeit" -t 60 -e "$WORK/err/$rt.log" -- $(rtcmd "$rt") run -b "$WORK/b/check" b-check |
				grep -q ' 7$' || st=1
		fi
		if [ $st = 0 ]; then
			ok+=("$rt")
		else
			log "$rt cannot run a container (run of sh -c 'exit 7' did not exit 7): n/a"
			rt_cleanup "$rt" b-check
		fi
	done

	log "1. run ($((rounds_run * CHUNK)) samples each, interleaved in chunks of $CHUNK)"
	for round in $(seq $rounds_run); do for RT in "${ok[@]}"; do m_run; done; done
	log "2. create/start/delete"
	for round in $(seq $rounds_csd); do for RT in "${ok[@]}"; do m_csd; done; done
	log "3. exec"
	for rt in "${ok[@]}"; do exec_setup "$rt" || log "$rt: cannot start the container for exec"; done
	for round in $(seq $rounds_csd); do for RT in "${ok[@]}"; do m_exec; done; done
	for rt in "${ok[@]}"; do exec_teardown "$rt"; done
	log "4. 20 containers, 2 at a time"
	for round in $(seq $rounds_par); do for RT in "${ok[@]}"; do m_par; done; done
	log "5. peak RSS"
	for round in $(seq $n_rss); do for RT in "${ok[@]}"; do m_rss; done; done
	log "6. strace"
	for STRACE_N in $(seq $n_strace); do for RT in "${ok[@]}"; do m_strace; done; done
	log "7. memory limit bisection"
	for RT in "${ok[@]}"; do m_memlimit; done
	cgroup_tidy

	local hdr
	hdr="$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) cpus, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	hdr+=", runc $(runc --version 2>/dev/null | awk 'NR == 1 {print $3}'), crun $(crun --version 2>/dev/null | awk 'NR == 1 {print $3}')"
	hdr+=", hull $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
	load1=$(cut -d' ' -f1 /proc/loadavg)
	hdr+=", load average $load0 at start, $load1 at end"
	[ "$SECCOMP" = 1 ] && hdr+=", podman-like seccomp profile"
	[ "$QUICK" = 1 ] && hdr+=", --quick"
	{
		echo "$hdr"
		echo
		table
	} >"$WORK/table.md"
	cat "$WORK/table.md"
	[ -n "$OUT" ] && cp "$WORK/table.md" "$OUT"
	for rt in "${RUNTIMES[@]}"; do
		if [ -s "$WORK/err/$rt.log" ]; then
			log "stderr of $rt (last lines; all in $WORK/err/$rt.log with --keep):"
			tail -n 5 "$WORK/err/$rt.log" | sed 's/^/    /' >&2
		fi
	done
	return 0
}

ARGS=("$@")
# Re-exec arguments: rebuild them from the parsed options.
ARGS=()
[ "$QUICK" = 1 ] && ARGS+=(--quick)
[ "$SECCOMP" = 1 ] && ARGS+=(--seccomp)
[ "$KEEP" = 1 ] && ARGS+=(--keep)
[ -n "$OUT" ] && ARGS+=(--out "$OUT")
ARGS+=("${RUNTIMES[@]}")

if [ -z "${HULL_BENCH_INNER:-}" ]; then
	outer
else
	inner
fi
