#!/usr/bin/env bats
# cgroups: the linux.resources fields beyond the basics of cgroups.bats: blkio/io, hugetlb, rdma, misc,
# net_cls/net_prio, the rarer memory and cpu fields, unified keys, `update` per controller family,
# `events --stats` and the streamed OOM event.
# The same file runs on the host (cgroup v1 / hybrid) and inside the cgroup-v2 VM (tests/vm).  Every
# test reads the value back from the container's cgroup files and, where it is cheap to measure,
# checks the effect.  A test that cannot apply on one kind of host skips with the reason.

load helpers

ID=test_res

setup() {
	requires root
	setup_bundle
	update_config '.mounts |= map(select(.type != "cgroup"))'
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"}]'
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		CG_V2=1
		CG_PARENT=${HULL_TEST_CGROUP_PARENT:-/test}
		update_config ".linux.cgroupsPath = \"$CG_PARENT/$ID\""
	else
		CG_V2=
		requires cgroups_v1
	fi
	LOOP=
}

teardown() {
	if [ -n "${EVENTS_PID:-}" ]; then
		kill "$EVENTS_PID" 2>/dev/null || true
		wait "$EVENTS_PID" 2>/dev/null || true
	fi
	# the container must be gone before its device can be detached
	timeout -k 5 30 "$HULL" --root "$HULL_ROOT" delete --force "$ID" </dev/null >/dev/null 2>&1 3>&- || true
	[ -n "${LOOP:-}" ] && losetup -d "$LOOP" 2>/dev/null
	teardown_bundle
}

# cg_dir CONTROLLER: the container's v1 directory for CONTROLLER, or its cgroup2 directory (also the
# cgroup2 one on a hybrid host when CONTROLLER is "unified").
cg_dir() {
	local pid line
	pid=$(hull_state_field $ID pid)
	[ -n "$pid" ] && [ "$pid" != null ] || fail "no pid for $ID"
	if [ -n "$CG_V2" ]; then
		line=$(grep '^0::' "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup${line#0::}"
	elif [ "$1" = unified ]; then
		line=$(grep '^0::' "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup/unified${line#0::}"
	else
		line=$(grep -E "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup/$1${line#*:*:}"
	fi
}

# cg_read CONTROLLER FILE
cg_read() {
	cat "$(cg_dir "$1")/$2"
}

run_detached() {
	hull run -d --bundle "$BUNDLE" $ID
	assert_success
	wait_for_container $ID running
}

delete_ctr() {
	hull delete --force $ID
	assert_success
}

# hull_stdin INPUT ARGS...: hull with INPUT on its standard input (the `hull` helper gives it /dev/null),
# as containerd runs `update --resources -`.
hull_stdin() {
	local input=$1
	shift
	run bash -c '"$0" --root "$1" "${@:3}" <<<"$2" 3>&-' "$HULL" "$HULL_ROOT" "$input" "$@"
	echo "hull $* <<<$input (status=$status):" >&2
	echo "$output" >&2
}

# The container's cgroup directories must not exist (a refused config leaves nothing behind).
assert_no_cgroup() {
	local d
	d=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d -name $ID -newer "$BATS_TEST_TMPDIR/.start" 2>/dev/null)
	[ -z "$d" ] || fail "cgroup left behind: $d"
	[ ! -d "$HULL_ROOT/$ID" ] || fail "state left behind in $HULL_ROOT/$ID"
}

# loop_setup: a fresh 16 MiB loop device in $LOOP, its numbers in $LOOP_MAJ/$LOOP_MIN; detached in teardown.
# In the VM the loop driver is loaded from the kernel package the VM booted.
loop_setup() {
	command -v losetup >/dev/null || skip "needs losetup"
	if [ ! -e /dev/loop-control ] && [ "${HULL_VM:-}" = 1 ]; then
		local ko
		ko=$(find "${HULL_VM_CACHE:-$HULL_SRC/tests/.cache/vm}/${HULL_VM_KERNEL:-none}/lib/modules" -name loop.ko 2>/dev/null | head -n1)
		[ -n "$ko" ] && busybox insmod "$ko" 2>/dev/null
		for _ in $(seq 20); do [ -e /dev/loop-control ] && break; sleep 0.1; done
	fi
	[ -e /dev/loop-control ] || skip "no loop device support"
	truncate -s 16M "$BATS_TEST_TMPDIR/loop.img"
	LOOP=$(losetup --show -f "$BATS_TEST_TMPDIR/loop.img") || skip "losetup failed"
	local mm
	mm=$(cat "/sys/block/${LOOP#/dev/}/dev")
	LOOP_MAJ=${mm%:*} LOOP_MIN=${mm#*:}
}

# ---- blkio / io ---------------------------------------------------------------------------------

@test "cgroups-resources [blkio weight (v1 blkio.weight or blkio.bfq.weight, v2 io.weight or io.bfq.weight)]" {
	update_config '.linux.resources.blockIO = {"weight": 500}'
	run_detached
	local dir
	dir=$(cg_dir blkio)
	if [ -n "$CG_V2" ]; then
		if [ -f "$dir/io.bfq.weight" ]; then
			grep -qx 'default 500' "$dir/io.bfq.weight" || fail "io.bfq.weight: $(cat "$dir/io.bfq.weight")"
		else
			# runc's conversion 10..1000 → 1..10000: 1 + (500 - 10) * 9999 / 990 = 4950
			grep -qx 'default 4950' "$dir/io.weight" || fail "io.weight: $(cat "$dir/io.weight")"
		fi
	elif [ -f "$dir/blkio.weight" ]; then
		[ "$(cat "$dir/blkio.weight")" = 500 ]
	elif [ -f "$dir/blkio.bfq.weight" ]; then
		grep -Eqx '(default )?500' "$dir/blkio.bfq.weight" || fail "blkio.bfq.weight: $(cat "$dir/blkio.bfq.weight")"
	else
		skip "no blkio weight file (neither CFQ nor BFQ)"
	fi
	delete_ctr
}

@test "cgroups-resources [blkio weightDevice on a loop device]" {
	loop_setup
	local io_w
	if [ -n "$CG_V2" ] && [ ! -f "/sys/fs/cgroup$CG_PARENT/io.bfq.weight" ]; then
		# per-device io.weight needs the iocost controller enabled on the device (the VM is throwaway)
		echo "$LOOP_MAJ:$LOOP_MIN enable=1" >/sys/fs/cgroup/io.cost.qos 2>/dev/null ||
			skip "cannot enable iocost on $LOOP"
		io_w=1
	else
		# blkio.bfq.weight_device needs BFQ as the device's scheduler
		echo bfq >"/sys/block/${LOOP#/dev/}/queue/scheduler" 2>/dev/null || skip "no bfq scheduler for $LOOP"
	fi
	update_config ".linux.resources.blockIO = {\"weightDevice\": [{\"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN, \"weight\": 300}]}"
	run_detached
	local dir
	dir=$(cg_dir blkio)
	if [ -n "$CG_V2" ]; then
		if [ -n "$io_w" ]; then
			# 1 + (300 - 10) * 9999 / 990 = 2930
			grep -qx "$LOOP_MAJ:$LOOP_MIN 2930" "$dir/io.weight" || fail "io.weight: $(cat "$dir/io.weight")"
		else
			grep -qx "$LOOP_MAJ:$LOOP_MIN 300" "$dir/io.bfq.weight" || fail "io.bfq.weight: $(cat "$dir/io.bfq.weight")"
		fi
	else
		local f=blkio.weight_device
		[ -f "$dir/$f" ] || f=blkio.bfq.weight_device
		grep -qx "$LOOP_MAJ:$LOOP_MIN 300" "$dir/$f" || fail "$f: $(cat "$dir/$f")"
	fi
	delete_ctr
}

@test "cgroups-resources [blkio throttle bps/iops on a loop device, read rate limited]" {
	loop_setup
	local rbps=$((512 * 1024))
	update_config ".linux.resources.blockIO = {
		\"throttleReadBpsDevice\": [{\"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN, \"rate\": $rbps}],
		\"throttleWriteBpsDevice\": [{\"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN, \"rate\": 2097152}],
		\"throttleReadIOPSDevice\": [{\"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN, \"rate\": 1000}],
		\"throttleWriteIOPSDevice\": [{\"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN, \"rate\": 200}]}"
	# the device inside the container, allowed in the device cgroup
	update_config ".linux.devices += [{\"path\": \"/dev/hull-loop\", \"type\": \"b\", \"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN}]
		| .linux.resources.devices += [{\"allow\": true, \"type\": \"b\", \"major\": $LOOP_MAJ, \"minor\": $LOOP_MIN, \"access\": \"rwm\"}]"
	# 1 MiB of O_DIRECT reads at 512 KiB/s: about 2 s (unthrottled: milliseconds)
	set_args sh -c 'read a _ </proc/uptime; dd if=/dev/hull-loop of=/dev/null bs=64k count=16 iflag=direct 2>/tmp/dd.err || echo dd-failed >>/tmp/dd.err
		read b _ </proc/uptime; echo "$a $b" >/tmp/elapsed.tmp; mv /tmp/elapsed.tmp /tmp/elapsed; exec sleep 3600'
	run_detached
	local dir
	dir=$(cg_dir blkio)
	if [ -n "$CG_V2" ]; then
		grep -qx "$LOOP_MAJ:$LOOP_MIN rbps=$rbps wbps=2097152 riops=1000 wiops=200" "$dir/io.max" ||
			fail "io.max: $(cat "$dir/io.max")"
	else
		grep -qx "$LOOP_MAJ:$LOOP_MIN $rbps" "$dir/blkio.throttle.read_bps_device"
		grep -qx "$LOOP_MAJ:$LOOP_MIN 2097152" "$dir/blkio.throttle.write_bps_device"
		grep -qx "$LOOP_MAJ:$LOOP_MIN 1000" "$dir/blkio.throttle.read_iops_device"
		grep -qx "$LOOP_MAJ:$LOOP_MIN 200" "$dir/blkio.throttle.write_iops_device"
	fi
	wait_for_file "$ROOTFS/tmp/elapsed" 300
	delete_ctr
	! grep -q dd-failed "$ROOTFS/tmp/dd.err" 2>/dev/null ||
		fail "dd failed: $(cat "$ROOTFS/tmp/dd.err")"
	# effect: 1 MiB at 512 KiB/s takes about 2 s; allow the throttle's first slice
	awk '{ d = $2 - $1; print "read took " d " s"; exit !(d >= 1.0) }' "$ROOTFS/tmp/elapsed" ||
		fail "the read was not throttled: $(cat "$ROOTFS/tmp/elapsed")"
}

# ---- hugetlb ------------------------------------------------------------------------------------

@test "cgroups-resources [hugetlb 2MB limit (v1 limit_in_bytes, cgroup2 max and rsvd.max)]" {
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2MB huge pages on this kernel"
	local lim=$((4 * 1024 * 1024))
	update_config ".linux.resources.hugepageLimits = [{\"pageSize\": \"2MB\", \"limit\": $lim}]"
	if [ -z "$CG_V2" ] && ! grep -qw hugetlb /proc/self/mounts && [ -f /sys/fs/cgroup/unified/cgroup.controllers ]; then
		# hybrid host with hugetlb only in the cgroup2 tree: hull applies it there, which needs the
		# controller enabled on every level; the sandbox's own cgroup2 directory holds processes and
		# cannot enable it, so this test uses an absolute path (from the hierarchy roots)
		update_config ".linux.cgroupsPath = \"/hull-res-$BATS_ROOT_PID/$ID\""
	fi
	run_detached
	local pid
	pid=$(hull_state_field $ID pid)
	if [ -z "$CG_V2" ] && grep -qE '^[0-9]+:([^:]*,)?hugetlb(,[^:]*)?:' "/proc/$pid/cgroup"; then
		[ "$(cg_read hugetlb hugetlb.2MB.limit_in_bytes)" = $lim ]
	else
		local dir
		dir=$(cg_dir unified)
		[ -f "$dir/hugetlb.2MB.max" ] || fail "hugetlb not enabled in $dir (controllers: $(cat "$dir/cgroup.controllers"))"
		[ "$(cat "$dir/hugetlb.2MB.max")" = $lim ]
		if [ -f "$dir/hugetlb.2MB.rsvd.max" ]; then
			[ "$(cat "$dir/hugetlb.2MB.rsvd.max")" = $lim ]
		fi
	fi
	delete_ctr
	local d
	for d in /sys/fs/cgroup/*/"hull-res-$BATS_ROOT_PID" /sys/fs/cgroup/"hull-res-$BATS_ROOT_PID"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	true
}

@test "cgroups-resources [relative cgroupsPath: the cgroup2 directory is below hull's own cgroup too]" {
	requires cgroups_v2
	update_config 'del(.linux.cgroupsPath)'
	run_detached
	local pid self ctr
	pid=$(hull_state_field $ID pid)
	self=$(grep '^0::' /proc/self/cgroup)
	ctr=$(grep '^0::' "/proc/$pid/cgroup")
	self=${self#0::}
	[ "$ctr" = "0::${self%/}/$ID" ] || fail "container in $ctr, hull runs in 0::$self"
	delete_ctr
}

# ---- rdma, misc, net_cls / net_prio ----------------------------------------------------------------

@test "cgroups-resources [rdma limit for a device that does not exist]" {
	update_config '.linux.resources.rdma = {"hull-nodev0": {"hcaHandles": 3, "hcaObjects": 10}}'
	if [ -n "$CG_V2" ]; then
		# the kernel refuses a limit for an unknown device (ENODEV) and so does runc: the container
		# is not created and nothing is left behind
		hull run -d --bundle "$BUNDLE" $ID
		assert_failure
		assert_output --partial rdma.max
		assert_output --partial hull-nodev0
		assert_no_cgroup
	else
		# no rdma controller in v1 here: ignored with a warning, as runc does for an absent controller
		grep -qw rdma /proc/cgroups && skip "rdma controller present: the device test needs v2"
		run_detached
		assert_output --partial "rdma is not mounted"
		delete_ctr
	fi
}

@test "cgroups-resources [misc limit through a unified key]" {
	requires cgroups_unified
	local res
	res=$(awk 'NR == 1 { print $1 }' /sys/fs/cgroup/misc.capacity 2>/dev/null)
	if [ -n "$res" ]; then
		update_config ".linux.resources.unified = {\"misc.max\": \"$res 1\"}"
		run_detached
		grep -qx "$res 1" "$(cg_dir misc)/misc.max" || fail "misc.max: $(cat "$(cg_dir misc)/misc.max")"
		delete_ctr
	else
		# no misc resource on this machine (no SEV): a limit for an unknown one is refused by the
		# kernel and hull reports the file and the value
		update_config '.linux.resources.unified = {"misc.max": "hull-nores 1"}'
		hull run -d --bundle "$BUNDLE" $ID
		assert_failure
		assert_output --partial misc.max
		assert_no_cgroup
	fi
}

@test "cgroups-resources [net_cls classID and net_prio priorities]" {
	update_config '.linux.resources.network = {"classID": 1048577, "priorities": [{"name": "lo", "priority": 5}]}'
	if [ -n "$CG_V2" ]; then
		# no net_cls/net_prio on cgroup v2: ignored, as runc does
		run_detached
		delete_ctr
		return
	fi
	run_detached
	if grep -qw net_cls /proc/self/mounts; then
		[ "$(cg_read net_cls net_cls.classid)" = 1048577 ]
	else
		assert_output --partial "net_cls is not mounted"
	fi
	if grep -qw net_prio /proc/self/mounts; then
		grep -qx 'lo 5' "$(cg_dir net_prio)/net_prio.ifpriomap"
	else
		assert_output --partial "net_prio is not mounted"
	fi
	delete_ctr
}

# ---- memory -------------------------------------------------------------------------------------

@test "cgroups-resources [memory swappiness and disableOOMKiller (v1): a process over the limit waits]" {
	requires cgroups_v1
	[ -z "$CG_V2" ] || skip "requires cgroups_v1"
	update_config '.linux.resources.memory = {"limit": 16777216, "swappiness": 30, "disableOOMKiller": true}'
	# the memory must be touched from user space: a charge failing inside a syscall (tail /dev/zero's
	# read) returns an error instead of waiting
	set_args awk 'BEGIN { s = "xxxxxxxxxxxxxxxx"; while (1) s = s s }'
	run_detached
	[ "$(cg_read memory memory.swappiness)" = 30 ]
	local dir
	dir=$(cg_dir memory)
	grep -qx 'oom_kill_disable 1' "$dir/memory.oom_control"
	# effect: the process is not killed, the cgroup sits under OOM
	for _ in $(seq 100); do grep -qx 'under_oom 1' "$dir/memory.oom_control" && break; sleep 0.1; done
	grep -qx 'under_oom 1' "$dir/memory.oom_control" || fail "$(cat "$dir/memory.oom_control")"
	grep -qx 'oom_kill 0' "$dir/memory.oom_control"
	[ "$(hull_state_field $ID status)" = running ]
	delete_ctr
}

@test "cgroups-resources [memory reservation and swap (v2 memory.low, memory.swap.max = swap - limit)]" {
	local lim=$((32 * 1024 * 1024))
	update_config ".linux.resources.memory = {\"limit\": $lim, \"swap\": $((lim * 2)), \"reservation\": $((lim / 2))}"
	run_detached
	if [ -n "$CG_V2" ]; then
		[ "$(cg_read memory memory.max)" = $lim ]
		[ "$(cg_read memory memory.low)" = $((lim / 2)) ]
		[ "$(cg_read memory memory.swap.max)" = $lim ]
	else
		[ "$(cg_read memory memory.limit_in_bytes)" = $lim ]
		[ "$(cg_read memory memory.soft_limit_in_bytes)" = $((lim / 2)) ]
		if [ -f "$(cg_dir memory)/memory.memsw.limit_in_bytes" ]; then
			[ "$(cg_read memory memory.memsw.limit_in_bytes)" = $((lim * 2)) ]
		fi
	fi
	delete_ctr
}

@test "cgroups-resources [kernel memory limits are ignored with a warning]" {
	update_config '.linux.resources.memory = {"limit": 33554432, "kernel": 16777216, "kernelTCP": 8388608}'
	run_detached
	assert_output --regexp 'warning: .*memory.kernel.* ignoring'
	assert_output --regexp 'warning: .*kernelTCP.* ignoring'
	if [ -n "$CG_V2" ]; then
		[ "$(cg_read memory memory.max)" = 33554432 ]
	else
		[ "$(cg_read memory memory.limit_in_bytes)" = 33554432 ]
		# kmem left at the kernel's default
		local k
		k=$(cg_read memory memory.kmem.limit_in_bytes 2>/dev/null || echo none)
		[ "$k" != 16777216 ]
	fi
	delete_ctr
}

# ---- cpu ----------------------------------------------------------------------------------------

@test "cgroups-resources [cpu realtime runtime and period (v1), refused on v2]" {
	if [ -n "$CG_V2" ]; then
		update_config '.linux.resources.cpu = {"realtimeRuntime": 10000, "realtimePeriod": 1000000}'
		hull run -d --bundle "$BUNDLE" $ID
		assert_failure
		assert_output --partial realtime
		assert_no_cgroup
		return
	fi
	[ -f /sys/fs/cgroup/cpu/cpu.rt_runtime_us ] || skip "kernel without CONFIG_RT_GROUP_SCHED"
	requires_rt_budget 10000 1000000
	update_config '.linux.resources.cpu = {"realtimeRuntime": 10000, "realtimePeriod": 1000000}'
	run_detached
	[ "$(cg_read cpu cpu.rt_runtime_us)" = 10000 ]
	[ "$(cg_read cpu cpu.rt_period_us)" = 1000000 ]
	delete_ctr
}

@test "cgroups-resources [cpu idle]" {
	update_config '.linux.resources.cpu = {"idle": 1}'
	run_detached
	local dir
	dir=$(cg_dir cpu)
	[ -f "$dir/cpu.idle" ] || skip "kernel without cpu.idle"
	[ "$(cat "$dir/cpu.idle")" = 1 ]
	delete_ctr
}

@test "cgroups-resources [cpu burst (v2 cpu.max.burst, v1 cpu.cfs_burst_us)]" {
	update_config '.linux.resources.cpu = {"quota": 50000, "period": 100000, "burst": 20000}'
	run_detached
	if [ -n "$CG_V2" ]; then
		[ "$(cg_read cpu cpu.max)" = "50000 100000" ]
		[ -f "$(cg_dir cpu)/cpu.max.burst" ] || skip "kernel without cpu.max.burst"
		[ "$(cg_read cpu cpu.max.burst)" = 20000 ]
	else
		[ "$(cg_read cpu cpu.cfs_quota_us)" = 50000 ]
		[ -f "$(cg_dir cpu)/cpu.cfs_burst_us" ] || skip "kernel without cpu.cfs_burst_us"
		[ "$(cg_read cpu cpu.cfs_burst_us)" = 20000 ]
	fi
	delete_ctr
}

# ---- unified keys -------------------------------------------------------------------------------

@test "cgroups-resources [unified: a valid key is written]" {
	requires cgroups_unified
	update_config '.linux.resources.unified = {"memory.high": "50331648", "pids.max": "42"}'
	run_detached
	[ "$(cg_read memory memory.high)" = 50331648 ]
	[ "$(cg_read pids pids.max)" = 42 ]
	delete_ctr
}

@test "cgroups-resources [unified: keys with / or .. and keys of a controller not enabled are refused]" {
	local key
	for key in 'memory/../memory.max' '..' 'hull.x/y' 'net_cls.classid'; do
		update_config ".linux.resources.unified = {\"$key\": \"1\"}"
		hull run -d --bundle "$BUNDLE" $ID
		assert_failure
		if [ -n "$CG_V2" ] || [ -f /sys/fs/cgroup/unified/cgroup.controllers ]; then
			assert_output --partial "linux.resources.unified"
			assert_output --partial "$key"
			if [ "$key" = net_cls.classid ]; then
				assert_output --partial "not enabled"
			else
				assert_output --partial "invalid key"
			fi
		else
			assert_output --partial "needs cgroup v2"
		fi
		assert_no_cgroup
	done
	if [ -z "$CG_V2" ] && [ -f /sys/fs/cgroup/unified/cgroup.controllers ]; then
		# hybrid: memory is a v1 controller, the cgroup2 tree does not have it
		update_config '.linux.resources.unified = {"memory.high": "50331648"}'
		hull run -d --bundle "$BUNDLE" $ID
		assert_failure
		assert_output --partial "controller \`memory\` is not enabled"
		assert_no_cgroup
	fi
}

# ---- update -------------------------------------------------------------------------------------

@test "cgroups-resources [update: memory, cpu, pids, blkio flags read back]" {
	update_config '.linux.resources = (.linux.resources + {"memory": {"limit": 67108864}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000}, "pids": {"limit": 100}, "blockIO": {"weight": 500}})'
	run_detached
	hull update --memory 48m --memory-reservation 16m --cpu-share 512 --cpu-quota 20000 --cpu-period 50000 \
		--cpu-burst 10000 --pids-limit 50 --blkio-weight 300 $ID
	assert_success
	local bdir
	bdir=$(cg_dir blkio)
	if [ -n "$CG_V2" ]; then
		[ "$(cg_read memory memory.max)" = $((48 << 20)) ]
		[ "$(cg_read memory memory.low)" = $((16 << 20)) ]
		[ "$(cg_read cpu cpu.weight)" = 59 ]
		[ "$(cg_read cpu cpu.max)" = "20000 50000" ]
		[ ! -f "$(cg_dir cpu)/cpu.max.burst" ] || [ "$(cg_read cpu cpu.max.burst)" = 10000 ]
		if [ -f "$bdir/io.bfq.weight" ]; then
			grep -qx 'default 300' "$bdir/io.bfq.weight"
		else
			grep -qx 'default 2930' "$bdir/io.weight" || fail "io.weight: $(cat "$bdir/io.weight")"
		fi
	else
		[ "$(cg_read memory memory.limit_in_bytes)" = $((48 << 20)) ]
		[ "$(cg_read memory memory.soft_limit_in_bytes)" = $((16 << 20)) ]
		[ "$(cg_read cpu cpu.shares)" = 512 ]
		[ "$(cg_read cpu cpu.cfs_quota_us)" = 20000 ]
		[ "$(cg_read cpu cpu.cfs_period_us)" = 50000 ]
		[ ! -f "$(cg_dir cpu)/cpu.cfs_burst_us" ] || [ "$(cg_read cpu cpu.cfs_burst_us)" = 10000 ]
		if [ -f "$bdir/blkio.weight" ]; then
			[ "$(cat "$bdir/blkio.weight")" = 300 ]
		elif [ -f "$bdir/blkio.bfq.weight" ]; then
			grep -Eqx '(default )?300' "$bdir/blkio.bfq.weight"
		fi
	fi
	[ "$(cg_read pids pids.max)" = 50 ]
	# cpuset and idle
	hull update --cpuset-cpus 0 --cpuset-mems 0 --cpu-idle 1 $ID
	assert_success
	[ "$(cg_read cpuset cpuset.cpus)" = 0 ]
	[ ! -f "$(cg_dir cpu)/cpu.idle" ] || [ "$(cg_read cpu cpu.idle)" = 1 ]
	delete_ctr
}

@test "cgroups-resources [update --cpu-rt-period and --cpu-rt-runtime (v1)]" {
	[ -z "$CG_V2" ] || skip "no realtime group scheduling on cgroup v2"
	[ -f /sys/fs/cgroup/cpu/cpu.rt_runtime_us ] || skip "kernel without CONFIG_RT_GROUP_SCHED"
	requires_rt_budget 5000 1000000
	run_detached
	hull update --cpu-rt-period 1000000 --cpu-rt-runtime 5000 $ID
	assert_success
	[ "$(cg_read cpu cpu.rt_runtime_us)" = 5000 ]
	[ "$(cg_read cpu cpu.rt_period_us)" = 1000000 ]
	delete_ctr
}

@test "cgroups-resources [update --resources - (containerd): every family read back]" {
	update_config '.linux.resources = (.linux.resources + {"memory": {"limit": 67108864}, "pids": {"limit": 100}})'
	run_detached
	# what containerd's runc shim sends: the whole linux.resources object on stdin
	local json
	json=$(jq -c '.linux.resources | .memory = {"limit": 50331648, "reservation": 8388608}
		| .cpu = {"shares": 256, "quota": 30000, "period": 100000}
		| .pids = {"limit": 33} | .blockIO = {"weight": 200}
		| .hugepageLimits = [{"pageSize": "2MB", "limit": 2097152}]' "$BUNDLE/config.json")
	if [ -n "$CG_V2" ]; then
		json=$(jq -c '.unified = {"memory.high": "41943040"}' <<<"$json")
	fi
	hull_stdin "$json" update --resources - $ID
	assert_success
	[ "$(cg_read pids pids.max)" = 33 ]
	if [ -n "$CG_V2" ]; then
		[ "$(cg_read memory memory.max)" = 50331648 ]
		[ "$(cg_read memory memory.low)" = 8388608 ]
		[ "$(cg_read memory memory.high)" = 41943040 ]
		[ "$(cg_read cpu cpu.max)" = "30000 100000" ]
		[ "$(cg_read hugetlb hugetlb.2MB.max)" = 2097152 ]
	else
		[ "$(cg_read memory memory.limit_in_bytes)" = 50331648 ]
		[ "$(cg_read memory memory.soft_limit_in_bytes)" = 8388608 ]
		[ "$(cg_read cpu cpu.shares)" = 256 ]
		[ "$(cg_read cpu cpu.cfs_quota_us)" = 30000 ]
	fi
	# flags override the file's values
	hull_stdin '{"pids": {"limit": 40}}' update -r - --pids-limit 41 $ID
	assert_success
	[ "$(cg_read pids pids.max)" = 41 ]
	delete_ctr
}

# ---- events -------------------------------------------------------------------------------------

@test "cgroups-resources [events --stats: cpu, memory, pids, blkio and hugetlb fields]" {
	update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 20}'
	set_args sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exec sleep 3600'
	run_detached
	sleep 0.5
	hull events --stats $ID
	assert_success
	local ev=$output
	[ "$(jq -r .type <<<"$ev")" = stats ]
	jq -e '.data.cpu.usage.total > 0' <<<"$ev" >/dev/null || fail "cpu: $(jq -c .data.cpu <<<"$ev")"
	jq -e '.data.cpu.usage | has("kernel") and has("user")' <<<"$ev" >/dev/null || fail "cpu: $(jq -c .data.cpu <<<"$ev")"
	jq -e '.data.memory.usage.usage > 0' <<<"$ev" >/dev/null || fail "memory: $(jq -c .data.memory <<<"$ev")"
	jq -e '.data.memory.usage.limit == 67108864' <<<"$ev" >/dev/null || fail "memory: $(jq -c .data.memory.usage <<<"$ev")"
	jq -e '.data.pids.current >= 1 and .data.pids.limit == 20' <<<"$ev" >/dev/null || fail "pids: $(jq -c .data.pids <<<"$ev")"
	jq -e '.data | has("blkio")' <<<"$ev" >/dev/null || fail "no blkio: $(jq -c '.data | keys' <<<"$ev")"
	if [ -n "$CG_V2" ] || [ -f /sys/fs/cgroup/unified/cgroup.controllers ] || grep -qw hugetlb /proc/self/mounts; then
		jq -e '.data.hugetlb | type == "object"' <<<"$ev" >/dev/null || fail "no hugetlb: $(jq -c '.data | keys' <<<"$ev")"
		if [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] && { [ -n "$CG_V2" ] || grep -qw hugetlb /proc/self/mounts; }; then
			jq -e '.data.hugetlb["2MB"] | has("usage") and has("failcnt")' <<<"$ev" >/dev/null ||
				fail "hugetlb 2MB: $(jq -c .data.hugetlb <<<"$ev")"
		fi
	fi
	delete_ctr
}

@test "cgroups-resources [events streams an oom event when the OOM killer acts]" {
	grep -q '{"type":"oom"' "$BATS_TEST_DIRNAME/cgroups.bats" && skip "tested in cgroups.bats"
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; tail /dev/zero; echo killed >/tmp/killed; exec sleep 3600'
	run_detached
	"$HULL" --root "$HULL_ROOT" events --interval 100ms $ID </dev/null >"$BATS_TEST_TMPDIR/events" 2>&1 3>&- &
	EVENTS_PID=$!
	wait_for_file "$BATS_TEST_TMPDIR/events" 100
	touch "$ROOTFS/tmp/go"
	for _ in $(seq 300); do grep -q '"type":"oom"' "$BATS_TEST_TMPDIR/events" && break; sleep 0.1; done
	grep -m1 '"type":"oom"' "$BATS_TEST_TMPDIR/events" | jq -e --arg id $ID '.type == "oom" and .id == $id' >/dev/null ||
		fail "no oom event: $(grep -v '"stats"' "$BATS_TEST_TMPDIR/events" | head -5)"
	wait_for_file "$ROOTFS/tmp/killed"
	# the stats events keep coming and report the kill too
	kill "$EVENTS_PID"
	wait "$EVENTS_PID" 2>/dev/null || true
	EVENTS_PID=
	delete_ctr
}
