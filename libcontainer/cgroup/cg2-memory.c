/* SPDX-License-Identifier: Apache-2.0 */
/* v2 memory controller: memory.swap.max (OCI swap is memory+swap: swap.max = swap − limit), memory.max,
 * memory.low (reservation).  memory.oom.group is left to the kernel default, as runc does (set it
 * through linux.resources.unified).  Kernel memory limits do not exist on v2: ignored with a warning. */
#include <errno.h>
#include "../log.h"
#include "cgroup-internal.h"

int
cg2_memory_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  char buf[32];
  int64_t swap;
  bool swap_set;
  int rc;
  if (!r->has_memory)
    return 0;
  rc = cg_swap_to_v2 (r->memory.swap, r->memory.limit, &swap, &swap_set, err);
  if (rc < 0)
    return rc;
  if (swap_set)
    {
      if (cg_exists (dirfd, "memory.swap.max"))
        {
          cg_limit_str (swap, buf, sizeof buf);
          rc = cg_write (dirfd, "memory.swap.max", buf, err);
          if (rc < 0)
            return rc;
        }
      else if (swap != -1)
        hull_warn ("memory.swap is set but the kernel has no swap accounting (memory.swap.max), ignoring");
    }
  if (r->memory.limit != HULL_UNSET_I64 && r->memory.limit != 0)
    {
      cg_limit_str (r->memory.limit, buf, sizeof buf);
      rc = cg_write (dirfd, "memory.max", buf, err);
      if (rc < 0)
        return rc;
    }
  if (r->memory.reservation != HULL_UNSET_I64 && r->memory.reservation != 0)
    {
      cg_limit_str (r->memory.reservation, buf, sizeof buf);
      rc = cg_write (dirfd, "memory.low", buf, err);
      if (rc < 0)
        return rc;
    }
  if (r->memory.kernel != HULL_UNSET_I64 && r->memory.kernel != 0)
    hull_warn ("linux.resources.memory.kernel is not supported on cgroup v2, ignoring");
  if (r->memory.kernel_tcp != HULL_UNSET_I64 && r->memory.kernel_tcp != 0)
    hull_warn ("linux.resources.memory.kernelTCP is not supported on cgroup v2, ignoring");
  if (r->memory.swappiness != HULL_UNSET)
    hull_warn ("linux.resources.memory.swappiness is not supported on cgroup v2, ignoring");
  if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer)
    hull_warn ("linux.resources.memory.disableOOMKiller is not supported on cgroup v2, ignoring");
  return 0;
}
