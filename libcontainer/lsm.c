/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder: labels are not applied yet. */
#include <errno.h>
#include "lsm.h"

int
lsm_set_exec_labels (const struct hull_process *p, struct hull_error *err)
{
  if (p->selinux_label && p->selinux_label[0])
    return hull_errx (err, ENOTSUP, "process.selinuxLabel: SELinux is not enabled on this host");
  return 0;
}
