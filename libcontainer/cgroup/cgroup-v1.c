/* SPDX-License-Identifier: Apache-2.0 */
/* The legacy (v1) manager, also used on hybrid hosts: one hierarchy per controller group.  Each
 * controller is applied in its own hierarchy; a controller not mounted in v1 falls back to the cgroup2
 * tree on hybrid hosts when that tree has it (hugetlb on this kind of machine). */
#include <errno.h>
#include <string.h>
#include "../cleanup.h"
#include "../log.h"
#include "../util.h"
#include "cgroup-internal.h"

static bool
want_cpu (const struct hull_resources *r)
{
  return r->has_cpu
         && (r->cpu.shares != HULL_UNSET || r->cpu.quota != HULL_UNSET_I64 || r->cpu.period != HULL_UNSET
             || r->cpu.burst != HULL_UNSET || r->cpu.realtime_runtime != HULL_UNSET_I64
             || r->cpu.realtime_period != HULL_UNSET || r->cpu.has_idle);
}
static bool
want_cpuset (const struct hull_resources *r)
{
  return r->has_cpu && ((r->cpu.cpus && *r->cpu.cpus) || (r->cpu.mems && *r->cpu.mems));
}
static bool
want_memory (const struct hull_resources *r)
{
  return r->has_memory;
}
static bool
want_pids (const struct hull_resources *r)
{
  return r->has_pids && r->pids_limit != HULL_UNSET_I64;
}
static bool
want_blkio (const struct hull_resources *r)
{
  return r->has_block_io;
}
static bool
want_hugetlb (const struct hull_resources *r)
{
  return r->n_hugepage_limits > 0;
}
static bool
want_net_cls (const struct hull_resources *r)
{
  return r->has_network && r->network.has_class_id;
}
static bool
want_net_prio (const struct hull_resources *r)
{
  return r->has_network && r->network.n_priorities > 0;
}
static bool
want_devices (const struct hull_resources *r)
{
  return r->n_devices > 0;
}
static bool
want_rdma (const struct hull_resources *r)
{
  return r->n_rdma > 0;
}

typedef int (*cg_apply_fn) (int dirfd, const struct hull_resources *r, struct hull_error *err);

static const struct
{
  const char *name;
  bool (*wanted) (const struct hull_resources *r);
  cg_apply_fn v1, v2; /* v2: fallback into the cgroup2 tree on hybrid hosts */
} controllers[] = {
  { "cpuset", want_cpuset, cg1_cpuset_apply, cg2_cpuset_apply },
  { "cpu", want_cpu, cg1_cpu_apply, cg2_cpu_apply },
  { "memory", want_memory, cg1_memory_apply, cg2_memory_apply },
  { "pids", want_pids, cg1_pids_apply, cg2_pids_apply },
  { "blkio", want_blkio, cg1_blkio_apply, NULL },
  { "hugetlb", want_hugetlb, cg1_hugetlb_apply, cg2_hugetlb_apply },
  { "net_cls", want_net_cls, cg1_net_cls_apply, NULL },
  { "net_prio", want_net_prio, cg1_net_prio_apply, NULL },
  { "rdma", want_rdma, cg1_rdma_apply, cg2_rdma_apply },
  { "devices", want_devices, cg1_devices_apply, NULL },
};

int
cg1_apply (struct hull_cgroup *cg, const struct hull_resources *r, struct hull_error *err)
{
  struct cg_hier *u = cg->mode == HULL_CGROUP_HYBRID ? cg_unified (cg) : NULL;
  _cleanup_free_ char *u_ctrls = NULL;
  int rc;
  bool fallback = false;
  for (size_t i = 0; u && i < ELEMENTSOF (controllers); i++)
    if (controllers[i].v2 && controllers[i].wanted (r) && !cg_find (cg, controllers[i].name))
      fallback = true;
  /* the cgroup2 tree is opened only when something is written there */
  if (u && (fallback || r->n_unified > 0))
    {
      rc = cg_hier_fd (u, err);
      if (rc < 0)
        return rc;
      if (fallback)
        {
          struct hull_error e2 = { 0 };
          if (cg2_enable_controllers (u->mount, u->rel, &e2) < 0)
            hull_debug ("%s, ignored", e2.msg);
        }
      if (cg_read (u->fd, "cgroup.controllers", &u_ctrls) < 0)
        u_ctrls = xstrdup ("");
    }
  for (size_t i = 0; i < ELEMENTSOF (controllers); i++)
    {
      struct cg_hier *h;
      int fd;
      if (!controllers[i].wanted (r))
        continue;
      h = cg_find (cg, controllers[i].name);
      if (h)
        {
          fd = cg_hier_fd (h, err);
          rc = fd < 0 ? fd : controllers[i].v1 (fd, r, err);
        }
      else if (u && controllers[i].v2 && cg_list_has (u_ctrls, controllers[i].name, " "))
        {
          /* On hybrid hosts the cgroup2 tree only holds controllers v1 does not: the parent may
           * need them enabled in its subtree_control first. */
          rc = cg2_enable_controllers (u->mount, u->rel, err);
          if (rc == 0)
            rc = controllers[i].v2 (u->fd, r, err);
        }
      else
        {
          hull_warn ("cgroup controller %s is not mounted: its linux.resources are not applied, ignoring",
                     controllers[i].name);
          continue;
        }
      if (rc < 0)
        return rc;
    }
  if (r->n_unified > 0)
    {
      if (!u)
        return hull_errx (err, ENOTSUP, "linux.resources.unified needs cgroup v2, this host uses cgroup v1");
      return cg2_unified_apply (u->fd, r, err);
    }
  return 0;
}

static int
freezer_fd (struct hull_cgroup *cg, struct hull_error *err)
{
  struct cg_hier *h = cg_find (cg, "freezer");
  if (!h)
    return hull_errx (err, ENOTSUP, "cgroup freezer controller is not mounted");
  return cg_hier_fd (h, err);
}

int
cg1_freeze (struct hull_cgroup *cg, bool freeze, struct hull_error *err)
{
  const char *want = freeze ? "FROZEN" : "THAWED";
  int fd = freezer_fd (cg, err);
  if (fd < 0)
    return fd;
  /* FREEZING can stall while a task is in an uninterruptible sleep; writing FROZEN again retries. */
  for (unsigned i = 0; i < 2000; i++)
    {
      _cleanup_free_ char *state = NULL;
      int r;
      if (i % 10 == 0)
        {
          r = cg_write (fd, "freezer.state", want, err);
          if (r < 0)
            return r;
        }
      r = cg_read (fd, "freezer.state", &state);
      if (r < 0)
        return hull_err (err, -r, "read freezer.state");
      if (strcmp (state, want) == 0)
        return 0;
      cg_sleep_ms (i < 100 ? 1 : 10);
    }
  if (freeze)
    {
      struct hull_error e2 = { 0 };
      cg_write (fd, "freezer.state", "THAWED", &e2);
    }
  return hull_errx (err, ETIMEDOUT, "timed out waiting for freezer.state to become %s", want);
}

bool
cg1_is_frozen (struct hull_cgroup *cg)
{
  struct hull_error e = { 0 };
  _cleanup_free_ char *state = NULL;
  int fd = freezer_fd (cg, &e);
  if (fd < 0 || cg_read (fd, "freezer.state", &state) < 0)
    return false;
  return strcmp (state, "FROZEN") == 0;
}
