/* SPDX-License-Identifier: Apache-2.0 */
/* v2 io controller.  Weight: io.bfq.weight takes the blkio value (1-1000) as is when BFQ is there,
 * otherwise io.weight gets the converted value (10-1000 → 1-10000); per-device weights likewise.
 * Throttling: io.max "MAJ:MIN rbps=N" (0, "no limit" in v1, becomes "max"). */
#include <stdio.h>
#include "../log.h"
#include "cgroup-internal.h"

static int
io_max (int dirfd, const char *key, const struct hull_throttle_device *d, size_t n, struct hull_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      char v[32] = "max";
      int rc;
      if (d[i].rate != 0)
        snprintf (v, sizeof v, "%llu", (unsigned long long) d[i].rate);
      rc = cg_writef (dirfd, "io.max", err, "%lld:%lld %s=%s", (long long) d[i].major, (long long) d[i].minor, key, v);
      if (rc < 0)
        return rc;
    }
  return 0;
}

int
cg2_io_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  bool bfq = cg_exists (dirfd, "io.bfq.weight");
  int rc;
  if (!r->has_block_io)
    return 0;
  if (r->block_io.has_weight && r->block_io.weight != 0)
    {
      if (bfq)
        rc = cg_writef (dirfd, "io.bfq.weight", err, "%u", r->block_io.weight);
      else
        rc = cg_writef (dirfd, "io.weight", err, "default %llu",
                        (unsigned long long) cg_blkio_weight_to_io (r->block_io.weight));
      if (rc < 0)
        return rc;
    }
  if (r->block_io.has_leaf_weight && r->block_io.leaf_weight != 0)
    hull_warn ("linux.resources.blockIO.leafWeight is not supported on cgroup v2, ignoring");
  for (size_t i = 0; i < r->block_io.n_weight_device; i++)
    {
      const struct hull_weight_device *d = &r->block_io.weight_device[i];
      if (!d->has_weight)
        continue;
      if (bfq)
        rc = cg_writef (dirfd, "io.bfq.weight", err, "%lld:%lld %u", (long long) d->major, (long long) d->minor,
                        d->weight);
      else
        rc = cg_writef (dirfd, "io.weight", err, "%lld:%lld %llu", (long long) d->major, (long long) d->minor,
                        (unsigned long long) cg_blkio_weight_to_io (d->weight));
      if (rc < 0)
        return rc;
    }
  rc = io_max (dirfd, "rbps", r->block_io.throttle_read_bps, r->block_io.n_throttle_read_bps, err);
  if (rc == 0)
    rc = io_max (dirfd, "wbps", r->block_io.throttle_write_bps, r->block_io.n_throttle_write_bps, err);
  if (rc == 0)
    rc = io_max (dirfd, "riops", r->block_io.throttle_read_iops, r->block_io.n_throttle_read_iops, err);
  if (rc == 0)
    rc = io_max (dirfd, "wiops", r->block_io.throttle_write_iops, r->block_io.n_throttle_write_iops, err);
  return rc;
}
