/* SPDX-License-Identifier: Apache-2.0 */
/* One entry of config.json `mounts`, whatever its form: bind/rbind (files and directories), an
 * id-mapped tree prepared by the parent (mount-idmap.c), cgroup (rootfs-cgroup.c), a remount, or a
 * filesystem of any type with its data string; then the read-only/flags remount that keeps the
 * locked flags, propagation, the recursive r* attributes (mount_setattr AT_RECURSIVE), and
 * tmpcopyup.  The destination is always resolved inside the rootfs (openat2 RESOLVE_IN_ROOT) and
 * every mount targets an fd. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "log.h"
#include "mount-options.h"
#include "rootfs.h"
#include "util.h"

#define FDPATH_MAX 32
#define fd_path(buf, fd) (snprintf ((buf), sizeof (buf), "/proc/self/fd/%d", (fd)), (buf))

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

#define REMOUNT_FLAGS                                                                                        \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME  \
   | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_NOSYMFOLLOW)
#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

static int
sys_mount_setattr (int dirfd, const char *path, unsigned flags, struct mount_attr *attr)
{
  return (int) syscall (SYS_mount_setattr, dirfd, path, flags, attr, sizeof *attr);
}

static int
sys_move_mount (int from_fd, const char *from, int to_fd, const char *to, unsigned flags)
{
  return (int) syscall (SYS_move_mount, from_fd, from, to_fd, to, flags);
}

unsigned long
rootfs_locked_flags (const char *path)
{
  struct statvfs s;
  unsigned long f = 0;
  if (statvfs (path, &s) < 0)
    return 0;
  if (s.f_flag & ST_RDONLY)
    f |= MS_RDONLY;
  if (s.f_flag & ST_NOSUID)
    f |= MS_NOSUID;
  if (s.f_flag & ST_NODEV)
    f |= MS_NODEV;
  if (s.f_flag & ST_NOEXEC)
    f |= MS_NOEXEC;
  if (s.f_flag & ST_NOATIME)
    f |= MS_NOATIME;
  if (s.f_flag & ST_NODIRATIME)
    f |= MS_NODIRATIME;
  if (s.f_flag & ST_RELATIME)
    f |= MS_RELATIME;
  if (s.f_flag & ST_NOSYMFOLLOW)
    f |= MS_NOSYMFOLLOW;
  return f;
}

/* Remount the bind mount at `fdpath` with `flags`.  The flags the mount already has are kept unless
 * the config clears them; when the kernel refuses that (they are locked: the mount came from a more
 * privileged mount namespace), retry keeping all of them, as runc does. */
int
rootfs_bind_remount (const char *fdpath, unsigned long flags, unsigned long clear, const char *what,
                     struct hull_error *err)
{
  unsigned long have = rootfs_locked_flags (fdpath);
  if (flags & ATIME_FLAGS)
    have &= ~ATIME_FLAGS;
  unsigned long f = MS_BIND | MS_REMOUNT | (flags & REMOUNT_FLAGS) | (have & ~clear);
  if (mount (NULL, fdpath, NULL, f, NULL) == 0)
    return 0;
  if (errno == EPERM && (have & clear))
    {
      f |= have;
      if (mount (NULL, fdpath, NULL, f, NULL) == 0)
        return 0;
    }
  return hull_err (err, errno, "remount `%s` with flags 0x%lx", what, f);
}

/* --- tmpcopyup: copy the directory under a new tmpfs into it --- */

static int copy_tree (int src, int dst, const char *dest, struct hull_error *err);

static int
copy_file (int srcdir, int dstdir, const char *name, const struct stat *st, const char *dest, struct hull_error *err)
{
  _cleanup_close_ int in = openat (srcdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0)
    return hull_err (err, errno, "tmpcopyup `%s`: open `%s`", dest, name);
  _cleanup_close_ int out = openat (dstdir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0)
    return hull_err (err, errno, "tmpcopyup `%s`: create `%s`", dest, name);
  char buf[65536];
  for (;;)
    {
      ssize_t n = read (in, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: read `%s`", dest, name);
      if (n == 0)
        break;
      if (write_all (out, buf, (size_t) n) < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: write `%s`", dest, name);
    }
  (void) st;
  return TAKE_FD (out);
}

/* Owner, mode and times of `name` (already created in dstdir) from st. */
static int
copy_attrs (int dstdir, const char *name, int fd, const struct stat *st, const char *dest, struct hull_error *err)
{
  struct timespec ts[2] = { st->st_atim, st->st_mtim };
  if (fchownat (dstdir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EPERM
      && errno != EINVAL)
    return hull_err (err, errno, "tmpcopyup `%s`: chown `%s`", dest, name);
  if (!S_ISLNK (st->st_mode))
    {
      if ((fd >= 0 ? fchmod (fd, st->st_mode & 07777) : fchmodat (dstdir, name, st->st_mode & 07777, 0)) < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: chmod `%s`", dest, name);
    }
  utimensat (dstdir, name, ts, AT_SYMLINK_NOFOLLOW);
  return 0;
}

static int
copy_entry (int src, int dst, const char *name, const char *dest, struct hull_error *err)
{
  struct stat st;
  int r;
  if (fstatat (src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return hull_err (err, errno, "tmpcopyup `%s`: stat `%s`", dest, name);
  if (S_ISDIR (st.st_mode))
    {
      if (mkdirat (dst, name, 0700) < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: mkdir `%s`", dest, name);
      _cleanup_close_ int s = openat (src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      _cleanup_close_ int d = openat (dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (s < 0 || d < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: open `%s`", dest, name);
      if ((r = copy_tree (s, d, dest, err)) < 0)
        return r;
      return copy_attrs (dst, name, d, &st, dest, err);
    }
  if (S_ISREG (st.st_mode))
    {
      _cleanup_close_ int fd = copy_file (src, dst, name, &st, dest, err);
      if (fd < 0)
        return fd;
      return copy_attrs (dst, name, fd, &st, dest, err);
    }
  if (S_ISLNK (st.st_mode))
    {
      char target[4096];
      ssize_t n = readlinkat (src, name, target, sizeof target - 1);
      if (n < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: readlink `%s`", dest, name);
      target[n] = '\0';
      if (symlinkat (target, dst, name) < 0)
        return hull_err (err, errno, "tmpcopyup `%s`: symlink `%s`", dest, name);
      return copy_attrs (dst, name, -1, &st, dest, err);
    }
  /* devices, fifos, sockets: recreated when permitted (not in a user namespace for devices) */
  if (mknodat (dst, name, st.st_mode, st.st_rdev) < 0)
    {
      if (errno == EPERM)
        {
          hull_debug ("tmpcopyup `%s`: cannot create special file `%s`, skipped", dest, name);
          return 0;
        }
      return hull_err (err, errno, "tmpcopyup `%s`: mknod `%s`", dest, name);
    }
  return copy_attrs (dst, name, -1, &st, dest, err);
}

static int
copy_tree (int src, int dst, const char *dest, struct hull_error *err)
{
  int dupfd = fcntl (src, F_DUPFD_CLOEXEC, 3);
  if (dupfd < 0)
    return hull_err (err, errno, "tmpcopyup `%s`", dest);
  _cleanup_closedir_ DIR *d = fdopendir (dupfd);
  if (!d)
    {
      close (dupfd);
      return hull_err (err, errno, "tmpcopyup `%s`: opendir", dest);
    }
  for (struct dirent *e; (errno = 0, e = readdir (d));)
    {
      if (!strcmp (e->d_name, ".") || !strcmp (e->d_name, ".."))
        continue;
      int r = copy_entry (src, dst, e->d_name, dest, err);
      if (r < 0)
        return r;
    }
  if (errno)
    return hull_err (err, errno, "tmpcopyup `%s`: readdir", dest);
  return 0;
}

/* --- one mount entry --- */

static bool
is_type (const char *type, const char *name)
{
  return type && !strcmp (type, name);
}

/* proc and sysfs must land on a real directory: mounting through a symlink has been an attack
 * vector (CVE-2019-19921, CVE-2019-16884).  Returns an O_PATH fd of the existing directory (the mount
 * target), -ENOENT when there is nothing there yet (to be created), or an error. */
static int
open_proc_sys_destination (struct rootfs_ctx *c, const struct hull_mount *m, struct hull_error *err)
{
  struct hull_error e;
  _cleanup_close_ int fd = rootfs_open_in_root (c->root_fd, m->destination, O_PATH | O_NOFOLLOW, &e);
  struct stat st;
  if (fd == -ENOENT)
    return fd;
  if (fd < 0)
    {
      *err = e;
      return fd;
    }
  if (fstat (fd, &st) < 0)
    return hull_err (err, errno, "stat mount destination `%s`", m->destination);
  if (!S_ISDIR (st.st_mode))
    return hull_errx (err, EINVAL, "mount %s on `%s`: the destination must be an ordinary directory, not a %s",
                      m->type, m->destination, S_ISLNK (st.st_mode) ? "symlink" : "file");
  return TAKE_FD (fd);
}

/* sysfs (no network namespace of our own) and mqueue (no IPC namespace) cannot be mounted in a user
 * namespace: bind the host's instead, as runc does. */
static const char *
userns_fallback_source (const char *type)
{
  if (is_type (type, "sysfs"))
    return "/sys";
  if (is_type (type, "mqueue"))
    return "/dev/mqueue";
  return NULL;
}

/* What may be mounted at or below /proc (runc's checkProcMount, CVE-2019-16884): at /proc only a
 * procfs; below it only a few files lxcfs-style tools provide, or binds of procfs files. */
static int
check_proc_mount (const struct hull_mount *m, const char *source, bool bind, struct hull_error *err)
{
  static const char *const allowed[] = { "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat",
                                         "/proc/swaps",   "/proc/uptime",    "/proc/loadavg", "/proc/slabinfo",
                                         "/proc/net/dev", "/proc/sys/kernel/ns_last_pid" };
  char dest[4096];
  size_t n = 0;
  /* clean the destination: "/", collapse slashes and "." components (".." is left: it cannot
   * climb above / inside the root, and resolution handles it) */
  const char *d = m->destination;
  dest[n++] = '/';
  while (*d && n < sizeof dest - 2)
    {
      while (*d == '/')
        d++;
      if (d[0] == '.' && (d[1] == '/' || d[1] == '\0'))
        {
          d++;
          continue;
        }
      while (*d && *d != '/' && n < sizeof dest - 2)
        dest[n++] = *d++;
      if (*d)
        dest[n++] = '/';
    }
  while (n > 1 && dest[n - 1] == '/')
    n--;
  dest[n] = '\0';
  if (strcmp (dest, "/proc") == 0)
    {
      if (is_type (m->type, "proc"))
        return 0;
      return hull_errx (err, EINVAL, "mounts: %s cannot be mounted because it is not of type proc", m->destination);
    }
  if (strncmp (dest, "/proc/", 6) != 0)
    return 0;
  for (size_t i = 0; i < ELEMENTSOF (allowed); i++)
    if (strcmp (dest, allowed[i]) == 0)
      return 0;
  if (bind)
    {
      struct statfs sf;
      if (statfs (source, &sf) == 0 && sf.f_type == 0x9fa0 /* PROC_SUPER_MAGIC */)
        return 0;
    }
  return hull_errx (err, EINVAL, "mounts: %s cannot be mounted because it is inside /proc", m->destination);
}

int
rootfs_mount_entry (struct rootfs_ctx *c, size_t index, struct hull_error *err)
{
  const struct hull_mount *m = &c->spec->mounts[index];
  const char *type = m->type;
  struct mount_opts o;
  int r = mount_opts_parse (m->options, &o, err);
  if (r < 0)
    return r;
  bool bind = o.bind || is_type (type, "bind") || is_type (type, "rbind");
  bool rec = o.rec || is_type (type, "rbind");
  int idmapped = c->mount_fds ? c->mount_fds[index] : -1;
  _cleanup_free_ char *source = NULL;
  _cleanup_close_ int target = -1, mounted = -1, under = -1;
  char tp[FDPATH_MAX];
  unsigned long flags = o.flags & ~MS_REMOUNT;

  if (m->source && m->source[0] != '/' && (bind || idmapped >= 0))
    source = xasprintf ("%s/%s", c->bundle, m->source);
  else
    source = xstrdup (m->source ? m->source : (type ? type : "none"));

  if (is_type (type, "proc") || is_type (type, "sysfs"))
    {
      target = open_proc_sys_destination (c, m, err);
      if (target < 0 && target != -ENOENT)
        {
          r = target;
          goto out;
        }
    }
  if ((r = check_proc_mount (m, source, bind, err)) < 0)
    goto out;

  if (target >= 0)
    ; /* the existing directory found above */
  else if (bind || idmapped >= 0)
    {
      struct stat st;
      if (stat (source, &st) < 0)
        {
          r = hull_err (err, errno, "mount `%s` to `%s`: stat source", source, m->destination);
          goto out;
        }
      target = rootfs_mkdir_in_root (c->root_fd, m->destination, S_ISDIR (st.st_mode) ? 0755 : 0644,
                                     !S_ISDIR (st.st_mode), err);
    }
  else
    target = rootfs_mkdir_in_root (c->root_fd, m->destination, 0755, false, err);
  if (target < 0)
    {
      r = target;
      goto out;
    }
  /* a test can swap the destination here: the mount below goes to the fd, not the path */
  hull_test_pause ("mount-dest");
  fd_path (tp, target);

  if (idmapped >= 0)
    {
      if (sys_move_mount (idmapped, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        {
          r = hull_err (err, errno, "attach the id-mapped mount `%s` to `%s`", source, m->destination);
          goto out;
        }
      bind = true; /* the flags remount below is a bind remount */
    }
  else if (o.flags & MS_REMOUNT)
    {
      unsigned long f = MS_REMOUNT | flags | (bind ? MS_BIND | (rootfs_locked_flags (tp) & ~o.clear) : 0);
      if (mount (NULL, tp, NULL, f, bind ? NULL : o.data) < 0)
        {
          r = hull_err (err, errno, "remount `%s`", m->destination);
          goto out;
        }
      flags = 0;
    }
  else if (bind)
    {
      if (mount (source, tp, NULL, MS_BIND | (rec ? MS_REC : 0), NULL) < 0)
        {
          r = hull_err (err, errno, "mount `%s` to `%s`", source, m->destination);
          goto out;
        }
    }
  else if (is_type (type, "cgroup"))
    {
      r = rootfs_mount_cgroup (c, m->destination, target, flags, err);
      if (r < 0)
        {
          hull_err_prefix (err, "mount cgroup on `%s`", m->destination);
          goto out;
        }
    }
  else
    {
      if (o.tmpcopyup && is_type (type, "tmpfs"))
        {
          under = openat (target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (under < 0)
            {
              r = hull_err (err, errno, "tmpcopyup: open `%s`", m->destination);
              goto out;
            }
        }
      /* linux.mountLabel: the SELinux context of what this mount creates (not for the filesystems
       * that cannot take one) */
      _cleanup_free_ char *labelled = NULL;
      const char *data = o.data;
      if (c->mount_label && !is_type (type, "proc") && !is_type (type, "sysfs") && !is_type (type, "cgroup")
          && !is_type (type, "cgroup2"))
        data = labelled = xasprintf ("%s%scontext=\"%s\"", o.data ? o.data : "", o.data ? "," : "",
                                     c->mount_label);
      if (mount (source, tp, type, flags, data) < 0)
        {
          const char *fallback = userns_fallback_source (type);
          int e = errno;
          if (!c->userns || !fallback || (e != EPERM && e != EBUSY))
            {
              r = hull_err (err, e, "mount %s `%s` to `%s`%s%s", type ? type : "", source, m->destination,
                            o.data ? " with data " : "", o.data ? o.data : "");
              goto out;
            }
          hull_debug ("mount %s on `%s`: %s; bind-mounting %s instead", type, m->destination, strerror (e),
                      fallback);
          if (mount (fallback, tp, NULL, MS_BIND | MS_REC, NULL) < 0)
            {
              r = hull_err (err, errno, "mount %s on `%s` failed (%s), and so did the bind of `%s`", type,
                            m->destination, strerror (e), fallback);
              goto out;
            }
          bind = true;
        }
    }

  if (under < 0 && !(bind && (flags & REMOUNT_FLAGS)) && !o.propagation && !o.rec_attr_set && !o.rec_attr_clr)
    {
      r = 0; /* nothing more to do on the new mount */
      goto out;
    }
  /* the fd of the new mount's root */
  mounted = rootfs_open_in_root (c->root_fd, m->destination, O_PATH, err);
  if (mounted < 0)
    {
      r = mounted;
      goto out;
    }
  fd_path (tp, mounted);

  if (under >= 0)
    {
      _cleanup_close_ int top = open (tp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (top < 0)
        {
          r = hull_err (err, errno, "tmpcopyup: open the tmpfs on `%s`", m->destination);
          goto out;
        }
      if ((r = copy_tree (under, top, m->destination, err)) < 0)
        goto out;
    }
  if (bind && (flags & REMOUNT_FLAGS) && (r = rootfs_bind_remount (tp, flags, o.clear, m->destination, err)) < 0)
    goto out;
  if (o.propagation && mount (NULL, tp, NULL, o.propagation, NULL) < 0)
    {
      r = hull_err (err, errno, "set propagation of `%s`", m->destination);
      goto out;
    }
  if (o.rec_attr_set || o.rec_attr_clr)
    {
      struct mount_attr attr = { .attr_set = o.rec_attr_set, .attr_clr = o.rec_attr_clr };
      if (sys_mount_setattr (mounted, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr) < 0)
        {
          r = hull_err (err, errno, "mount_setattr `%s` (recursive options)", m->destination);
          goto out;
        }
    }
  r = 0;
out:
  mount_opts_done (&o);
  return r;
}
