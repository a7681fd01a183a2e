/* SPDX-License-Identifier: Apache-2.0 */
/* v1 net_cls and net_prio controllers: net_cls.classid, net_prio.ifpriomap. */
#include "cgroup-internal.h"

int
cg1_net_cls_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  if (!r->has_network || !r->network.has_class_id)
    return 0;
  return cg_writef (dirfd, "net_cls.classid", err, "%u", r->network.class_id);
}

int
cg1_net_prio_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  if (!r->has_network)
    return 0;
  for (size_t i = 0; i < r->network.n_priorities; i++)
    {
      int rc = cg_writef (dirfd, "net_prio.ifpriomap", err, "%s %u", r->network.priorities[i].name,
                          r->network.priorities[i].priority);
      if (rc < 0)
        return rc;
    }
  return 0;
}
