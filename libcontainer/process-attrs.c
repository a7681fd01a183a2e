/* SPDX-License-Identifier: Apache-2.0 */
/* Process attributes applied by the container init and by exec: execCPUAffinity, scheduler,
 * ioPriority, linux.memoryPolicy, linux.personality, and (init only) linux.sysctl.
 *
 * The order follows runc: the initial CPU affinity first (runc sets it from the parent as soon as the
 * process is in its cgroup; without one it resets the inherited mask so that the cgroup cpuset alone
 * decides), then sysctl, scheduler, I/O priority, memory policy and personality while the process is
 * still privileged; the final CPU affinity right before execve. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "process-attrs.h"
#include "sysctl.h"
#include "util.h"

/* --- lists of numbers: "0-3,7" --- */

#define MAX_LIST_BIT (1u << 16) /* far above any CPU or NUMA node number the kernel accepts */

/* Parse a cpu/node list into a bit array of longs; *ret_nlongs is its length.  An empty string
 * gives an empty (NULL) mask. */
static int
parse_list (const char *s, unsigned long **ret, size_t *ret_nlongs)
{
  const size_t bits = 8 * sizeof (unsigned long);
  _cleanup_free_ unsigned long *mask = NULL;
  size_t nlongs = 0;
  const char *p = s;

  *ret = NULL;
  *ret_nlongs = 0;
  while (*p == ' ')
    p++;
  if (*p == '\0')
    return 0;
  for (;;)
    {
      char *end;
      unsigned long lo, hi;
      if (*p < '0' || *p > '9')
        return -EINVAL;
      errno = 0;
      lo = strtoul (p, &end, 10);
      if (errno || lo >= MAX_LIST_BIT)
        return -EINVAL;
      hi = lo;
      p = end;
      if (*p == '-')
        {
          p++;
          if (*p < '0' || *p > '9')
            return -EINVAL;
          errno = 0;
          hi = strtoul (p, &end, 10);
          if (errno || hi >= MAX_LIST_BIT || hi < lo)
            return -EINVAL;
          p = end;
        }
      if (hi / bits + 1 > nlongs)
        {
          size_t n = hi / bits + 1;
          mask = xrealloc (mask, n * sizeof *mask);
          memset (mask + nlongs, 0, (n - nlongs) * sizeof *mask);
          nlongs = n;
        }
      for (unsigned long b = lo; b <= hi; b++)
        mask[b / bits] |= 1UL << (b % bits);
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      if (*p != ',')
        return -EINVAL;
      p++;
      while (*p == ' ')
        p++;
    }
  *ret = TAKE_PTR (mask);
  *ret_nlongs = nlongs;
  return 0;
}

/* --- execCPUAffinity --- */

static int
set_affinity (const char *list, const char *which, struct hull_error *err)
{
  _cleanup_free_ unsigned long *mask = NULL;
  size_t nlongs;
  if (parse_list (list, &mask, &nlongs) < 0 || nlongs == 0)
    return hull_errx (err, EINVAL, "process.execCPUAffinity.%s: invalid CPU list \"%s\"", which, list);
  if (sched_setaffinity (0, nlongs * sizeof *mask, (cpu_set_t *) mask) < 0)
    return hull_err (err, errno, "process.execCPUAffinity.%s: sched_setaffinity to \"%s\"", which, list);
  return 0;
}

/* No initial affinity: allow every CPU, so that the mask inherited from whoever ran hull does not
 * leak into the container; the kernel intersects it with the cgroup's cpuset.  Best effort, as in
 * runc (1.3.1+). */
static void
reset_affinity (void)
{
  /* as many CPUs as a kernel can have (NR_CPUS ≤ 8192): the kernel ignores the bits past its own
   * count, so no sysconf() (which reads /sys/devices/system/cpu/possible) is needed */
  unsigned long set[8192 / (8 * sizeof (unsigned long))];
  memset (set, 0xff, sizeof set);
  (void) sched_setaffinity (0, sizeof set, (cpu_set_t *) set);
}

/* --- scheduler --- */

struct sched_attr_v1
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

static int
set_scheduler (const struct hull_scheduler *s, const struct hull_linux *lx, struct hull_error *err)
{
  struct sched_attr_v1 attr = {
    .size = sizeof attr,
    .sched_policy = (uint32_t) s->policy,
    .sched_flags = s->flags,
    .sched_nice = s->nice,
    .sched_priority = (uint32_t) s->priority,
    .sched_runtime = s->runtime,
    .sched_deadline = s->deadline,
    .sched_period = s->period,
  };
  if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
    {
      int e = errno;
      if (e == EPERM && lx && lx->resources && lx->resources->cpu.cpus && lx->resources->cpu.cpus[0])
        return hull_errx (err, e, "process scheduler can't be used together with AllowedCPUs");
      return hull_err (err, e, "error setting scheduler");
    }
  return 0;
}

/* --- ioPriority --- */

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

static int
set_io_priority (const struct hull_io_priority *io, struct hull_error *err)
{
  int value = (io->class << IOPRIO_CLASS_SHIFT) | io->priority;
  if (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, value) < 0)
    return hull_err (err, errno, "failed to set io priority");
  return 0;
}

/* --- memoryPolicy --- */

static int
set_memory_policy (const struct hull_memory_policy *m, struct hull_error *err)
{
  _cleanup_free_ unsigned long *mask = NULL;
  size_t nlongs = 0;
  unsigned long maxnode = 0;
  if (m->nodes && parse_list (m->nodes, &mask, &nlongs) < 0)
    return hull_errx (err, EINVAL, "linux.memoryPolicy.nodes: invalid node list \"%s\"", m->nodes);
  if (nlongs)
    maxnode = nlongs * 8 * sizeof (unsigned long) + 1; /* the kernel reads maxnode - 1 bits */
  if (syscall (SYS_set_mempolicy, m->mode_value | (int) m->flags_value, mask, maxnode) < 0)
    return hull_err (err, errno, "set_mempolicy %s nodes \"%s\"", m->mode, m->nodes ? m->nodes : "");
  return 0;
}

/* --- personality --- */

static const struct
{
  const char *name;
  unsigned long value;
} personality_flags[] = {
  { "ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE },   { "ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT },
  { "ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT },     { "ADDR_LIMIT_3GB", ADDR_LIMIT_3GB },
  { "FDPIC_FUNCPTRS", FDPIC_FUNCPTRS },         { "MMAP_PAGE_ZERO", MMAP_PAGE_ZERO },
  { "READ_IMPLIES_EXEC", READ_IMPLIES_EXEC },   { "SHORT_INODE", SHORT_INODE },
  { "STICKY_TIMEOUTS", STICKY_TIMEOUTS },       { "UNAME26", UNAME26 },
  { "WHOLE_SECONDS", WHOLE_SECONDS },
};

static int
set_personality (const struct hull_personality *pers, struct hull_error *err)
{
  unsigned long value = pers->domain_value;
  for (size_t i = 0; pers->flags && pers->flags[i]; i++)
    {
      size_t j;
      for (j = 0; j < ELEMENTSOF (personality_flags); j++)
        if (strcmp (pers->flags[i], personality_flags[j].name) == 0)
          break;
      if (j == ELEMENTSOF (personality_flags))
        return hull_errx (err, EINVAL, "linux.personality.flags: unknown flag \"%s\"", pers->flags[i]);
      value |= personality_flags[j].value;
    }
  if (personality (value) < 0)
    return hull_err (err, errno, "set personality %s (0x%lx)", pers->domain ? pers->domain : "LINUX", value);
  return 0;
}

/* --- the two entry points --- */

int
process_attrs_early (const struct hull_process *p, const struct hull_linux *lx, bool is_exec,
                     struct hull_error *err)
{
  int r;

  if (p->exec_cpu_affinity_initial)
    {
      if ((r = set_affinity (p->exec_cpu_affinity_initial, "initial", err)) < 0)
        return r;
    }
  else
    reset_affinity ();
  /* linux.sysctl is written by the init before its root filesystem is built (init.c) */
  if (p->scheduler && (r = set_scheduler (p->scheduler, lx, err)) < 0)
    return r;
  if (p->io_priority && (r = set_io_priority (p->io_priority, err)) < 0)
    return r;
  if (lx && lx->memory_policy && lx->memory_policy->mode
      && (r = set_memory_policy (lx->memory_policy, err)) < 0)
    return r;
  if (lx && lx->personality && (r = set_personality (lx->personality, err)) < 0)
    return r;
  return 0;
}

int
process_attrs_final (const struct hull_process *p, struct hull_error *err)
{
  if (p->exec_cpu_affinity_final)
    return set_affinity (p->exec_cpu_affinity_final, "final", err);
  return 0;
}
