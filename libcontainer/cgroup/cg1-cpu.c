/* SPDX-License-Identifier: Apache-2.0 */
/* v1 cpu controller: cpu.shares, cpu.cfs_period_us/cfs_quota_us/cfs_burst_us, cpu.rt_period_us/
 * rt_runtime_us, cpu.idle. */
#include <errno.h>
#include "../util.h"
#include "cgroup-internal.h"

/* Write a (period, value) pair: the kernel checks each write against the other value, so when the
 * period write is refused it is retried after the value (as when lowering both). */
static int
write_pair (int dirfd, const char *pfile, uint64_t period, bool has_period, const char *vfile, int64_t value,
            bool has_value, struct hull_error *err)
{
  bool period_pending = false;
  int r;
  if (has_period)
    {
      r = cg_writef (dirfd, pfile, err, "%llu", (unsigned long long) period);
      if (r == -EINVAL && has_value)
        {
          hull_err_clear (err);
          period_pending = true;
        }
      else if (r < 0)
        return r;
    }
  if (has_value)
    {
      r = cg_writef (dirfd, vfile, err, "%lld", (long long) value);
      if (r < 0)
        return r;
    }
  if (period_pending)
    return cg_writef (dirfd, pfile, err, "%llu", (unsigned long long) period);
  return 0;
}

int
cg1_cpu_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  int rc;
  if (!r->has_cpu)
    return 0;
  if (r->cpu.shares != HULL_UNSET && r->cpu.shares != 0)
    {
      uint64_t got = 0;
      rc = cg_writef (dirfd, "cpu.shares", err, "%llu", (unsigned long long) r->cpu.shares);
      if (rc < 0)
        return rc;
      /* The kernel clamps silently: report a value outside its range. */
      if (cg_read_u64 (dirfd, "cpu.shares", &got) == 0 && got != r->cpu.shares)
        return hull_errx (err, EINVAL, "cpu.shares %llu is out of the kernel's range (it set %llu)",
                          (unsigned long long) r->cpu.shares, (unsigned long long) got);
    }
  rc = write_pair (dirfd, "cpu.cfs_period_us", r->cpu.period, r->cpu.period != HULL_UNSET && r->cpu.period != 0,
                   "cpu.cfs_quota_us", r->cpu.quota, r->cpu.quota != HULL_UNSET_I64 && r->cpu.quota != 0, err);
  if (rc < 0)
    return rc;
  if (r->cpu.burst != HULL_UNSET)
    {
      rc = cg_writef (dirfd, "cpu.cfs_burst_us", err, "%llu", (unsigned long long) r->cpu.burst);
      if (rc < 0)
        return rc;
    }
  rc = write_pair (dirfd, "cpu.rt_period_us", r->cpu.realtime_period,
                   r->cpu.realtime_period != HULL_UNSET && r->cpu.realtime_period != 0, "cpu.rt_runtime_us",
                   r->cpu.realtime_runtime, r->cpu.realtime_runtime != HULL_UNSET_I64 && r->cpu.realtime_runtime != 0,
                   err);
  if (rc < 0)
    return rc;
  if (r->cpu.has_idle)
    {
      rc = cg_writef (dirfd, "cpu.idle", err, "%lld", (long long) r->cpu.idle);
      if (rc < 0)
        return rc;
    }
  return 0;
}
