/* SPDX-License-Identifier: Apache-2.0 */
/* cgroup managers behind one interface.  Mode detection (unified v2, legacy v1, hybrid), cgroupsPath
 * resolution (absolute: from the hierarchy root; relative: below hull's own cgroup; empty: a default
 * named after the container under hull's own cgroup), one manager per mode, one file per controller.
 *
 * Life cycle as container.c uses it:
 *   create:  cgroup_create() before the container process runs anything → cgroup_enter(pid)
 *            (or cgroup_clone_into_fd() for CLONE_INTO_CGROUP) → cgroup_apply(resources)
 *            → cgroup_to_string() stored in state.json
 *   later:   cgroup_from_string() → freeze / kill_all / pids / apply (update) / stats / destroy
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "../error.h"
#include "../spec/spec.h"

enum hull_cgroup_mode
{
  HULL_CGROUP_NONE,   /* no cgroup filesystem usable */
  HULL_CGROUP_V1,     /* legacy */
  HULL_CGROUP_HYBRID, /* v1 controllers + cgroup2 at /sys/fs/cgroup/unified */
  HULL_CGROUP_V2,     /* unified */
};

struct hull_cgroup; /* opaque; owns the resolved paths and open dir fds */

struct hull_cgroup_opts
{
  const char *id;            /* container id, for the default path */
  const char *cgroups_path;  /* linux.cgroupsPath, may be NULL */
  bool rootless;             /* permission errors are ignored (debug note) when not delegated */
  bool systemd;              /* --systemd-cgroup: "slice:prefix:name" form (refused until the driver exists) */
};

enum hull_cgroup_mode cgroup_detect_mode (void);

/* Resolve the path and create the directories (no process moved yet). */
int cgroup_create (const struct hull_cgroup_opts *opts, struct hull_cgroup **ret, struct hull_error *err);
/* Move pid into the cgroup(s). */
int cgroup_enter (struct hull_cgroup *cg, pid_t pid, struct hull_error *err);
/* `exec --cgroup`: move pid into sub-cgroups (which must exist) of the container's cgroup.  Each spec
 * is "[CTRL[,CTRL…]:]PATH" (runc): PATH relative to the container's cgroup, for the listed v1
 * controllers' hierarchies, or without a prefix for every other hierarchy (v2: the only form).
 * Hierarchies that no spec names get the container's cgroup itself.  No specs: cgroup_enter(). */
int cgroup_enter_sub (struct hull_cgroup *cg, pid_t pid, char *const *specs, struct hull_error *err);
/* v2 only: an O_DIRECTORY fd of the leaf usable with CLONE_INTO_CGROUP, or -1. Owned by cg. */
int cgroup_clone_into_fd (struct hull_cgroup *cg);
/* Write every linux.resources field (create and update). */
int cgroup_apply (struct hull_cgroup *cg, const struct hull_resources *res, struct hull_error *err);
/* Freeze (true) or thaw (false), waiting until the state is reached. */
int cgroup_freeze (struct hull_cgroup *cg, bool freeze, struct hull_error *err);
/* True when frozen (state "paused"). */
bool cgroup_is_frozen (struct hull_cgroup *cg);
/* Signal every process in the cgroup (kill --all). */
int cgroup_kill_all (struct hull_cgroup *cg, int sig, struct hull_error *err);
/* Pids in the cgroup (recursively), host pid namespace; caller frees *ret. */
int cgroup_pids (struct hull_cgroup *cg, pid_t **ret, size_t *ret_n, struct hull_error *err);
/* Kill what is left (cgroup.kill on v2, freeze + SIGKILL loop on v1), then remove every directory
 * this container created. */
int cgroup_destroy (struct hull_cgroup *cg, struct hull_error *err);
/* runc's "stats" event data as a JSON object text (caller frees). */
int cgroup_stats_json (struct hull_cgroup *cg, char **ret, struct hull_error *err);
/* Path of the container's cgroup relative to the v2 root or the v1 memory hierarchy, for
 * /proc/<pid>/cgroup-style display and for cgroup mounts inside the container. */
const char *cgroup_path (const struct hull_cgroup *cg);
enum hull_cgroup_mode cgroup_mode (const struct hull_cgroup *cg);

/* Serialise for state.json and load back (no directories are created by from_string). */
char *cgroup_to_string (const struct hull_cgroup *cg);
int cgroup_from_string (const char *s, struct hull_cgroup **ret, struct hull_error *err);
void cgroup_free (struct hull_cgroup *cg);

/* runc's `events` stream on out_fd, one JSON object per line:
 *   {"type":"stats","id":ID,"data":{…cgroup_stats_json…}}   every interval_ms (once with stats_once)
 *   {"type":"oom","id":ID}                                     whenever the OOM killer acted in the cgroup
 * Runs until still_running(userdata) returns false (NULL: forever) or a write fails. */
int cgroup_events_loop (struct hull_cgroup *cg, const char *id, bool stats_once, unsigned interval_ms, int out_fd,
                        bool (*still_running) (void *userdata), void *userdata, struct hull_error *err);
static inline void
cgroup_freep (struct hull_cgroup **p)
{
  if (*p)
    cgroup_free (*p);
}
