/* SPDX-License-Identifier: Apache-2.0 */
/* v1 pids controller: pids.max ("max" for -1; 0 is a real limit since runtime-spec 1.3). */
#include "cgroup-internal.h"

int
cg1_pids_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  char buf[32];
  if (!r->has_pids || r->pids_limit == HULL_UNSET_I64)
    return 0;
  cg_limit_str (r->pids_limit, buf, sizeof buf);
  return cg_write (dirfd, "pids.max", buf, err);
}
