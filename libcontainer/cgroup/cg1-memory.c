/* SPDX-License-Identifier: Apache-2.0 */
/* v1 memory controller: memory.limit_in_bytes, memory.memsw.limit_in_bytes (when swap accounting is
 * on), memory.soft_limit_in_bytes, memory.swappiness, memory.oom_control.  Kernel memory limits are
 * deprecated upstream and ignored with a warning.
 *
 * Order: the kernel requires limit <= memsw at every step, so when both are given and the new memsw is
 * above the current limit (or unlimited), memsw is written first; otherwise the limit first. */
#include <errno.h>
#include "../log.h"
#include "cgroup-internal.h"

static int
write_i64 (int dirfd, const char *file, int64_t v, struct hull_error *err)
{
  return cg_writef (dirfd, file, err, "%lld", (long long) v);
}

int
cg1_memory_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  int64_t limit, swap;
  bool has_memsw;
  int rc;
  if (!r->has_memory)
    return 0;
  limit = r->memory.limit == HULL_UNSET_I64 ? 0 : r->memory.limit;
  swap = r->memory.swap == HULL_UNSET_I64 ? 0 : r->memory.swap;
  has_memsw = cg_exists (dirfd, "memory.memsw.limit_in_bytes");
  /* Unlimited memory without a swap value: make swap unlimited too. */
  if (limit == -1 && swap == 0 && has_memsw)
    swap = -1;
  if (swap != 0 && !has_memsw)
    {
      hull_warn ("memory.swap is set but swap accounting is disabled (no memory.memsw.limit_in_bytes), ignoring");
      swap = 0;
    }
  if (limit != 0 && swap != 0)
    {
      uint64_t cur = 0;
      rc = cg_read_u64 (dirfd, "memory.limit_in_bytes", &cur);
      if (rc < 0)
        return hull_err (err, -rc, "read memory.limit_in_bytes");
      if (swap == -1 || cur < (uint64_t) swap)
        {
          rc = write_i64 (dirfd, "memory.memsw.limit_in_bytes", swap, err);
          if (rc == 0)
            rc = write_i64 (dirfd, "memory.limit_in_bytes", limit, err);
          if (rc < 0)
            return rc;
          limit = swap = 0;
        }
    }
  if (limit != 0)
    {
      rc = write_i64 (dirfd, "memory.limit_in_bytes", limit, err);
      if (rc < 0)
        return rc;
    }
  if (swap != 0)
    {
      rc = write_i64 (dirfd, "memory.memsw.limit_in_bytes", swap, err);
      if (rc < 0)
        return rc;
    }
  if (r->memory.reservation != HULL_UNSET_I64 && r->memory.reservation != 0)
    {
      rc = write_i64 (dirfd, "memory.soft_limit_in_bytes", r->memory.reservation, err);
      if (rc < 0)
        return rc;
    }
  if (r->memory.kernel != HULL_UNSET_I64 && r->memory.kernel != 0)
    hull_warn ("linux.resources.memory.kernel is deprecated and not supported, ignoring");
  if (r->memory.kernel_tcp != HULL_UNSET_I64 && r->memory.kernel_tcp != 0)
    hull_warn ("linux.resources.memory.kernelTCP is not supported, ignoring");
  if (r->memory.swappiness != HULL_UNSET)
    {
      if (r->memory.swappiness > 100)
        return hull_errx (err, EINVAL, "invalid memory.swappiness %llu: the range is 0-100",
                          (unsigned long long) r->memory.swappiness);
      rc = cg_writef (dirfd, "memory.swappiness", err, "%llu", (unsigned long long) r->memory.swappiness);
      if (rc < 0)
        return rc;
    }
  if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer)
    {
      rc = cg_write (dirfd, "memory.oom_control", "1", err);
      if (rc < 0)
        return rc;
    }
  return 0;
}
