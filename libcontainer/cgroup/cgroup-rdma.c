/* SPDX-License-Identifier: Apache-2.0 */
/* rdma controller, v1 and v2 (same file format): rdma.max "<dev> hca_handle=N hca_object=M". */
#include <stdio.h>
#include <string.h>
#include "cgroup-internal.h"

int
cg2_rdma_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  for (size_t i = 0; i < r->n_rdma; i++)
    {
      const struct hull_rdma_limit *l = &r->rdma[i];
      char h[32] = "max", o[32] = "max";
      int rc;
      if (l->has_hca_handles)
        snprintf (h, sizeof h, "%u", l->hca_handles);
      if (l->has_hca_objects)
        snprintf (o, sizeof o, "%u", l->hca_objects);
      rc = cg_writef (dirfd, "rdma.max", err, "%s hca_handle=%s hca_object=%s", l->device, h, o);
      if (rc < 0)
        return rc;
    }
  return 0;
}

int
cg1_rdma_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  return cg2_rdma_apply (dirfd, r, err);
}
