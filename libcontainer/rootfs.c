/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "cleanup.h"
#include "log.h"
#include "mount-options.h"
#include "rootfs.h"
#include "util.h"

#define FDPATH_MAX 32
#define fd_path(buf, fd) (snprintf ((buf), sizeof (buf), "/proc/self/fd/%d", (fd)), (buf))

static int
sys_openat2 (int dirfd, const char *path, struct open_how *how)
{
  return (int) syscall (SYS_openat2, dirfd, path, how, sizeof *how);
}

/* Without openat2 (old kernel, or a seccomp filter answering ENOSYS/EPERM): the same resolution
 * done one component at a time.  Every component is opened O_PATH|O_NOFOLLOW below the previous
 * one; a symlink is read and its target walked again from the root (absolute) or from its parent
 * (relative); ".." never goes above the root; magic links (procfs fd links) are refused. */
#define WALK_MAX_DEPTH 256
#define WALK_MAX_LINKS 40

static bool
is_magic_link (int fd)
{
  struct statfs sf;
  return fstatfs (fd, &sf) == 0 && sf.f_type == 0x9fa0 /* PROC_SUPER_MAGIC */;
}

static int
walk_in_root (int root_fd, const char *path, int flags, struct hull_error *err)
{
  int stack[WALK_MAX_DEPTH];
  size_t depth = 0;
  int links = 0, r = 0;
  _cleanup_free_ char *todo = xstrdup (path);

  stack[depth++] = fcntl (root_fd, F_DUPFD_CLOEXEC, 3);
  if (stack[0] < 0)
    return hull_err (err, errno, "open `%s` in the rootfs", path);
  char *rest = todo;
  while (rest && *rest)
    {
      char *comp = rest, *slash = strchr (rest, '/');
      if (slash)
        {
          *slash = '\0';
          rest = slash + 1;
        }
      else
        rest = NULL;
      if (!*comp || !strcmp (comp, "."))
        continue;
      if (!strcmp (comp, ".."))
        {
          if (depth > 1)
            close (stack[--depth]);
          continue;
        }
      bool last = !rest || !*rest;
      int fd = openat (stack[depth - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        {
          r = hull_err (err, errno, "open `%s` in the rootfs", path);
          goto out;
        }
      struct stat st;
      if (fstat (fd, &st) < 0)
        {
          r = hull_err (err, errno, "stat `%s` in the rootfs", path);
          close (fd);
          goto out;
        }
      if (S_ISLNK (st.st_mode) && !(last && (flags & O_NOFOLLOW)))
        {
          char target[4096];
          ssize_t n = readlinkat (fd, "", target, sizeof target - 1);
          bool magic = is_magic_link (fd);
          close (fd);
          if (n < 0 || magic || ++links > WALK_MAX_LINKS)
            {
              r = hull_err (err, n < 0 ? errno : magic ? EXDEV : ELOOP, "open `%s` in the rootfs", path);
              goto out;
            }
          target[n] = '\0';
          char *next = xasprintf ("%s%s%s", target, rest ? "/" : "", rest ? rest : "");
          free (todo);
          todo = rest = next;
          if (target[0] == '/')
            while (depth > 1)
              close (stack[--depth]);
          continue;
        }
      if (depth == WALK_MAX_DEPTH)
        {
          close (fd);
          r = hull_err (err, ENAMETOOLONG, "open `%s` in the rootfs", path);
          goto out;
        }
      stack[depth++] = fd;
    }
  if ((flags & O_ACCMODE) == O_RDONLY && (flags & O_PATH))
    r = fcntl (stack[depth - 1], F_DUPFD_CLOEXEC, 3);
  else
    {
      char fp[32];
      snprintf (fp, sizeof fp, "/proc/self/fd/%d", stack[depth - 1]);
      r = open (fp, (flags & ~O_NOFOLLOW) | O_CLOEXEC);
    }
  if (r < 0)
    r = hull_err (err, errno, "open `%s` in the rootfs", path);
out:
  while (depth > 0)
    close (stack[--depth]);
  return r;
}

int
rootfs_open_in_root (int root_fd, const char *path, int flags, struct hull_error *err)
{
  static bool no_openat2;
  struct open_how how = {
    .flags = (uint64_t) (flags | O_CLOEXEC),
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  while (*path == '/')
    path++;
  if (*path == '\0')
    path = ".";
  if (!no_openat2)
    {
      int fd = sys_openat2 (root_fd, path, &how);
      if (fd >= 0)
        return fd;
      if (errno != ENOSYS && errno != EPERM && errno != E2BIG)
        return hull_err (err, errno, "open `%s` in the rootfs", path);
      no_openat2 = true;
    }
  return walk_in_root (root_fd, path, flags, err);
}

/* mkdir -p inside the root.  A dangling symlink on the way is followed the way the kernel would,
 * inside the root (an absolute target is taken from the root, `..` stops at it), and what it names
 * is created. */
static int
mkdir_in_root (int root_fd, const char *path, mode_t mode, bool file, int depth, struct hull_error *err)
{
  struct hull_error e;
  int fd = rootfs_open_in_root (root_fd, path, O_PATH, &e);
  if (fd >= 0 || fd != -ENOENT)
    {
      if (fd < 0)
        *err = e;
      return fd;
    }
  if (depth > 40)
    return hull_errx (err, ELOOP, "create `%s` in the rootfs: too many levels of symbolic links", path);
  /* create the parent, then the last component below the parent fd */
  _cleanup_free_ char *copy = xstrdup (path);
  char *slash;
  size_t len = strlen (copy);
  while (len > 1 && copy[len - 1] == '/')
    copy[--len] = '\0';
  slash = strrchr (copy, '/');
  const char *name = slash ? slash + 1 : copy;
  _cleanup_close_ int parent = -1;
  if (slash && slash != copy)
    {
      *slash = '\0';
      parent = mkdir_in_root (root_fd, copy, 0755, false, depth, err);
    }
  else
    parent = fcntl (root_fd, F_DUPFD_CLOEXEC, 3);
  if (parent < 0)
    return parent;
  if (!strcmp (name, "..") || !strcmp (name, ".") || !*name)
    return hull_errx (err, EINVAL, "invalid path `%s` in the rootfs", path);
  /* an O_PATH fd serves as the dirfd of the *at() calls below */
  int dir = parent;
  int r = 0;
  if (file)
    {
      int f = openat (dir, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, mode & 0777);
      if (f >= 0)
        close (f);
      else
        r = -errno;
    }
  else if (mkdirat (dir, name, mode) < 0)
    r = -errno;
  if (r == -EEXIST)
    {
      /* a dangling symlink: create its target, resolved inside the root */
      char target[4096];
      ssize_t n = readlinkat (dir, name, target, sizeof target - 1);
      if (n > 0)
        {
          target[n] = '\0';
          _cleanup_free_ char *next = target[0] == '/' || !slash || slash == copy
                                          ? xasprintf ("%s%s", target[0] == '/' ? "" : "/", target)
                                          : xasprintf ("%s/%s", copy, target);
          return mkdir_in_root (root_fd, next, mode, file, depth + 1, err);
        }
    }
  else if (r < 0)
    return hull_err (err, -r, "%s `%s` in the rootfs", file ? "create" : "mkdir", path);
  /* just created (or found) as a real directory entry below dir: no symlink to follow (a directory
   * opened O_NOFOLLOW|O_DIRECTORY cannot be a symlink: that fails with ENOTDIR) */
  fd = openat (dir, name, O_PATH | O_CLOEXEC | O_NOFOLLOW | (file ? 0 : O_DIRECTORY));
  if (fd < 0)
    {
      if (errno == ENOTDIR && !file)
        return hull_errx (err, ELOOP, "open `%s` in the rootfs: replaced by a symlink or not a directory", path);
      return hull_err (err, errno, "open `%s` in the rootfs", path);
    }
  struct stat st;
  if (file && (fstat (fd, &st) < 0 || S_ISLNK (st.st_mode)))
    {
      close (fd);
      return hull_errx (err, ELOOP, "open `%s` in the rootfs: replaced by a symlink", path);
    }
  return fd;
}

int
rootfs_mkdir_in_root (int root_fd, const char *path, mode_t mode, bool file, struct hull_error *err)
{
  return mkdir_in_root (root_fd, path, mode, file, 0, err);
}

static const struct
{
  const char *name;
  unsigned major, minor;
} default_devices[] = {
  { "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 }, { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

/* Open the directory that holds `path` inside the root (created when missing) for *at() calls;
 * *name is set to the last component of path (inside *copy, to be freed). */
static int
open_parent_dir (struct rootfs_ctx *c, const char *path, char **copy, const char **name, struct hull_error *err)
{
  char *slash;
  *copy = xstrdup (path);
  slash = strrchr (*copy, '/');
  *name = slash ? slash + 1 : *copy;
  if (slash)
    *slash = '\0';
  /* O_PATH: enough for the *at() calls */
  return rootfs_mkdir_in_root (c->root_fd, slash && **copy ? *copy : "/", 0755, false, err);
}

/* Create the device node `name` in the directory dir (`path` inside the root, for messages); in a
 * user namespace bind-mount the host's node instead. */
static int
make_device (struct rootfs_ctx *c, int dir, const char *name, const char *path, char type, unsigned major,
             unsigned minor, mode_t mode, bool has_uid, uid_t uid, bool has_gid, gid_t gid, struct hull_error *err)
{
  mode_t fmt = type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;

  if (!c->userns || type == 'p')
    {
      int r = mknodat (dir, name, fmt | (mode & 07777), makedev (major, minor));
      if (r < 0 && errno == EEXIST)
        {
          /* whatever the rootfs had under that name is replaced */
          unlinkat (dir, name, 0);
          r = mknodat (dir, name, fmt | (mode & 07777), makedev (major, minor));
        }
      if (r < 0)
        {
          if (errno != EPERM)
            return hull_err (err, errno, "mknod `%s`", path);
          goto bind;
        }
      if ((has_uid || has_gid)
          && fchownat (dir, name, has_uid ? uid : (uid_t) -1, has_gid ? gid : (gid_t) -1, AT_SYMLINK_NOFOLLOW) < 0)
        return hull_err (err, errno, "chown `%s`", path);
      return 0;
    }
  unlinkat (dir, name, 0);
bind:
  {
    char host[64], tp[FDPATH_MAX];
    struct stat st;
    snprintf (host, sizeof host, "/dev/%s", name);
    if (stat (host, &st) < 0 || !(S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode)) || major (st.st_rdev) != major
        || minor (st.st_rdev) != minor)
      {
        /* the host node under that name is not the device asked for: search by number is not worth it */
        return hull_errx (err, EPERM, "create device `%s`: mknod not permitted and no matching /dev/%s on the host",
                          path, name);
      }
    /* the mount point: an empty file, or what is already there (a node bound earlier stays busy) */
    struct stat have;
    if (fstatat (dir, name, &have, AT_SYMLINK_NOFOLLOW) == 0 && (have.st_mode & S_IFMT) == (st.st_mode & S_IFMT)
        && have.st_rdev == st.st_rdev)
      return 0; /* that very node is already bound there (a default device) */
    if (fstatat (dir, name, &have, AT_SYMLINK_NOFOLLOW) < 0)
      {
        int f = openat (dir, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (f < 0)
          return hull_err (err, errno, "create `%s`", path);
        close (f);
      }
    _cleanup_close_ int t = rootfs_open_in_root (c->root_fd, path, O_PATH | O_NOFOLLOW, err);
    if (t < 0)
      return t;
    if (mount (host, fd_path (tp, t), NULL, MS_BIND, NULL) < 0)
      return hull_err (err, errno, "bind mount `%s` to `%s`", host, path);
    return 0;
  }
}

static bool
dev_is_bind_mounted (const struct hull_spec *spec)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct hull_mount *m = &spec->mounts[i];
      if (strcmp (m->destination, "/dev") != 0)
        continue;
      if (m->type && (!strcmp (m->type, "bind") || !strcmp (m->type, "rbind")))
        return true;
      for (size_t j = 0; m->options && m->options[j]; j++)
        if (!strcmp (m->options[j], "bind") || !strcmp (m->options[j], "rbind"))
          return true;
    }
  return false;
}

static int
setup_dev (struct rootfs_ctx *c, struct hull_error *err)
{
  const struct hull_linux *lx = c->spec->linux_;
  int r;
  static const struct
  {
    const char *target, *name;
  } links[] = {
    { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
    { "/proc/self/fd/2", "stderr" },
  };

  if (dev_is_bind_mounted (c->spec))
    return 0;
  /* O_PATH: enough for mknodat, symlinkat and unlinkat */
  _cleanup_close_ int dev = rootfs_mkdir_in_root (c->root_fd, "/dev", 0755, false, err);
  if (dev < 0)
    return dev;
  for (size_t i = 0; i < ELEMENTSOF (default_devices); i++)
    {
      char path[32];
      snprintf (path, sizeof path, "/dev/%s", default_devices[i].name);
      r = make_device (c, dev, default_devices[i].name, path, 'c', default_devices[i].major,
                       default_devices[i].minor, 0666, false, 0, false, 0, err);
      if (r < 0)
        return r;
    }
  for (size_t i = 0; lx && i < lx->n_devices; i++)
    {
      const struct hull_device *d = &lx->devices[i];
      _cleanup_free_ char *copy = NULL;
      const char *name;
      _cleanup_close_ int dir = open_parent_dir (c, d->path, &copy, &name, err);
      if (dir < 0)
        return dir;
      r = make_device (c, dir, name, d->path, d->type == 'u' ? 'c' : d->type, (unsigned) d->major,
                       (unsigned) d->minor, d->has_file_mode ? d->file_mode : 0666, d->has_uid, d->uid, d->has_gid,
                       d->gid, err);
      if (r < 0)
        return r;
    }

  for (size_t i = 0; i < ELEMENTSOF (links); i++)
    if (symlinkat (links[i].target, dev, links[i].name) < 0 && errno != EEXIST)
      return hull_err (err, errno, "symlink /dev/%s", links[i].name);
  if (access ("/proc/kcore", F_OK) == 0 && symlinkat ("/proc/kcore", dev, "core") < 0 && errno != EEXIST)
    return hull_err (err, errno, "symlink /dev/core");
  /* /dev/ptmx → pts/ptmx, replacing whatever the rootfs had */
  if (unlinkat (dev, "ptmx", 0) < 0 && errno != ENOENT)
    return hull_err (err, errno, "remove /dev/ptmx");
  if (symlinkat ("pts/ptmx", dev, "ptmx") < 0)
    return hull_err (err, errno, "symlink /dev/ptmx");

  if (c->console_slave_fd >= 0)
    {
      char sp[FDPATH_MAX], tp[FDPATH_MAX];
      _cleanup_close_ int t = rootfs_mkdir_in_root (c->root_fd, "/dev/console", 0600, true, err);
      if (t < 0)
        return t;
      if (mount (fd_path (sp, c->console_slave_fd), fd_path (tp, t), NULL, MS_BIND, NULL) < 0)
        return hull_err (err, errno, "bind mount the console to /dev/console");
    }
  return 0;
}

static int
mask_paths (struct rootfs_ctx *c, struct hull_error *err)
{
  const struct hull_linux *lx = c->spec->linux_;
  struct hull_error e;
  char tp[FDPATH_MAX];
  int r;

  for (size_t i = 0; lx && lx->masked_paths && lx->masked_paths[i]; i++)
    {
      const char *p = lx->masked_paths[i];
      _cleanup_close_ int fd = rootfs_open_in_root (c->root_fd, p, O_PATH | O_NOFOLLOW, &e);
      struct stat st;
      if (fd == -ENOENT)
        continue;
      if (fd < 0)
        {
          *err = e;
          return fd;
        }
      if (fstat (fd, &st) < 0)
        return hull_err (err, errno, "stat masked path `%s`", p);
      if (S_ISDIR (st.st_mode))
        {
          if (mount ("tmpfs", fd_path (tp, fd), "tmpfs", MS_RDONLY, NULL) < 0)
            return hull_err (err, errno, "mask directory `%s`", p);
        }
      else if (mount ("/dev/null", fd_path (tp, fd), NULL, MS_BIND, NULL) < 0)
        return hull_err (err, errno, "mask `%s`", p);
    }
  for (size_t i = 0; lx && lx->readonly_paths && lx->readonly_paths[i]; i++)
    {
      const char *p = lx->readonly_paths[i];
      _cleanup_close_ int fd = rootfs_open_in_root (c->root_fd, p, O_PATH | O_NOFOLLOW, &e);
      if (fd == -ENOENT)
        continue;
      if (fd < 0)
        {
          *err = e;
          return fd;
        }
      if (mount (fd_path (tp, fd), tp, NULL, MS_BIND | MS_REC, NULL) < 0)
        return hull_err (err, errno, "bind readonly path `%s`", p);
      hull_test_pause ("readonly-path");
      _cleanup_close_ int m = rootfs_open_in_root (c->root_fd, p, O_PATH | O_NOFOLLOW, err);
      if (m < 0)
        return m;
      fd_path (tp, m);
      if ((r = rootfs_bind_remount (tp, MS_RDONLY, 0, p, err)) < 0)
        return r;
    }
  return 0;
}

/* linux.rootfsPropagation: what "/" gets before the rootfs is bound (`initial`: everything becomes
 * a slave by default so nothing leaks out; shared and unbindable mounts cannot be bound as they are,
 * so they start as slave and private) and what the new root gets after pivot_root (`final`, 0 = none). */
static void
propagation_flags (const char *p, unsigned long *initial, unsigned long *final)
{
  *initial = MS_SLAVE | MS_REC;
  *final = 0;
  if (!p)
    return;
  if (!strcmp (p, "shared") || !strcmp (p, "rshared"))
    *final = MS_SHARED | MS_REC;
  else if (!strcmp (p, "private") || !strcmp (p, "rprivate"))
    *initial = MS_PRIVATE | MS_REC;
  else if (!strcmp (p, "unbindable") || !strcmp (p, "runbindable"))
    {
      *initial = MS_PRIVATE | MS_REC;
      *final = MS_UNBINDABLE | MS_REC;
    }
}

int
rootfs_setup (struct rootfs_ctx *c, struct hull_error *err)
{
  const struct hull_linux *lx = c->spec->linux_;
  unsigned long prop, final;
  int r;

  propagation_flags (lx ? lx->rootfs_propagation : NULL, &prop, &final);
  if (mount (NULL, "/", NULL, prop, NULL) < 0)
    return hull_err (err, errno, "set propagation of `/`");
  if (mount (c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return hull_err (err, errno, "bind mount the rootfs `%s`", c->rootfs);
  c->root_fd = open (c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (c->root_fd < 0)
    return hull_err (err, errno, "open the rootfs `%s`", c->rootfs);

  for (size_t i = 0; i < c->spec->n_mounts; i++)
    {
      r = rootfs_mount_entry (c, i, err);
      if (r < 0)
        return r;
    }
  r = setup_dev (c, err);
  if (r < 0)
    return r;
  return mask_paths (c, err);
}

int
rootfs_pivot (struct rootfs_ctx *c, struct hull_error *err)
{
  const struct hull_linux *lx = c->spec->linux_;
  unsigned long prop, final;
  char rp[FDPATH_MAX];

  propagation_flags (lx ? lx->rootfs_propagation : NULL, &prop, &final);
  _cleanup_close_ int newroot = open (fd_path (rp, c->root_fd), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (newroot < 0)
    return hull_err (err, errno, "open the rootfs");
  if (fchdir (newroot) < 0)
    return hull_err (err, errno, "chdir to the rootfs");

  if (c->no_pivot)
    {
      if (mount (".", "/", NULL, MS_MOVE, NULL) < 0)
        return hull_err (err, errno, "move the rootfs to `/`");
      if (chroot (".") < 0)
        return hull_err (err, errno, "chroot");
    }
  else
    {
      _cleanup_close_ int oldroot = open ("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (oldroot < 0)
        return hull_err (err, errno, "open `/`");
      if (syscall (SYS_pivot_root, ".", ".") < 0)
        return hull_err (err, errno, "pivot_root");
      if (fchdir (oldroot) < 0)
        return hull_err (err, errno, "chdir to the old root");
      if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return hull_err (err, errno, "make the old root a slave");
      if (umount2 (".", MNT_DETACH) < 0)
        return hull_err (err, errno, "unmount the old root");
    }
  if (chdir ("/") < 0)
    return hull_err (err, errno, "chdir to `/`");
  if (final && mount (NULL, "/", NULL, final, NULL) < 0)
    return hull_err (err, errno, "set the propagation of `/` (rootfsPropagation `%s`)", lx->rootfs_propagation);
  if (c->spec->root_readonly)
    {
      int r = rootfs_bind_remount ("/", MS_RDONLY, 0, "/", err);
      if (r < 0)
        return hull_err_prefix (err, "make the root read-only");
    }
  return 0;
}

char *
rootfs_passwd_home (int root_fd, uid_t uid)
{
  struct hull_error e;
  _cleanup_close_ int fd = rootfs_open_in_root (root_fd, "/etc/passwd", O_RDONLY, &e);
  _cleanup_fclose_ FILE *f = NULL;
  _cleanup_free_ char *line = NULL;
  size_t cap = 0;
  if (fd < 0 || !(f = fdopen (fd, "r")))
    return xstrdup ("/");
  fd = -1;
  while (getline (&line, &cap, f) > 0)
    {
      /* name:passwd:uid:gid:gecos:home:shell */
      char *fields[7] = { 0 }, *save = NULL, *p = line;
      int n = 0;
      for (char *t; n < 7 && (t = strsep (&p, ":\n")); n++)
        fields[n] = t;
      (void) save;
      uint64_t v;
      if (n >= 6 && parse_u64 (fields[2], 10, &v) == 0 && v == uid && fields[5][0])
        return xstrdup (fields[5]);
    }
  return xstrdup ("/");
}

void
rootfs_add_home (char ***env, int root_fd, uid_t uid)
{
  for (size_t i = 0; *env && (*env)[i]; i++)
    if (str_has_prefix ((*env)[i], "HOME="))
      return;
  _cleanup_free_ char *home = rootfs_passwd_home (root_fd, uid);
  _cleanup_free_ char *kv = xasprintf ("HOME=%s", home);
  strv_append (env, kv);
}
