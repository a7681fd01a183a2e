/* SPDX-License-Identifier: Apache-2.0 */
/* AppArmor profile and SELinux label of the container process (process.apparmorProfile,
 * process.selinuxLabel; exec --apparmor/--process-label).  Written to /proc/thread-self/attr/…
 * through a handle verified to be procfs, to take effect at the next execve.  When the LSM is not
 * enabled: AppArmor is ignored (runc), an SELinux label is an error. */
#pragma once
#include "error.h"
#include "spec/spec.h"

/* Called in the container process after pivot_root, before the uid change. */
int lsm_set_exec_labels (const struct hull_process *p, struct hull_error *err);
