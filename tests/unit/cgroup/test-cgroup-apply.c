/* SPDX-License-Identifier: Apache-2.0 */
/* Every per-controller apply function against a temporary directory of empty files: the exact
 * sequence of (file, value) writes is asserted. */
#include "cgroup-devices-bpf.h"
#include "cg-tap.h"

#define FILES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
check (const char *name, int rc, const char *want)
{
  tap_ok (rc == 0, "%s: returns 0 (rc=%d)", name, rc);
  tap_ok (strcmp (fx_trace, want) == 0, "%s: writes", name);
  if (strcmp (fx_trace, want) != 0)
    {
      printf ("# got:\n");
      for (char *l = fx_trace; *l; l = strchr (l, '\n') + 1)
        printf ("#   %.*s\n", (int) (strchr (l, '\n') - l), l);
      printf ("# want:\n");
      for (const char *l = want; *l; l = strchr (l, '\n') + 1)
        printf ("#   %.*s\n", (int) (strchr (l, '\n') - l), l);
    }
}

int
main (void)
{
  struct hull_error err = { 0 };
  struct hull_resources r;
  int fd, rc;

  /* v2 cpu */
  res_init (&r);
  r.has_cpu = true;
  r.cpu.shares = 1024;
  r.cpu.quota = 50000;
  r.cpu.period = 200000;
  r.cpu.burst = 1000;
  fd = fx_setup (FILES ("cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle"));
  check ("cg2 cpu", cg2_cpu_apply (fd, &r, &err), "cpu.weight=100\ncpu.max=50000 200000\ncpu.max.burst=1000\n");
  res_init (&r);
  r.has_cpu = true;
  r.cpu.quota = -1;
  fd = fx_setup (FILES ("cpu.max"));
  check ("cg2 cpu quota -1", cg2_cpu_apply (fd, &r, &err), "cpu.max=max 100000\n");
  res_init (&r);
  r.has_cpu = true;
  r.cpu.has_idle = true;
  r.cpu.idle = 1;
  r.cpu.shares = 2048;
  fd = fx_setup (FILES ("cpu.idle", "cpu.weight"));
  check ("cg2 cpu idle skips weight", cg2_cpu_apply (fd, &r, &err), "cpu.idle=1\n");
  res_init (&r);
  r.has_cpu = true;
  r.cpu.realtime_runtime = 1000;
  fd = fx_setup (NULL);
  tap_ok (cg2_cpu_apply (fd, &r, &err) == -EINVAL, "cg2 cpu: realtime refused (%s)", err.msg);

  /* v2 cpuset */
  res_init (&r);
  r.has_cpu = true;
  r.cpu.cpus = "0-1";
  r.cpu.mems = "0";
  fd = fx_setup (FILES ("cpuset.cpus", "cpuset.mems"));
  check ("cg2 cpuset", cg2_cpuset_apply (fd, &r, &err), "cpuset.cpus=0-1\ncpuset.mems=0\n");

  /* v2 memory */
  res_init (&r);
  r.has_memory = true;
  r.memory.limit = 100 << 20;
  r.memory.swap = 300 << 20;
  r.memory.reservation = 50 << 20;
  fd = fx_setup (FILES ("memory.max", "memory.swap.max", "memory.low"));
  check ("cg2 memory", cg2_memory_apply (fd, &r, &err),
         "memory.swap.max=209715200\nmemory.max=104857600\nmemory.low=52428800\n");
  res_init (&r);
  r.has_memory = true;
  r.memory.limit = -1;
  fd = fx_setup (FILES ("memory.max", "memory.swap.max"));
  check ("cg2 memory -1", cg2_memory_apply (fd, &r, &err), "memory.swap.max=max\nmemory.max=max\n");
  res_init (&r);
  r.has_memory = true;
  r.memory.limit = 1 << 20;
  fd = fx_setup (FILES ("memory.max"));
  rc = cg_write (fd, "memory.nope", "1", &err);
  EQ_STR (err.msg, "write \"1\" to memory.nope");
  tap_ok (rc == -ENOENT, "write to a missing file: -ENOENT");

  /* pids, v1 and v2 */
  res_init (&r);
  r.has_pids = true;
  r.pids_limit = 0;
  fd = fx_setup (FILES ("pids.max"));
  check ("cg2 pids 0", cg2_pids_apply (fd, &r, &err), "pids.max=0\n");
  r.pids_limit = -1;
  fd = fx_setup (FILES ("pids.max"));
  check ("cg1 pids -1", cg1_pids_apply (fd, &r, &err), "pids.max=max\n");

  /* v2 io */
  res_init (&r);
  r.has_block_io = true;
  r.block_io.has_weight = true;
  r.block_io.weight = 500;
  struct hull_throttle_device rbps[] = { { 8, 0, 1048576 } }, wiops[] = { { 8, 16, 0 } };
  struct hull_weight_device wd[] = { { 8, 0, true, false, 1000, 0 } };
  r.block_io.throttle_read_bps = rbps;
  r.block_io.n_throttle_read_bps = 1;
  r.block_io.throttle_write_iops = wiops;
  r.block_io.n_throttle_write_iops = 1;
  r.block_io.weight_device = wd;
  r.block_io.n_weight_device = 1;
  fd = fx_setup (FILES ("io.weight", "io.max"));
  check ("cg2 io (no bfq)", cg2_io_apply (fd, &r, &err),
         "io.weight=default 4950\nio.weight=8:0 10000\nio.max=8:0 rbps=1048576\nio.max=8:16 wiops=max\n");
  fd = fx_setup (FILES ("io.weight", "io.bfq.weight", "io.max"));
  check ("cg2 io (bfq)", cg2_io_apply (fd, &r, &err),
         "io.bfq.weight=500\nio.bfq.weight=8:0 1000\nio.max=8:0 rbps=1048576\nio.max=8:16 wiops=max\n");
  /* v1 blkio */
  fd = fx_setup (FILES ("blkio.weight", "blkio.weight_device", "blkio.throttle.read_bps_device",
                        "blkio.throttle.write_iops_device"));
  check ("cg1 blkio", cg1_blkio_apply (fd, &r, &err),
         "blkio.weight=500\nblkio.weight_device=8:0 1000\nblkio.throttle.read_bps_device=8:0 1048576\n"
         "blkio.throttle.write_iops_device=8:16 0\n");

  /* hugetlb */
  res_init (&r);
  struct hull_hugepage_limit hp[] = { { "2MB", 4194304 } };
  r.hugepage_limits = hp;
  r.n_hugepage_limits = 1;
  fd = fx_setup (FILES ("hugetlb.2MB.max", "hugetlb.2MB.rsvd.max"));
  check ("cg2 hugetlb", cg2_hugetlb_apply (fd, &r, &err), "hugetlb.2MB.max=4194304\nhugetlb.2MB.rsvd.max=4194304\n");
  fd = fx_setup (FILES ("hugetlb.2MB.limit_in_bytes"));
  check ("cg1 hugetlb", cg1_hugetlb_apply (fd, &r, &err), "hugetlb.2MB.limit_in_bytes=4194304\n");

  /* rdma */
  res_init (&r);
  struct hull_rdma_limit rd[] = { { "mlx5_0", true, false, 10, 0 } };
  r.rdma = rd;
  r.n_rdma = 1;
  fd = fx_setup (FILES ("rdma.max"));
  check ("rdma", cg2_rdma_apply (fd, &r, &err), "rdma.max=mlx5_0 hca_handle=10 hca_object=max\n");

  /* unified */
  res_init (&r);
  struct hull_kv kv[] = { { "memory.oom.group", "1" }, { "misc.max", "res_a 1" } };
  r.unified = kv;
  r.n_unified = 2;
  fd = fx_setup (FILES ("memory.oom.group", "misc.max"));
  fx_put ("cgroup.controllers", "cpu memory misc\n");
  check ("cg2 unified", cg2_unified_apply (fd, &r, &err), "memory.oom.group=1\nmisc.max=res_a 1\n");
  struct hull_kv bad1[] = { { "../memory.max", "1" } }, bad2[] = { { "io.max", "8:0 rbps=1" } };
  r.unified = bad1;
  r.n_unified = 1;
  tap_ok (cg2_unified_apply (fd, &r, &err) == -EINVAL, "unified: `..` refused (%s)", err.msg);
  r.unified = bad2;
  tap_ok (cg2_unified_apply (fd, &r, &err) == -ENOTSUP, "unified: controller not enabled refused (%s)", err.msg);

  /* v1 cpu */
  res_init (&r);
  r.has_cpu = true;
  r.cpu.shares = 512;
  r.cpu.quota = 20000;
  r.cpu.period = 100000;
  r.cpu.realtime_period = 1000000;
  r.cpu.realtime_runtime = 950000;
  fd = fx_setup (FILES ("cpu.shares", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.rt_period_us", "cpu.rt_runtime_us"));
  fx_put ("cpu.shares", "512\n");
  check ("cg1 cpu", cg1_cpu_apply (fd, &r, &err),
         "cpu.shares=512\ncpu.cfs_period_us=100000\ncpu.cfs_quota_us=20000\ncpu.rt_period_us=1000000\n"
         "cpu.rt_runtime_us=950000\n");
  /* v1 cpuset */
  res_init (&r);
  r.has_cpu = true;
  r.cpu.cpus = "1";
  r.cpu.mems = "0";
  fd = fx_setup (FILES ("cpuset.cpus", "cpuset.mems"));
  check ("cg1 cpuset", cg1_cpuset_apply (fd, &r, &err), "cpuset.mems=0\ncpuset.cpus=1\n");

  /* v1 memory: raising memsw above the current limit writes memsw first */
  res_init (&r);
  r.has_memory = true;
  r.memory.limit = 200 << 20;
  r.memory.swap = 400 << 20;
  r.memory.reservation = 100 << 20;
  r.memory.swappiness = 10;
  r.memory.has_disable_oom_killer = r.memory.disable_oom_killer = true;
  r.memory.kernel = 1 << 20;
  fd = fx_setup (FILES ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes",
                        "memory.swappiness", "memory.oom_control"));
  fx_put ("memory.limit_in_bytes", "104857600\n");
  fx_trace[0] = '\0';
  check ("cg1 memory (grow)", cg1_memory_apply (fd, &r, &err),
         "memory.memsw.limit_in_bytes=419430400\nmemory.limit_in_bytes=209715200\n"
         "memory.soft_limit_in_bytes=104857600\nmemory.swappiness=10\nmemory.oom_control=1\n");
  /* lowering: the current limit is above the new memsw, so the limit goes first */
  res_init (&r);
  r.has_memory = true;
  r.memory.limit = 10 << 20;
  r.memory.swap = 20 << 20;
  fd = fx_setup (FILES ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes"));
  fx_put ("memory.limit_in_bytes", "104857600\n");
  fx_trace[0] = '\0';
  check ("cg1 memory (shrink)", cg1_memory_apply (fd, &r, &err),
         "memory.limit_in_bytes=10485760\nmemory.memsw.limit_in_bytes=20971520\n");
  r.memory.swappiness = 101;
  r.memory.limit = r.memory.swap = HULL_UNSET_I64;
  tap_ok (cg1_memory_apply (fd, &r, &err) == -EINVAL, "cg1 memory: swappiness 101 refused");

  /* v1 net */
  res_init (&r);
  r.has_network = true;
  r.network.has_class_id = true;
  r.network.class_id = 0x100001;
  struct hull_net_priority prio[] = { { "eth0", 5 } };
  r.network.priorities = prio;
  r.network.n_priorities = 1;
  fd = fx_setup (FILES ("net_cls.classid", "net_prio.ifpriomap"));
  rc = cg1_net_cls_apply (fd, &r, &err);
  if (rc == 0)
    rc = cg1_net_prio_apply (fd, &r, &err);
  check ("cg1 net", rc, "net_cls.classid=1048577\nnet_prio.ifpriomap=eth0 5\n");

  /* v1 devices */
  res_init (&r);
  struct hull_device_cgroup dev[] = {
    { false, 'a', -1, -1, "rwm" },
    { true, 'c', 1, 3, "rwm" },
    { true, 'c', 136, -1, "rw" },
    { true, 'b', -1, -1, "m" },
  };
  r.devices = dev;
  r.n_devices = 4;
  fd = fx_setup (FILES ("devices.allow", "devices.deny"));
  check ("cg1 devices", cg1_devices_apply (fd, &r, &err),
         "devices.deny=a\ndevices.allow=c 1:3 rwm\ndevices.allow=c 136:* rw\ndevices.allow=b *:* m\n");

  /* v2 device program: shape (the kernel load is covered by the integration tests) */
  struct bpf_insn *insns = NULL;
  size_t n = 0;
  rc = cg_devices_bpf_build (dev, 4, &insns, &n, &err);
  tap_ok (rc == 0, "bpf build");
  /* 6 prologue + rule3 (type, acc 3, r0, exit = 6) + rule2 (type, acc 3, major, r0, exit = 7)
   * + rule1 (type, major, minor, r0, exit = 5) + rule0 (r0, exit = 2, unconditional: no default) */
  EQ_U64 (n, 6 + 6 + 7 + 5 + 2);
  tap_ok (n >= 2 && insns[n - 1].code == (BPF_JMP | BPF_EXIT) && insns[n - 2].imm == 0, "ends in return 0 (deny all)");
  free (insns);
  struct hull_device_cgroup allow_all_last[] = { { true, 'c', 1, 3, "rwm" }, { true, 'a', -1, -1, NULL } };
  rc = cg_devices_bpf_build (allow_all_last, 2, &insns, &n, &err);
  EQ_U64 (n, 6 + 2); /* the final allow-all hides the earlier rule */
  tap_ok (insns[n - 2].imm == 1, "allow-all last: return 1");
  free (insns);

  fx_cleanup ();
  return tap_done ();
}
