/* SPDX-License-Identifier: Apache-2.0 */
/* AppArmor profile and SELinux label of the container process (process.apparmorProfile,
 * process.selinuxLabel; exec --apparmor/--process-label).  Written to /proc/thread-self/attr/…
 * through a handle verified to be procfs (procfs.h), to take effect at the next execve.  When the
 * LSM is not enabled: AppArmor is ignored (runc), an SELinux label is an error.
 *
 * Detection works from the container's side of pivot_root with nothing but /proc:
 *   AppArmor: /proc/thread-self/attr/apparmor/current is readable (Linux >= 5.8), else
 *             /sys/module/apparmor/parameters/enabled is "Y";
 *   SELinux:  "selinuxfs" is listed in /proc/filesystems (registered only when SELinux is enabled). */
#pragma once
#include <stdbool.h>
#include "error.h"
#include "spec/spec.h"

/* Called in the container process after pivot_root, before the uid change. */
int lsm_set_exec_labels (const struct hull_process *p, struct hull_error *err);

/* The same with the environment made explicit, for tests: */
enum lsm_state
{
  LSM_PROBE = 0, /* find out */
  LSM_OFF,       /* behave as on a host without this LSM */
  LSM_ON,        /* behave as on a host with it (write the label) */
};
struct lsm_env
{
  const char *proc_mountpoint; /* NULL: "/proc" */
  enum lsm_state apparmor, selinux;
};
int lsm_set_exec_labels_env (const struct lsm_env *env, const struct hull_process *p, struct hull_error *err);

/* Probes (proc_root: a procfs_open_root() handle, or -1 when there is none). */
bool lsm_apparmor_enabled (int proc_root);
bool lsm_selinux_enabled (int proc_root);
