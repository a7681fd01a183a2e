/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "procfs.h"
#include "sysctl.h"
#include "util.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif

/* The root of the container's procfs: a detached, non-recursive clone of its /proc mount when the
 * kernel allows it (the read-only /proc/sys bind of readonlyPaths, or anything else mounted below
 * /proc, does not come along), else the verified /proc mount itself. */
static int
open_proc_root (struct hull_error *err)
{
  struct stat st;
  _cleanup_close_ int fd = (int) syscall (SYS_open_tree, AT_FDCWD, "/proc",
                                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
  if (fd < 0)
    return procfs_open_root (NULL, err);
  if (!procfs_fd_is_proc (fd) || fstat (fd, &st) < 0 || st.st_ino != PROC_ROOT_INO)
    return hull_errx (err, EINVAL,
                      "sysctl: /proc in the container is not the root of a procfs mount, refusing to use it");
  return TAKE_FD (fd);
}

int
sysctl_apply (const struct hull_kv *kv, size_t n, struct hull_error *err)
{
  _cleanup_close_ int proc = -1;
  if (n == 0)
    return 0;
  if ((proc = open_proc_root (err)) < 0)
    return hull_err_prefix (err, "linux.sysctl");

  for (size_t i = 0; i < n; i++)
    {
      _cleanup_free_ char *rel = xasprintf ("sys/%s", kv[i].key);
      for (char *c = rel; *c; c++)
        if (*c == '.')
          *c = '/';
      _cleanup_close_ int fd = procfs_open (proc, PROCFS_ROOT, 0, rel, O_WRONLY | O_NOCTTY, err);
      if (fd < 0)
        return hull_err_prefix (err, "sysctl \"%s\"", kv[i].key);
      size_t len = strlen (kv[i].value);
      ssize_t w = write (fd, kv[i].value, len);
      if (w < 0)
        return hull_err (err, errno, "sysctl \"%s\": write /proc/%s", kv[i].key, rel);
      if ((size_t) w != len)
        return hull_errx (err, EIO, "sysctl \"%s\": write /proc/%s: short write", kv[i].key, rel);
    }
  return 0;
}
