/* SPDX-License-Identifier: Apache-2.0 */
/* Internal pieces of the life cycle shared by container.c (create/start/run) and container-ops.c. */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include "cgroup/cgroup.h"
#include "hull.h"
#include "spec/spec.h"
#include "state.h"

struct container_ctx
{
  const char *id;
  struct hull_spec *spec;
  struct hull_cgroup *cg;
  struct hull_state *st;
  char **env;
  unsigned char *preserve_open;
  struct seccomp_prog *seccomp;
  int root_fd; /* state root */
  int dir_fd;  /* <root>/<id>, locked */
  bool created_dir;
  pid_t pid;
};

void container_ctx_done (struct container_ctx *c);
/* ret_tty non-NULL (foreground run): a terminal without --console-socket gets a tty proxy there.
 * start_at_once (run): start follows at once, the init does not prepare for a long wait. */
struct tty_proxy;
int container_create (const struct hull_context *ctx, const struct hull_create_opts *opts, struct tty_proxy **ret_tty,
                      bool start_at_once, struct container_ctx *c, struct hull_error *err);
/* poststop hooks, cgroup removal, state dir removal. */
void container_destroy (struct container_ctx *c);
/* Wait for pid with every signal in *all blocked: forward signals, reap orphans; returns the exit
 * status, 128+signal when killed. */
#include <signal.h>
int container_wait_forward (pid_t pid, const sigset_t *all);
/* Open root, lock and load the state of `id`. */
int container_load (const struct hull_context *ctx, const char *id, struct container_ctx *c, struct hull_error *err);
