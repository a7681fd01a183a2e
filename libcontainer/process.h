/* SPDX-License-Identifier: Apache-2.0 */
/* Creating the container's init process (parent side, process.c) and what it runs (init.c). */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include "cgroup/cgroup.h"
#include "error.h"
#include "seccomp-filter.h"
#include "spec/spec.h"

struct init_args
{
  const struct hull_spec *spec;
  const char *rootfs;
  const char *bundle;
  char **env;          /* final environment (process.env + LISTEN_FDS/LISTEN_PID) */
  int sync_fd;         /* child's end of the sync socketpair */
  int fifo_fd;         /* exec.fifo opened O_RDWR; the child blocks reading it */
  int console_sock;    /* connected --console-socket, or -1 */
  int preserve_end;    /* fds [3, preserve_end) are passed to the container */
  const unsigned char *preserve_open; /* preserve_open[i] != 0: fd 3+i was open in the caller */
  bool no_pivot;
  bool no_new_keyring;
  bool new_userns;
  bool userns_joined;  /* the init was cloned inside the configured user namespace already */
  bool new_cgroupns;
  bool new_netns;
  bool privileged;     /* hull runs as real root */
  bool waits_for_start; /* create (not run): the init may wait long for start */
  const struct seccomp_prog *seccomp; /* compiled linux.seccomp, or NULL */
  /* called by the parent with the seccomp notify fd the init sent (owns nothing) */
  int (*on_seccomp_fd) (void *userdata, pid_t pid, int fd, struct hull_error *err);
  /* called by the parent when the init stops for hooks: runs prestart + createRuntime and returns the
   * state JSON the init passes to createContainer/startContainer hooks */
  int (*on_hooks) (void *userdata, pid_t pid, char **ret_state_json, struct hull_error *err);
  void *userdata;
};

/* The last steps before execve, shared by init and exec: rlimits, no_new_privs, bounding set,
 * uid/gid/groups with keepcaps, capabilities, cwd, umask, PATH lookup of args[0]. */
int process_finalize (const struct hull_process *p, char *const *env, bool userns,
                      const struct seccomp_prog *seccomp, int *ret_listener_fd, char **ret_exe,
                      struct hull_error *err);
/* Whether process_finalize already loaded the seccomp filter (else it is loaded right before execve). */
bool process_seccomp_early (const struct hull_process *p, const struct seccomp_prog *seccomp);

/* The init's whole life after clone: never returns. */
__attribute__ ((noreturn)) void init_main (const struct init_args *a);

struct process_result
{
  pid_t pid;
};

/* Clone the init with the configured namespaces, write id maps, place it in the cgroup (cg may be
 * NULL), let it set everything up, and return once it is blocked on exec.fifo. On error the init
 * is killed and reaped. */
int process_create_init (const struct init_args *a, struct hull_cgroup *cg, pid_t *ret_pid,
                         struct hull_error *err);
