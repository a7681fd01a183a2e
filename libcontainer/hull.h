/* SPDX-License-Identifier: Apache-2.0 */
/* hull's public library API.  Every function returns >= 0 on success and -errno on failure with the
 * message in *err.  The library never prints errors and never exits; the CLI does. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"

struct hull_context
{
  const char *root;       /* state root, e.g. /run/hull */
  bool systemd_cgroup;    /* --systemd-cgroup */
  int rootless;           /* --rootless: -1 auto, 0 false, 1 true */
  bool debug;
};

struct hull_create_opts
{
  const char *id;
  const char *bundle;         /* directory holding config.json; NULL = cwd */
  const char *config_path;    /* NULL = <bundle>/config.json */
  const char *pid_file;
  const char *console_socket;
  const char *pidfd_socket;
  bool no_pivot;
  bool no_new_keyring;
  int preserve_fds;           /* extra fds after 3 (+ LISTEN_FDS) passed to the container */
  /* run only */
  bool detach;
  bool keep;
  bool no_subreaper;
};

/* create: the container waits in "created" until hull_container_start. */
int hull_container_create (const struct hull_context *ctx, const struct hull_create_opts *opts,
                           struct hull_error *err);
int hull_container_start (const struct hull_context *ctx, const char *id, struct hull_error *err);
/* run: create + start; in the foreground waits and stores the container's exit status
 * (128+signal when killed) in *ret_status. */
int hull_container_run (const struct hull_context *ctx, const struct hull_create_opts *opts, int *ret_status,
                        struct hull_error *err);

struct hull_kill_opts
{
  int signal;
  bool all;
};
int hull_container_kill (const struct hull_context *ctx, const char *id, const struct hull_kill_opts *opts,
                         struct hull_error *err);
int hull_container_delete (const struct hull_context *ctx, const char *id, bool force, struct hull_error *err);
/* state: JSON text of the state (caller frees). */
int hull_container_state (const struct hull_context *ctx, const char *id, char **ret_json, struct hull_error *err);

struct hull_list_entry
{
  char *id;
  pid_t pid;
  char *status;
  char *bundle;
  char *created; /* RFC3339 with nanoseconds */
  char *owner;
  char *json; /* the full state JSON */
};
int hull_container_list (const struct hull_context *ctx, struct hull_list_entry **ret, size_t *ret_n,
                         struct hull_error *err);
void hull_list_free (struct hull_list_entry *l, size_t n);

struct hull_exec_opts
{
  const char *id;
  const char *process_path;   /* --process FILE */
  char **args;                /* COMMAND [ARGS…] when no --process */
  bool tty;
  bool has_tty;
  const char *console_socket;
  const char *pidfd_socket;
  const char *cwd;
  char **env;                 /* -e K=V, added to / overriding the config's env */
  bool has_user;
  uint32_t uid, gid;
  bool has_gid;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char **caps;                /* --cap, added to every set */
  bool no_new_privs;
  const char *apparmor;
  const char *process_label;
  bool detach;
  const char *pid_file;
  int preserve_fds;
  char **cgroups;             /* --cgroup [CTRL:]PATH */
  bool ignore_paused;
};
int hull_container_exec (const struct hull_context *ctx, const struct hull_exec_opts *opts, int *ret_status,
                         struct hull_error *err);

int hull_container_pause (const struct hull_context *ctx, const char *id, struct hull_error *err);
int hull_container_resume (const struct hull_context *ctx, const char *id, struct hull_error *err);

/* ps: pids of the container's processes (host pid namespace). */
int hull_container_pids (const struct hull_context *ctx, const char *id, pid_t **ret, size_t *ret_n,
                         struct hull_error *err);

/* Resources update from a linux.resources JSON text (NULL = none) plus flag overrides already
 * merged by the CLI into that JSON. */
int hull_container_update (const struct hull_context *ctx, const char *id, const char *resources_json,
                           struct hull_error *err);

struct hull_events_opts
{
  bool stats;          /* print one stats event and exit */
  unsigned interval_ms;
};
int hull_container_events (const struct hull_context *ctx, const char *id, const struct hull_events_opts *opts,
                           struct hull_error *err);

/* features: JSON text (caller frees). */
char *hull_features_json (void);

/* Names: signal "KILL", "SIGKILL" or "9" → number; -EINVAL when unknown. */
int hull_signal_parse (const char *s);
/* Container ids: non-empty, no '/', not "." or "..", only [A-Za-z0-9_+.-] */
int hull_id_validate (const char *id, struct hull_error *err);
/* The default state root for the caller: /run/hull for root, $XDG_RUNTIME_DIR/hull otherwise. */
char *hull_default_root (void);
