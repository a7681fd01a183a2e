/* SPDX-License-Identifier: Apache-2.0 */
/* Verified procfs access; see procfs.h for the rules. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "procfs.h"
#include "util.h"

static bool no_openat2;

void
procfs_set_no_openat2 (bool on)
{
  no_openat2 = on;
}

bool
procfs_fd_is_proc (int fd)
{
  struct statfs sf;
  return fstatfs (fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/* The mount id of fd: statx(STATX_MNT_ID) (Linux 5.8), else the mnt_id line of our fdinfo, read
 * through the same verified root (fdinfo is plain text in a pid directory, no magic link). */
static int
mount_id_of (int proc_root, const char *thread_prefix, int fd, uint64_t *ret)
{
  struct statx stx = { 0 };
  if (statx (fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_MNT_ID, &stx) == 0
      && (stx.stx_mask & STATX_MNT_ID))
    {
      *ret = stx.stx_mnt_id;
      return 0;
    }
  if (!thread_prefix)
    return -EOPNOTSUPP;
  char path[96];
  snprintf (path, sizeof path, "%s/fdinfo/%d", thread_prefix, fd);
  _cleanup_close_ int info = openat (proc_root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (info < 0 || !procfs_fd_is_proc (info))
    return -EOPNOTSUPP;
  char buf[1024];
  ssize_t n = read (info, buf, sizeof buf - 1);
  if (n <= 0)
    return -EOPNOTSUPP;
  buf[n] = '\0';
  const char *m = strstr (buf, "mnt_id:");
  if (!m)
    return -EOPNOTSUPP;
  *ret = strtoull (m + strlen ("mnt_id:"), NULL, 10);
  return 0;
}

int
procfs_open_root (const char *mountpoint, struct hull_error *err)
{
  const char *mp = mountpoint ? mountpoint : "/proc";
  struct statfs sf;
  struct stat st;
  _cleanup_close_ int fd = open (mp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOTDIR || errno == ELOOP)
        return hull_errx (err, ENOTDIR, "`%s` is not a directory (a symlink?), refusing to use it as procfs", mp);
      return hull_err (err, errno, "open procfs `%s`", mp);
    }
  if (fstatfs (fd, &sf) < 0)
    return hull_err (err, errno, "fstatfs procfs `%s`", mp);
  if (sf.f_type != PROC_SUPER_MAGIC)
    return hull_errx (err, EINVAL, "`%s` is not a procfs mount (filesystem type 0x%lx), refusing to use it", mp,
                      (unsigned long) sf.f_type);
  if (fstat (fd, &st) < 0)
    return hull_err (err, errno, "fstat procfs `%s`", mp);
  if (st.st_ino != PROC_ROOT_INO)
    return hull_errx (err, EINVAL, "`%s` is not the root of a procfs mount (inode %ju), refusing to use it", mp,
                      (uintmax_t) st.st_ino);
  return TAKE_FD (fd);
}

static bool
all_digits (const char *s, size_t n)
{
  if (n == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/* "N" or "N/task/M" as this proc instance names us; checked to be exactly that shape. */
static int
read_self_link (int proc_root, const char *name, char *buf, size_t size)
{
  ssize_t n = readlinkat (proc_root, name, buf, size - 1);
  if (n < 0)
    return -errno;
  buf[n] = '\0';
  const char *slash = strchr (buf, '/');
  if (!slash)
    return all_digits (buf, (size_t) n) ? 0 : -EINVAL;
  if (!all_digits (buf, (size_t) (slash - buf)) || strncmp (slash, "/task/", 6) != 0)
    return -EINVAL;
  return all_digits (slash + 6, strlen (slash + 6)) ? 0 : -EINVAL;
}

static int
base_prefix (int proc_root, enum procfs_base base, pid_t pid, char *buf, size_t size, struct hull_error *err)
{
  int r;
  switch (base)
    {
    case PROCFS_ROOT:
      buf[0] = '\0';
      return 0;
    case PROCFS_PID:
      if (pid <= 0)
        return hull_errx (err, EINVAL, "procfs: invalid pid %d", (int) pid);
      snprintf (buf, size, "%d", (int) pid);
      return 0;
    case PROCFS_THREAD_SELF:
      r = read_self_link (proc_root, "thread-self", buf, size);
      if (r != -ENOENT)
        break;
      /* before Linux 3.17: the process is good enough (single-threaded setup code) */
      __attribute__ ((fallthrough));
    case PROCFS_SELF:
      r = read_self_link (proc_root, "self", buf, size);
      break;
    default:
      return hull_errx (err, EINVAL, "procfs: invalid base %d", (int) base);
    }
  if (r == -ENOENT)
    return hull_errx (err, ESRCH, "procfs: this process is not visible in the procfs mount (another pid namespace)");
  if (r < 0)
    return hull_err (err, -r, "procfs: resolve `%s`", base == PROCFS_SELF ? "self" : "thread-self");
  return 0;
}

static int
check_subpath (const char *subpath, struct hull_error *err)
{
  if (!subpath || !*subpath || subpath[0] == '/')
    return hull_errx (err, EINVAL, "procfs: invalid path `%s`", subpath ? subpath : "");
  for (const char *p = subpath; *p;)
    {
      size_t n = strcspn (p, "/");
      if ((n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.') || n == 0)
        return hull_errx (err, EINVAL, "procfs: invalid path `%s`", subpath);
      p += n;
      if (*p == '/')
        p++;
    }
  return 0;
}

/* The component walk for kernels (or seccomp profiles) without openat2: each directory is opened
 * O_PATH|O_NOFOLLOW|O_DIRECTORY (a symlink fails with ENOTDIR) and must stay on the root's mount. */
static int
walk_open (int proc_root, const char *path, int flags, uint64_t root_mnt, const char *thread_prefix)
{
  _cleanup_free_ char *copy = xstrdup (path);
  _cleanup_close_ int cur = openat (proc_root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  char *save = NULL, *comp = strtok_r (copy, "/", &save);
  if (cur < 0)
    return -errno;
  while (comp)
    {
      char *next = strtok_r (NULL, "/", &save);
      int fd;
      if (next)
        fd = openat (cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      else
        fd = openat (cur, comp, flags | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return errno == ENOTDIR && next ? -ELOOP : -errno;
      close (cur);
      cur = fd;
      uint64_t id;
      if (mount_id_of (proc_root, thread_prefix, cur, &id) == 0 && id != root_mnt)
        return -EXDEV;
      if (!procfs_fd_is_proc (cur))
        return -EXDEV;
      comp = next;
    }
  return TAKE_FD (cur);
}

int
procfs_open (int proc_root, enum procfs_base base, pid_t pid, const char *subpath, int flags,
             struct hull_error *err)
{
  char prefix[64], thread[64], path[PATH_MAX];
  uint64_t root_mnt = 0, mnt = 0;
  bool have_root_mnt;
  int r;

  if ((r = check_subpath (subpath, err)) < 0)
    return r;
  if ((r = base_prefix (proc_root, base, pid, prefix, sizeof prefix, err)) < 0)
    return r;
  const char *thread_prefix = read_self_link (proc_root, "thread-self", thread, sizeof thread) == 0 ? thread : NULL;
  if (snprintf (path, sizeof path, "%s%s%s", prefix, *prefix ? "/" : "", subpath) >= (int) sizeof path)
    return hull_errx (err, ENAMETOOLONG, "procfs: path too long");
  have_root_mnt = mount_id_of (proc_root, thread_prefix, proc_root, &root_mnt) == 0;

  _cleanup_close_ int fd = -1;
  if (!no_openat2)
    {
      struct open_how how = {
        .flags = (uint64_t) (flags | O_NOFOLLOW | O_CLOEXEC),
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
      };
      fd = (int) syscall (SYS_openat2, proc_root, path, &how, sizeof how);
      r = fd < 0 ? -errno : 0;
    }
  if (no_openat2 || r == -ENOSYS || r == -EPERM || r == -E2BIG)
    {
      fd = have_root_mnt ? walk_open (proc_root, path, flags, root_mnt, thread_prefix) : -EOPNOTSUPP;
      r = fd < 0 ? fd : 0;
      if (r == -EOPNOTSUPP)
        return hull_errx (err, EOPNOTSUPP, "procfs: cannot check `/proc/%s` for over-mounts (no openat2, no mount id)",
                          path);
    }
  if (r == -EXDEV)
    return hull_errx (err, EXDEV, "procfs: `/proc/%s` crosses a mount point (something is mounted over procfs), "
                      "refusing to use it", path);
  if (r == -ELOOP)
    return hull_errx (err, ELOOP, "procfs: `/proc/%s` goes through a symlink, refusing to follow it", path);
  if (r < 0)
    return hull_err (err, -r, "open `/proc/%s`", path);

  if (!procfs_fd_is_proc (fd))
    return hull_errx (err, EXDEV, "procfs: `/proc/%s` is not on procfs, refusing to use it", path);
  struct stat st;
  if (fstat (fd, &st) == 0 && S_ISLNK (st.st_mode))
    return hull_errx (err, ELOOP, "procfs: `/proc/%s` is a symlink, refusing to use it", path);
  if (have_root_mnt && mount_id_of (proc_root, thread_prefix, fd, &mnt) == 0 && mnt != root_mnt)
    return hull_errx (err, EXDEV, "procfs: `/proc/%s` is over-mounted (mount %" PRIu64 ", procfs root %" PRIu64
                      "), refusing to use it", path, mnt, root_mnt);
  return TAKE_FD (fd);
}

int
procfs_write (int proc_root, enum procfs_base base, pid_t pid, const char *subpath, const char *data, size_t len,
              struct hull_error *err)
{
  _cleanup_close_ int fd = procfs_open (proc_root, base, pid, subpath, O_WRONLY, err);
  if (fd < 0)
    return fd;
  ssize_t n = write (fd, data, len);
  if (n < 0)
    return hull_err (err, errno, "write `%.*s` to /proc/…/%s", (int) (len > 64 ? 64 : len), data, subpath);
  if ((size_t) n != len)
    return hull_errx (err, EIO, "short write to /proc/…/%s (%zd of %zu bytes)", subpath, n, len);
  return 0;
}

int
procfs_read (int proc_root, enum procfs_base base, pid_t pid, const char *subpath, size_t max, char **ret,
             size_t *ret_len, struct hull_error *err)
{
  _cleanup_close_ int fd = procfs_open (proc_root, base, pid, subpath, O_RDONLY, err);
  if (fd < 0)
    return fd;
  _cleanup_free_ char *buf = xmalloc (max + 1);
  size_t total = 0;
  while (total < max)
    {
      ssize_t n = read (fd, buf + total, max - total);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return hull_err (err, errno, "read /proc/…/%s", subpath);
      if (n == 0)
        break;
      total += (size_t) n;
    }
  buf[total] = '\0';
  if (ret_len)
    *ret_len = total;
  *ret = TAKE_PTR (buf);
  return 0;
}

int
procfs_write_once (enum procfs_base base, pid_t pid, const char *subpath, const char *data, size_t len,
                   struct hull_error *err)
{
  _cleanup_close_ int proc = procfs_open_root (NULL, err);
  if (proc < 0)
    return proc;
  return procfs_write (proc, base, pid, subpath, data, len, err);
}
