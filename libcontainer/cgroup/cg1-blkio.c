/* SPDX-License-Identifier: Apache-2.0 */
/* v1 blkio controller: blkio.weight (blkio.bfq.weight when CFQ is gone), blkio.leaf_weight,
 * blkio.weight_device, blkio.leaf_weight_device, blkio.throttle.{read,write}_{bps,iops}_device. */
#include "cgroup-internal.h"

static int
throttle (int dirfd, const char *file, const struct hull_throttle_device *d, size_t n, struct hull_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      int rc = cg_writef (dirfd, file, err, "%lld:%lld %llu", (long long) d[i].major, (long long) d[i].minor,
                          (unsigned long long) d[i].rate);
      if (rc < 0)
        return rc;
    }
  return 0;
}

int
cg1_blkio_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  const char *wfile = cg_exists (dirfd, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
  const char *wdfile = cg_exists (dirfd, "blkio.weight_device") ? "blkio.weight_device" : "blkio.bfq.weight_device";
  int rc;
  if (!r->has_block_io)
    return 0;
  if (r->block_io.has_weight && r->block_io.weight != 0)
    {
      rc = cg_writef (dirfd, wfile, err, "%u", r->block_io.weight);
      if (rc < 0)
        return rc;
    }
  if (r->block_io.has_leaf_weight && r->block_io.leaf_weight != 0)
    {
      rc = cg_writef (dirfd, "blkio.leaf_weight", err, "%u", r->block_io.leaf_weight);
      if (rc < 0)
        return rc;
    }
  for (size_t i = 0; i < r->block_io.n_weight_device; i++)
    {
      const struct hull_weight_device *d = &r->block_io.weight_device[i];
      if (d->has_weight)
        {
          rc = cg_writef (dirfd, wdfile, err, "%lld:%lld %u", (long long) d->major, (long long) d->minor, d->weight);
          if (rc < 0)
            return rc;
        }
      if (d->has_leaf_weight)
        {
          rc = cg_writef (dirfd, "blkio.leaf_weight_device", err, "%lld:%lld %u", (long long) d->major,
                          (long long) d->minor, d->leaf_weight);
          if (rc < 0)
            return rc;
        }
    }
  rc = throttle (dirfd, "blkio.throttle.read_bps_device", r->block_io.throttle_read_bps,
                 r->block_io.n_throttle_read_bps, err);
  if (rc == 0)
    rc = throttle (dirfd, "blkio.throttle.write_bps_device", r->block_io.throttle_write_bps,
                   r->block_io.n_throttle_write_bps, err);
  if (rc == 0)
    rc = throttle (dirfd, "blkio.throttle.read_iops_device", r->block_io.throttle_read_iops,
                   r->block_io.n_throttle_read_iops, err);
  if (rc == 0)
    rc = throttle (dirfd, "blkio.throttle.write_iops_device", r->block_io.throttle_write_iops,
                   r->block_io.n_throttle_write_iops, err);
  return rc;
}
