/* SPDX-License-Identifier: Apache-2.0 */
/* v2 cpuset controller: cpuset.cpus, cpuset.mems. */
#include "cgroup-internal.h"

int
cg2_cpuset_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  int rc;
  if (!r->has_cpu)
    return 0;
  if (r->cpu.cpus && *r->cpu.cpus)
    {
      rc = cg_write (dirfd, "cpuset.cpus", r->cpu.cpus, err);
      if (rc < 0)
        return rc;
    }
  if (r->cpu.mems && *r->cpu.mems)
    {
      rc = cg_write (dirfd, "cpuset.mems", r->cpu.mems, err);
      if (rc < 0)
        return rc;
    }
  return 0;
}
