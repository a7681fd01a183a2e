/* SPDX-License-Identifier: Apache-2.0 */
/* Container state: <root>/<id>/state.json (written atomically), the exec.fifo rendezvous, a per-container
 * lock (flock on the state dir), listing, and the status transition table. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"
#include "hull.h"

enum hull_status
{
  HULL_STATUS_CREATING,
  HULL_STATUS_CREATED,
  HULL_STATUS_RUNNING,
  HULL_STATUS_PAUSED,
  HULL_STATUS_STOPPED,
  _HULL_STATUS_MAX,
};

struct hull_state
{
  char *id;
  pid_t pid;
  uint64_t pid_start_time; /* /proc/<pid>/stat field 22, guards against pid reuse */
  char *bundle;
  char *rootfs;
  char *created;   /* RFC3339 with nanoseconds, UTC */
  uint32_t owner;  /* uid of the creator */
  char *cgroup;    /* cgroup_to_string(), NULL when none */
  char *config_path; /* the config.json used, to reload for hooks/exec */
  bool has_pidns;  /* container has its own pid namespace */
  bool late_hooks; /* the config has poststart/poststop hooks: start and delete reload it for them */
  bool use_systemd;
  char **annotations; /* key, value, key, value, …, NULL */
  char *ns_paths[8];  /* namespace paths as joined at create, informational */
};

const char *state_status_name (enum hull_status s);

/* Open (and create) the state root with mode 0700; returns an O_DIRECTORY fd. */
int state_root_open (const char *root, bool create, struct hull_error *err);
/* Lock <root>/<id> (exclusive flock); returns the dir fd holding the lock, -ENOENT with
 * "container does not exist" in *err if it does not exist. */
int state_lock (int root_fd, const char *id, struct hull_error *err);
int state_load (int dir_fd, struct hull_state **ret, struct hull_error *err);
int state_save (int dir_fd, const struct hull_state *st, struct hull_error *err);
/* The current status: stopped if the pid is gone (or reused), created while exec.fifo exists,
 * paused when the cgroup is frozen, else running. */
enum hull_status state_status (int dir_fd, const struct hull_state *st);
/* The OCI state JSON (state-schema.json + runc's extra fields). */
char *state_to_json (const struct hull_state *st, enum hull_status status);
void state_free (struct hull_state *st);
/* Remove <root>/<id>: the files hull writes there by name, then the directory; anything else found
 * there (a stray file) is removed by a full recursive walk. */
int state_remove (int root_fd, const char *id);
static inline void
state_freep (struct hull_state **p)
{
  state_free (*p);
}
