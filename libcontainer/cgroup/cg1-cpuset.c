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

int
cg1_cpuset_init (const char *dir, struct hull_error *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  _cleanup_free_ char *parent = xstrdup (dir);
  _cleanup_close_ int fd = -1, pfd = -1;
  char *sl = strrchr (parent, '/');
  if (!sl)
    return 0;
  *sl = '\0';
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  pfd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || pfd < 0)
    return hull_err (err, errno, "open cpuset cgroup `%s`", fd < 0 ? dir : parent);
  for (size_t i = 0; i < ELEMENTSOF (files); i++)
    {
      _cleanup_free_ char *cur = NULL, *val = NULL;
      int r = cg_read (fd, files[i], &cur);
      if (r < 0)
        return hull_err (err, -r, "read `%s/%s`", dir, files[i]);
      if (*cur)
        continue;
      r = cg_read (pfd, files[i], &val);
      if (r < 0)
        return hull_err (err, -r, "read `%s/%s`", parent, files[i]);
      if (!*val)
        continue;
      r = cg_write (fd, files[i], val, err);
      if (r < 0)
        return hull_err_prefix (err, "cgroup `%s`", dir);
    }
  return 0;
}
