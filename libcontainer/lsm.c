/* SPDX-License-Identifier: Apache-2.0 */
/* LSM exec labels; see lsm.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "log.h"
#include "lsm.h"
#include "procfs.h"
#include "util.h"

bool
lsm_apparmor_enabled (int proc_root)
{
  struct hull_error scratch = { 0 };
  _cleanup_free_ char *buf = NULL;
  if (proc_root >= 0)
    {
      int r = procfs_read (proc_root, PROCFS_THREAD_SELF, 0, "attr/apparmor/current", 4096, &buf, NULL, &scratch);
      if (r == 0)
        return true;
      if (r != -ENOENT)
        return false; /* EINVAL: the directory exists but AppArmor is not active */
    }
  /* kernels before 5.8 have no attr/apparmor/: ask the module */
  if (read_file_at (AT_FDCWD, "/sys/module/apparmor/parameters/enabled", 16, &buf, NULL) < 0)
    return false;
  return buf[0] == 'Y';
}

bool
lsm_selinux_enabled (int proc_root)
{
  struct hull_error scratch = { 0 };
  _cleanup_free_ char *buf = NULL;
  if (proc_root < 0 || procfs_read (proc_root, PROCFS_ROOT, 0, "filesystems", 64 * 1024, &buf, NULL, &scratch) < 0)
    return false;
  return strstr (buf, "\tselinuxfs\n") != NULL;
}

static bool
is_enabled (enum lsm_state s, bool (*probe) (int), int proc_root)
{
  return s == LSM_ON || (s == LSM_PROBE && probe (proc_root));
}

static int
write_apparmor (int proc_root, const char *profile, struct hull_error *err)
{
  _cleanup_free_ char *data = xasprintf ("exec %s", profile);
  struct hull_error first = { 0 };
  /* the LSM-specific file (Linux >= 5.8, works with stacked LSMs), then the legacy one */
  int r = procfs_write (proc_root, PROCFS_THREAD_SELF, 0, "attr/apparmor/exec", data, strlen (data), &first);
  if (r == -ENOENT)
    r = procfs_write (proc_root, PROCFS_THREAD_SELF, 0, "attr/exec", data, strlen (data), err);
  else if (r < 0)
    *err = first;
  if (r < 0)
    return hull_err_prefix (err, "apply AppArmor profile `%s`", profile);
  return 0;
}

static int
write_selinux (int proc_root, const char *label, struct hull_error *err)
{
  int r = procfs_write (proc_root, PROCFS_THREAD_SELF, 0, "attr/exec", label, strlen (label), err);
  if (r < 0)
    return hull_err_prefix (err, "set SELinux label `%s`", label);
  return 0;
}

int
lsm_set_exec_labels_env (const struct lsm_env *env, const struct hull_process *p, struct hull_error *err)
{
  bool want_aa = p->apparmor_profile && p->apparmor_profile[0];
  bool want_se = p->selinux_label && p->selinux_label[0];
  struct hull_error scratch = { 0 };
  int r;
  if (!want_aa && !want_se)
    return 0;

  /* the root may be missing (no /proc in the container): only an error when a label must be written */
  _cleanup_close_ int proc = procfs_open_root (env->proc_mountpoint, &scratch);
  if (want_aa)
    {
      if (!is_enabled (env->apparmor, lsm_apparmor_enabled, proc))
        hull_debug ("AppArmor is not enabled: ignoring process.apparmorProfile `%s`", p->apparmor_profile);
      else if (proc < 0)
        {
          *err = scratch;
          return hull_err_prefix (err, "apply AppArmor profile `%s`", p->apparmor_profile);
        }
      else if ((r = write_apparmor (proc, p->apparmor_profile, err)) < 0)
        return r;
    }
  if (want_se)
    {
      if (!is_enabled (env->selinux, lsm_selinux_enabled, proc))
        return hull_errx (err, ENOTSUP, "process.selinuxLabel: SELinux is not enabled on this host");
      if (proc < 0)
        {
          *err = scratch;
          return hull_err_prefix (err, "set SELinux label `%s`", p->selinux_label);
        }
      if ((r = write_selinux (proc, p->selinux_label, err)) < 0)
        return r;
    }
  return 0;
}

int
lsm_set_exec_labels (const struct hull_process *p, struct hull_error *err)
{
  static const struct lsm_env host = { NULL, LSM_PROBE, LSM_PROBE };
  return lsm_set_exec_labels_env (&host, p, err);
}
