/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "sysctl.h"
#include "util.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#define PROC_ROOT_INO 1

static bool
is_procfs (int fd)
{
  struct statfs sfs;
  return fstatfs (fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

/* A handle on the root of the container's procfs: a detached, non-recursive clone of the /proc mount
 * when the kernel allows it (nothing mounted below /proc comes along), else /proc itself. */
static int
open_proc_root (struct hull_error *err)
{
  _cleanup_close_ int fd = (int) syscall (SYS_open_tree, AT_FDCWD, "/proc",
                                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
  struct stat st;
  if (fd < 0)
    fd = open ("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return hull_err (err, errno, "sysctl: open /proc");
  if (!is_procfs (fd) || fstat (fd, &st) < 0 || st.st_ino != PROC_ROOT_INO)
    return hull_errx (err, EXDEV, "sysctl: /proc in the container is not the root of a procfs");
  return TAKE_FD (fd);
}

/* Without openat2 (old kernel, or filtered by seccomp): one component at a time, no symlinks, and
 * every step still on procfs. */
static int
open_beneath_fallback (int dirfd, const char *rel)
{
  _cleanup_free_ char *copy = xstrdup (rel);
  _cleanup_close_ int cur = -1;
  char *save = NULL, *next;
  int at = dirfd;
  for (char *comp = strtok_r (copy, "/", &save); comp; comp = next)
    {
      next = strtok_r (NULL, "/", &save);
      int flags = next ? (O_PATH | O_DIRECTORY) : (O_WRONLY | O_NOCTTY);
      int fd = openat (at, comp, flags | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return -errno;
      if (!is_procfs (fd))
        {
          close (fd);
          return -EXDEV;
        }
      if (!next)
        return fd;
      if (cur >= 0)
        close (cur);
      cur = fd;
      at = cur;
    }
  return -ENOENT;
}

static int
open_sysctl (int sysfd, const char *rel)
{
  struct open_how how = {
    .flags = O_WRONLY | O_NOCTTY | O_CLOEXEC,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };
  int fd = (int) syscall (SYS_openat2, sysfd, rel, &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == EINVAL))
    return open_beneath_fallback (sysfd, rel);
  if (fd < 0)
    return -errno;
  if (!is_procfs (fd))
    {
      close (fd);
      return -EXDEV;
    }
  return fd;
}

int
sysctl_apply (const struct hull_kv *kv, size_t n, struct hull_error *err)
{
  _cleanup_close_ int proc = -1, sys = -1;
  if (n == 0)
    return 0;
  if ((proc = open_proc_root (err)) < 0)
    return proc;
  sys = openat (proc, "sys", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sys < 0)
    return hull_err (err, errno, "sysctl: open /proc/sys");
  if (!is_procfs (sys))
    return hull_errx (err, EXDEV, "sysctl: /proc/sys in the container is not on procfs");

  for (size_t i = 0; i < n; i++)
    {
      _cleanup_free_ char *rel = xstrdup (kv[i].key);
      for (char *c = rel; *c; c++)
        if (*c == '.')
          *c = '/';
      _cleanup_close_ int fd = open_sysctl (sys, rel);
      if (fd < 0)
        return hull_err (err, -fd, "sysctl \"%s\": open /proc/sys/%s", kv[i].key, rel);
      size_t len = strlen (kv[i].value);
      ssize_t w = write (fd, kv[i].value, len);
      if (w < 0)
        return hull_err (err, errno, "sysctl \"%s\": write /proc/sys/%s", kv[i].key, rel);
      if ((size_t) w != len)
        return hull_errx (err, EIO, "sysctl \"%s\": write /proc/sys/%s: short write", kv[i].key, rel);
    }
  return 0;
}
