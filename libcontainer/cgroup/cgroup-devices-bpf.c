/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroup-internal.h"

int
cg2_devices_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  return 0;
}
