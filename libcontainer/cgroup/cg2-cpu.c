/* SPDX-License-Identifier: Apache-2.0 */
/* v2 cpu controller: cpu.idle, cpu.weight (from shares), cpu.max "quota period", cpu.max.burst.
 * Realtime runtime/period do not exist on v2 and are refused. */
#include <errno.h>
#include <stdio.h>
#include "cgroup-internal.h"

int
cg2_cpu_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  bool idle = false;
  int rc;
  if (!r->has_cpu)
    return 0;
  if ((r->cpu.realtime_runtime != HULL_UNSET_I64 && r->cpu.realtime_runtime != 0)
      || (r->cpu.realtime_period != HULL_UNSET && r->cpu.realtime_period != 0))
    return hull_errx (err, EINVAL, "cgroup v2 does not support realtime cpu runtime/period");
  if (r->cpu.has_idle)
    {
      rc = cg_writef (dirfd, "cpu.idle", err, "%lld", (long long) r->cpu.idle);
      if (rc < 0)
        return rc;
      idle = r->cpu.idle != 0;
    }
  /* An idle cgroup has no weight of its own. */
  if (!idle && r->cpu.shares != HULL_UNSET && r->cpu.shares != 0)
    {
      rc = cg_writef (dirfd, "cpu.weight", err, "%llu", (unsigned long long) cg_shares_to_weight (r->cpu.shares));
      if (rc < 0)
        return rc;
    }
  bool has_quota = r->cpu.quota != HULL_UNSET_I64 && r->cpu.quota != 0;
  bool has_period = r->cpu.period != HULL_UNSET && r->cpu.period != 0;
  if (has_quota || has_period)
    {
      char q[32] = "max";
      if (has_quota && r->cpu.quota > 0)
        snprintf (q, sizeof q, "%lld", (long long) r->cpu.quota);
      rc = cg_writef (dirfd, "cpu.max", err, "%s %llu", q,
                      (unsigned long long) (has_period ? r->cpu.period : 100000));
      if (rc < 0)
        return rc;
    }
  if (r->cpu.burst != HULL_UNSET)
    {
      rc = cg_writef (dirfd, "cpu.max.burst", err, "%llu", (unsigned long long) r->cpu.burst);
      if (rc < 0)
        return rc;
    }
  return 0;
}
