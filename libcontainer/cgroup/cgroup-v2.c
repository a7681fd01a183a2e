/* SPDX-License-Identifier: Apache-2.0 */
/* The unified (v2) manager: one directory; controllers enabled in cgroup.subtree_control of every
 * ancestor; freezer through cgroup.freeze / cgroup.events. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "../cleanup.h"
#include "../log.h"
#include "../util.h"
#include "cgroup-internal.h"

static const char *const wanted_controllers[] = { "cpuset", "cpu", "io", "memory", "pids", "hugetlb", "rdma", "misc" };

/* True when the cgroup at mount+rel already has every wanted controller the root has: then every
 * ancestor has them in its subtree_control (a controller is available to a cgroup only when its
 * parent enabled it), and the walk of cg2_enable_controllers would change nothing. */
bool
cg2_controllers_complete (const char *mount, const char *rel)
{
  _cleanup_free_ char *root = NULL, *leaf = NULL;
  _cleanup_free_ char *leaf_file = xasprintf ("%s%s/cgroup.controllers", mount, rel);
  _cleanup_free_ char *root_file = xasprintf ("%s/cgroup.controllers", mount);
  if (cg_read (AT_FDCWD, leaf_file, &leaf) < 0 || cg_read (AT_FDCWD, root_file, &root) < 0)
    return false;
  for (size_t i = 0; i < ELEMENTSOF (wanted_controllers); i++)
    if (cg_list_has (root, wanted_controllers[i], " ") && !cg_list_has (leaf, wanted_controllers[i], " "))
      return false;
  return true;
}

int
cg2_enable_controllers (const char *mount, const char *rel, struct hull_error *err)
{
  _cleanup_free_ char *p = xstrdup (mount);
  _cleanup_free_ char *relc = xstrdup (rel);
  char *save = NULL, *next;
  /* Walk root → parent of the leaf: each level enables what it has for its children. */
  for (char *c = strtok_r (relc, "/", &save); c; c = next)
    {
      _cleanup_close_ int fd = open (p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      _cleanup_free_ char *avail = NULL, *enabled = NULL;
      next = strtok_r (NULL, "/", &save);
      if (fd < 0)
        return hull_err (err, errno, "open cgroup `%s`", p);
      if (cg_read (fd, "cgroup.controllers", &avail) < 0)
        avail = xstrdup ("");
      if (cg_read (fd, "cgroup.subtree_control", &enabled) < 0)
        enabled = xstrdup ("");
      /* a populated cgroup (below the root) must not get controllers for its children: domain ones
       * are refused (EBUSY), and threaded ones would make it a thread root whose children can take
       * no process (EOPNOTSUPP) */
      _cleanup_free_ char *procs = NULL;
      if (p[strlen (mount)] != '\0' && cg_read (fd, "cgroup.procs", &procs) == 0 && procs[0] != '\0')
        {
          hull_debug ("cgroup `%s` has processes: no controllers enabled below it", p);
          goto next_level;
        }
      for (size_t i = 0; i < ELEMENTSOF (wanted_controllers); i++)
        {
          const char *ctrl = wanted_controllers[i];
          char buf[32];
          int r;
          if (!cg_list_has (avail, ctrl, " ") || cg_list_has (enabled, ctrl, " "))
            continue;
          snprintf (buf, sizeof buf, "+%s", ctrl);
          r = cg_write (fd, "cgroup.subtree_control", buf, err);
          if (r < 0)
            return hull_err_prefix (err, "enable controller in `%s`", p);
        }
    next_level:;
      char *np = xasprintf ("%s/%s", p, c);
      free (p);
      p = np;
    }
  return 0;
}

int
cg2_apply (struct hull_cgroup *cg, const struct hull_resources *r, struct hull_error *err)
{
  static int (*const fns[]) (int, const struct hull_resources *, struct hull_error *) = {
    cg2_cpuset_apply, cg2_cpu_apply,     cg2_memory_apply, cg2_pids_apply,    cg2_io_apply,
    cg2_hugetlb_apply, cg2_rdma_apply, cg2_devices_apply, cg2_unified_apply,
  };
  struct cg_hier *u = cg_unified (cg);
  int fd, rc;
  if (!u)
    return hull_errx (err, ENOENT, "no cgroup2 hierarchy");
  fd = cg_hier_fd (u, err);
  if (fd < 0)
    return fd;
  for (size_t i = 0; i < ELEMENTSOF (fns); i++)
    {
      rc = fns[i](fd, r, err);
      if (rc == -ENOENT)
        return hull_err_prefix (err, "cgroup `%s` (is the controller enabled?)", u->path);
      if (rc < 0)
        return rc;
    }
  return 0;
}

int
cg2_freeze (struct hull_cgroup *cg, bool freeze, struct hull_error *err)
{
  struct cg_hier *u = cg_unified (cg);
  int fd, r;
  if (!u)
    return hull_errx (err, ENOENT, "no cgroup2 hierarchy");
  fd = cg_hier_fd (u, err);
  if (fd < 0)
    return fd;
  r = cg_write (fd, "cgroup.freeze", freeze ? "1" : "0", err);
  if (r < 0)
    return r;
  for (unsigned i = 0; i < 1000; i++)
    {
      uint64_t frozen = 0;
      r = cg_read_key_u64 (fd, "cgroup.events", "frozen", &frozen);
      if (r < 0)
        return hull_err (err, -r, "read cgroup.events");
      if ((frozen == 1) == freeze)
        return 0;
      cg_sleep_ms (i < 100 ? 1 : 10);
    }
  if (freeze)
    {
      struct hull_error e2 = { 0 };
      cg_write (fd, "cgroup.freeze", "0", &e2);
    }
  return hull_errx (err, ETIMEDOUT, "timed out waiting for cgroup `%s` to be %s", u->path,
                    freeze ? "frozen" : "thawed");
}

bool
cg2_is_frozen (struct hull_cgroup *cg)
{
  struct hull_error e = { 0 };
  struct cg_hier *u = cg_unified (cg);
  uint64_t v = 0;
  if (!u || cg_hier_fd (u, &e) < 0)
    return false;
  if (cg_read_u64 (u->fd, "cgroup.freeze", &v) < 0)
    return false;
  return v == 1;
}
