/* SPDX-License-Identifier: Apache-2.0 */
/* hugetlb controller, v1 and v2: hugetlb.<size>.limit_in_bytes (v1) / hugetlb.<size>.max (v2), and the
 * reservation files (.rsvd.*) when the kernel has them.  The size is the OCI pageSize ("2MB", "1GB"),
 * which is already the kernel's file name form. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "../util.h"
#include "cgroup-internal.h"

static int
apply (int dirfd, const struct hull_resources *r, const char *limit_suffix, const char *rsvd_suffix,
       struct hull_error *err)
{
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      const struct hull_hugepage_limit *l = &r->hugepage_limits[i];
      char file[128], rsvd[128];
      int rc;
      if (!l->page_size || !*l->page_size || strchr (l->page_size, '/') || strlen (l->page_size) > 32)
        return hull_errx (err, EINVAL, "invalid hugepage size `%s`", l->page_size ? l->page_size : "");
      snprintf (file, sizeof file, "hugetlb.%s.%s", l->page_size, limit_suffix);
      snprintf (rsvd, sizeof rsvd, "hugetlb.%s.%s", l->page_size, rsvd_suffix);
      rc = cg_writef (dirfd, file, err, "%llu", (unsigned long long) l->limit);
      if (rc < 0)
        return rc;
      if (cg_exists (dirfd, rsvd))
        {
          rc = cg_writef (dirfd, rsvd, err, "%llu", (unsigned long long) l->limit);
          if (rc < 0)
            return rc;
        }
    }
  return 0;
}

int
cg1_hugetlb_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  return apply (dirfd, r, "limit_in_bytes", "rsvd.limit_in_bytes", err);
}

int
cg2_hugetlb_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  return apply (dirfd, r, "max", "rsvd.max", err);
}
