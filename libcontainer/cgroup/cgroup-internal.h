/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the cgroup files: the manager object, the per-mode operations, file helpers and the
 * per-controller apply functions.  Every apply function takes the directory fd of the cgroup (or of a
 * temporary directory in the unit tests), writes only the fields that are set, and fills err naming
 * the file and the value. */
#pragma once
#include <stdint.h>
#include "cgroup.h"

#define CG_ROOT "/sys/fs/cgroup"

struct cg_hier
{
  char *controllers; /* v1: "cpu,cpuacct" or "name=systemd"; cgroup2: "" */
  char *mount;       /* mount point of the hierarchy */
  char *rel;         /* container cgroup relative to the hierarchy root, "/a/b" */
  char *path;        /* absolute directory: mount + rel */
  char *created;     /* top-most directory this container created (path or an ancestor); NULL: none */
  bool unified;      /* cgroup2 */
  int fd;            /* O_DIRECTORY fd of path, -1 until cg_hier_fd() */
};

struct hull_cgroup
{
  enum hull_cgroup_mode mode;
  bool disabled; /* rootless without a usable cgroup: every operation is a no-op */
  bool rootless; /* permission errors on enter are ignored */
  struct cg_hier *h;
  size_t n;
};

/* cgroup-util.c */
/* Unit tests: called after every successful cg_write (NULL in the runtime). */
extern void (*cg_write_trace) (const char *file, const char *value);
int cg_write (int dirfd, const char *file, const char *value, struct hull_error *err);
/* cg_write without a directory fd: opens dir/file (the last component O_NOFOLLOW) directly. */
int cg_write_in (const char *dir, const char *file, const char *value, struct hull_error *err);
/* For several writes to one file: open it (O_WRONLY, O_NOFOLLOW, O_CLOEXEC; -1 and errno on
 * failure), then one cg_write_fd per value (errors and the unit-test trace name file). */
int cg_open_write (int dirfd, const char *file);
int cg_write_fd (int fd, const char *file, const char *value, struct hull_error *err);
int cg_writef (int dirfd, const char *file, struct hull_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));
bool cg_exists (int dirfd, const char *file);
int cg_read (int dirfd, const char *file, char **ret);          /* -errno; trailing newline stripped */
int cg_read_u64 (int dirfd, const char *file, uint64_t *ret);   /* "max" → UINT64_MAX */
/* The value of "key N" in a flat keyed file (memory.events, cgroup.events, cpu.stat…). */
int cg_read_key_u64 (int dirfd, const char *file, const char *key, uint64_t *ret);
bool cg_list_has (const char *list, const char *word, const char *seps);
int cg_hier_fd (struct cg_hier *h, struct hull_error *err);
struct cg_hier *cg_find (struct hull_cgroup *cg, const char *controller);
struct cg_hier *cg_unified (struct hull_cgroup *cg);
/* Pids listed in cgroup.procs of dir and every sub-directory (appended to *pids). */
int cg_collect_pids (const char *dir, pid_t **pids, size_t *n, struct hull_error *err);
/* Remove dir's sub-directories (deepest first), then dir itself; retries EBUSY for a while. */
int cg_rmdir_tree (const char *dir);
void cg_sleep_ms (unsigned ms);

/* cgroup-convert.c: pure conversions */
uint64_t cg_shares_to_weight (uint64_t shares);        /* quadratic (runc >= 1.3.2, crun >= 1.23); 0 → 0 */
uint64_t cg_shares_to_weight_linear (uint64_t shares); /* runc < 1.3.2 */
uint64_t cg_blkio_weight_to_io (uint64_t weight);      /* 10..1000 → 1..10000; 0 → 0 */
/* OCI memory+swap → memory.swap.max; *ret -1 = "max", 0 with *ret_set false = leave alone. */
int cg_swap_to_v2 (int64_t swap, int64_t limit, int64_t *ret, bool *ret_set, struct hull_error *err);
/* "-1"/negative → "max", else the number. */
void cg_limit_str (int64_t v, char *buf, size_t size);

/* v1 controllers: cg1-*.c */
int cg1_cpu_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_cpuset_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_memory_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_pids_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_blkio_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_hugetlb_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_net_cls_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_net_prio_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_devices_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg1_rdma_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
/* Copy cpuset.cpus/mems from the parent directory when empty (v1 cpuset needs them set). */
int cg1_cpuset_init (const char *dir, struct hull_error *err);

/* v2 controllers: cg2-*.c */
int cg2_cpu_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_cpuset_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_memory_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_pids_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_io_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_hugetlb_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_rdma_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
int cg2_unified_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
/* cgroup-devices-bpf.c */
int cg2_devices_apply (int dirfd, const struct hull_resources *r, struct hull_error *err);
/* Enable every available controller in cgroup.subtree_control from the root down to dir's parent. */
int cg2_enable_controllers (const char *mount, const char *rel, struct hull_error *err);
/* True when the cgroup mount+rel already has every wanted controller the root has (the walk above
 * would change nothing); two reads instead of the walk. */
bool cg2_controllers_complete (const char *mount, const char *rel);

/* cgroup-v1.c / cgroup-v2.c */
int cg1_apply (struct hull_cgroup *cg, const struct hull_resources *r, struct hull_error *err);
int cg1_freeze (struct hull_cgroup *cg, bool freeze, struct hull_error *err);
bool cg1_is_frozen (struct hull_cgroup *cg);
int cg2_apply (struct hull_cgroup *cg, const struct hull_resources *r, struct hull_error *err);
int cg2_freeze (struct hull_cgroup *cg, bool freeze, struct hull_error *err);
bool cg2_is_frozen (struct hull_cgroup *cg);

/* cgroup-stats.c */
int cg1_stats_json (struct hull_cgroup *cg, char **ret, struct hull_error *err);
int cg2_stats_json (struct hull_cgroup *cg, char **ret, struct hull_error *err);
/* The stats object from one directory fd per controller (-1: absent); for the unit tests too. */
char *cg_stats_json_fds (int cpu_fd, int acct_fd, int mem_fd, int pids_fd, int blk_fd, int huge_fd, bool v2,
                         bool huge_v2);
/* The OOM-kill counter: memory.events oom_kill (v2) or memory.oom_control oom_kill (v1); with
 * *ret_under_oom from under_oom on v1.  -errno when unavailable. */
int cg_oom_count (struct hull_cgroup *cg, uint64_t *ret, bool *ret_under_oom);
