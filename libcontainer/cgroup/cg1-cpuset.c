/* SPDX-License-Identifier: Apache-2.0 */
/* v1 cpuset controller: cpuset.cpus, cpuset.mems; new directories inherit the parent's sets (a v1
 * cpuset with empty cpus or mems refuses tasks). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "../cleanup.h"
#include "../util.h"
#include "cgroup-internal.h"

int
cg1_cpuset_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  int rc;
  if (!r->has_cpu)
    return 0;
  /* mems first: a task may need the new memory nodes before its cpus move. */
  if (r->cpu.mems && *r->cpu.mems)
    {
      rc = cg_write (dirfd, "cpuset.mems", r->cpu.mems, err);
      if (rc < 0)
        return rc;
    }
  if (r->cpu.cpus && *r->cpu.cpus)
    {
      rc = cg_write (dirfd, "cpuset.cpus", r->cpu.cpus, err);
      if (rc < 0)
        return rc;
    }
  return 0;
}

/* The text of a small cgroup file in one read(2): kernfs makes the whole text of a cgroup file at
 * once, so a read that does not fill the buffer returned all of it (a longer text is read whole
 * by cg_read).  Trailing newline stripped; -errno on failure. */
static int
read_small (const char *path, char *buf, size_t size, char **ret_long)
{
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  ssize_t n;
  *ret_long = NULL;
  if (fd < 0)
    return -errno;
  do
    n = read (fd, buf, size);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  if ((size_t) n == size)
    return cg_read (AT_FDCWD, path, ret_long);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
    n--;
  buf[n] = '\0';
  return 0;
}

/* A new v1 cpuset directory has empty cpus and mems (or, with cgroup.clone_children, its parent's):
 * copy the parent's values, without reading the new directory's own. */
int
cg1_cpuset_init (const char *dir, struct hull_error *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  const char *sl = strrchr (dir, '/');
  if (!sl)
    return 0;
  for (size_t i = 0; i < ELEMENTSOF (files); i++)
    {
      _cleanup_free_ char *ppath = xasprintf ("%.*s/%s", (int) (sl - dir), dir, files[i]);
      _cleanup_free_ char *path = xasprintf ("%s/%s", dir, files[i]);
      _cleanup_free_ char *longval = NULL;
      char buf[512];
      const char *val;
      int r = read_small (ppath, buf, sizeof buf - 1, &longval);
      if (r < 0)
        return hull_err (err, -r, "read `%s`", ppath);
      val = longval ? longval : buf;
      if (!*val)
        continue;
      r = cg_write (AT_FDCWD, path, val, err);
      if (r < 0)
        return hull_err_prefix (err, "cgroup `%s`", dir);
    }
  return 0;
}
