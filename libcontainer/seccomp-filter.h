/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp → a BPF program compiled once in the parent (before clone, where errors are easy to
 * report and nothing runs inside the container yet), installed by the container process as the
 * last step before execve.
 *
 * Call sequence (container.c / init.c / exec.c):
 *   parent: seccomp_prepare(spec seccomp) → prog (NULL when the config has no seccomp)
 *   child:  seccomp_install(prog, &listener_fd)  — right before execve, or before READY when the
 *           program has a notify action or no_new_privileges is false (then the filter needs caps)
 *   child:  when listener_fd >= 0 it is sent to the parent over the sync socket (SYNC_SECCOMP_FD);
 *   parent: seccomp_send_listener(listenerPath, fd, state JSON, metadata) — runc's protocol. */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "spec/spec.h"

struct seccomp_prog;

/* Compile linux.seccomp (NULL: *ret = NULL).  cache_root_fd (the state root, or -1 for no cache) keeps
 * compiled programs across runs. */
int seccomp_prepare (const struct hull_seccomp *s, int cache_root_fd, struct seccomp_prog **ret,
                     struct hull_error *err);
/* Keep a freshly compiled program in the cache (after the container started: a failed create leaves
 * nothing behind); nothing to do for one that came from the cache. */
void seccomp_cache_store (struct seccomp_prog *p, int cache_root_fd);
bool seccomp_prog_has_notify (const struct seccomp_prog *p);
/* Load the filter in the calling process; *ret_listener_fd is the notify fd or -1. */
int seccomp_install (const struct seccomp_prog *p, int *ret_listener_fd, struct hull_error *err);
/* Send listener_fd over the unix socket at path with the container process state JSON. */
int seccomp_send_listener (const char *path, int listener_fd, const char *state_json, const char *metadata,
                           pid_t pid, struct hull_error *err);
void seccomp_prog_free (struct seccomp_prog *p);

/* For `features` (linux.seccomp): actions, operators, archs (those this libseccomp knows), knownFlags,
 * supportedFlags (probed in the kernel).  A NULL-terminated vector the caller frees with strv_free(). */
enum seccomp_feature_list
{
  SECCOMP_FEATURE_ACTIONS,
  SECCOMP_FEATURE_OPERATORS,
  SECCOMP_FEATURE_ARCHS,
  SECCOMP_FEATURE_KNOWN_FLAGS,
  SECCOMP_FEATURE_SUPPORTED_FLAGS,
};
char **seccomp_features_list (enum seccomp_feature_list which);
static inline void
seccomp_prog_freep (struct seccomp_prog **p)
{
  seccomp_prog_free (*p);
}
