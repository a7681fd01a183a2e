/* SPDX-License-Identifier: Apache-2.0 */
/* Id-mapped mounts, parent side: see mount-idmap.h for the flow. */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "mount-idmap.h"
#include "namespaces.h"
#include "mount-options.h"
#include "util.h"

static int
sys_open_tree (int dirfd, const char *path, unsigned flags)
{
  return (int) syscall (SYS_open_tree, dirfd, path, flags);
}

static int
sys_mount_setattr (int dirfd, const char *path, unsigned flags, struct mount_attr *attr)
{
  return (int) syscall (SYS_mount_setattr, dirfd, path, flags, attr, sizeof *attr);
}

bool
mount_idmap_wanted (const struct hull_mount *m)
{
  if (m->has_uid_mappings || m->has_gid_mappings)
    return true;
  for (size_t i = 0; m->options && m->options[i]; i++)
    if (!strcmp (m->options[i], "idmap") || !strcmp (m->options[i], "ridmap"))
      return true;
  return false;
}

/* A user namespace with the given mappings, held by an fd: a child unshares it and waits while we
 * write its maps and open /proc/<child>/ns/user; then it exits. */
static int
userns_for_mapping (const struct hull_mount *m, struct hull_error *err)
{
  int pipefd[2], r;
  char path[64], c;
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return hull_err (err, errno, "pipe");
  pid_t pid = (pid_t) syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0)
    {
      r = hull_err (err, errno, "create a user namespace for an id-mapped mount");
      close (pipefd[0]);
      close (pipefd[1]);
      return r;
    }
  if (pid == 0)
    {
      close (pipefd[1]);
      while (read (pipefd[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (pipefd[0]);

  _cleanup_free_ char *uid = ns_format_id_map (m->uid_mappings, m->n_uid_mappings);
  _cleanup_free_ char *gid = ns_format_id_map (m->gid_mappings, m->n_gid_mappings);
  int fd = -1;
  snprintf (path, sizeof path, "/proc/%d/uid_map", (int) pid);
  if ((r = write_file_at (AT_FDCWD, path, uid, strlen (uid), 0)) < 0)
    {
      hull_err (err, -r, "write the uid mappings of the id-mapped mount `%s`", m->destination);
      goto out;
    }
  snprintf (path, sizeof path, "/proc/%d/gid_map", (int) pid);
  if ((r = write_file_at (AT_FDCWD, path, gid, strlen (gid), 0)) < 0)
    {
      hull_err (err, -r, "write the gid mappings of the id-mapped mount `%s`", m->destination);
      goto out;
    }
  snprintf (path, sizeof path, "/proc/%d/ns/user", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    r = hull_err (err, errno, "open `%s`", path);
out:
  close (pipefd[1]);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  return fd >= 0 ? fd : r;
}

static int
prepare_one (const struct hull_mount *m, const char *bundle, pid_t init_pid, struct hull_error *err)
{
  struct mount_opts o;
  int r = mount_opts_parse (m->options, &o, err);
  if (r < 0)
    return r;
  bool rec = o.rec || (m->type && !strcmp (m->type, "rbind"));
  bool ridmap = o.ridmap;
  mount_opts_done (&o);

  if (!m->source)
    return hull_errx (err, EINVAL, "id-mapped mount `%s`: a source is required", m->destination);
  _cleanup_free_ char *source
      = m->source[0] == '/' ? xstrdup (m->source) : xasprintf ("%s/%s", bundle, m->source);

  _cleanup_close_ int userns = -1;
  if (m->has_uid_mappings || m->has_gid_mappings)
    userns = userns_for_mapping (m, err);
  else
    {
      char path[64];
      snprintf (path, sizeof path, "/proc/%d/ns/user", (int) init_pid);
      userns = open (path, O_RDONLY | O_CLOEXEC);
      if (userns < 0)
        return hull_err (err, errno, "id-mapped mount `%s`: open the container's user namespace",
                         m->destination);
    }
  if (userns < 0)
    return userns;

  _cleanup_close_ int tree
      = sys_open_tree (AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0));
  if (tree < 0)
    return hull_err (err, errno, "id-mapped mount `%s`: open_tree `%s`", m->destination, source);
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) userns };
  if (sys_mount_setattr (tree, "", AT_EMPTY_PATH | (ridmap ? AT_RECURSIVE : 0), &attr) < 0)
    {
      int e = errno;
      return hull_err (err, e, "id-mapped mount `%s`: mount_setattr(MOUNT_ATTR_IDMAP) on `%s`%s",
                       m->destination, source,
                       e == EINVAL ? " (the filesystem may not support id-mapped mounts)" : "");
    }
  return TAKE_FD (tree);
}

int
mount_idmap_prepare (const struct hull_spec *spec, const char *bundle, pid_t init_pid, int **ret_fds,
                     struct hull_error *err)
{
  int *fds = NULL;
  *ret_fds = NULL;
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      if (!mount_idmap_wanted (&spec->mounts[i]))
        continue;
      if (!fds)
        {
          fds = xmalloc (spec->n_mounts * sizeof *fds);
          for (size_t j = 0; j < spec->n_mounts; j++)
            fds[j] = -1;
        }
      fds[i] = prepare_one (&spec->mounts[i], bundle, init_pid, err);
      if (fds[i] < 0)
        {
          int r = fds[i];
          fds[i] = -1;
          mount_idmap_free (fds, spec->n_mounts);
          return r;
        }
    }
  *ret_fds = fds;
  return 0;
}

void
mount_idmap_free (int *fds, size_t n)
{
  for (size_t i = 0; fds && i < n; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
}

bool
mount_idmap_supported (void)
{
  struct mount_attr attr = { 0 };
  if (geteuid () != 0)
    {
      /* an invalid call: ENOSYS when the syscall is missing, EINVAL/EBADF otherwise */
      if (sys_mount_setattr (-1, "", AT_EMPTY_PATH, &attr) < 0 && errno == ENOSYS)
        return false;
      return true;
    }
  struct hull_id_mapping map = { .container_id = 0, .host_id = 65534, .size = 1 };
  struct hull_mount m = { .destination = (char *) "/", .uid_mappings = &map, .gid_mappings = &map,
                          .n_uid_mappings = 1, .n_gid_mappings = 1 };
  struct hull_error e;
  _cleanup_close_ int userns = userns_for_mapping (&m, &e);
  if (userns < 0)
    return false;
  _cleanup_close_ int tree = sys_open_tree (AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return false;
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = (uint64_t) userns;
  return sys_mount_setattr (tree, "", AT_EMPTY_PATH, &attr) == 0;
}
