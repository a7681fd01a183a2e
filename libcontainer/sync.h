/* SPDX-License-Identifier: Apache-2.0 */
/* The parent (hull create/run) <-> child (container init) protocol, over a SOCK_SEQPACKET socketpair.
 * Every message is one struct sync_msg; errors travel as the whole struct hull_error so the user sees
 * the child's message verbatim.
 *
 *   parent (hull)                                   child (container init, after clone)
 *   -------------                                   -----------------------------------
 *   clone(CLONE_NEW* …) ─────────────────────────▶  waits for SYNC_GO
 *   write uid_map/gid_map (new user ns)
 *   cgroup enter (unless CLONE_INTO_CGROUP)
 *   SYNC_GO ─────────────────────────────────────▶  setns (joined ns), unshare(cgroup ns), hostname,
 *                                                   rootfs: mounts, devices, pivot_root, masks,
 *                                                   process attributes, PATH lookup
 *           ◀──────────────────────────── SYNC_HOOK   (mounts done, before pivot_root; only when the
 *   run prestart + createRuntime hooks                  config has hooks that need it)
 *   SYNC_HOOK_DONE + state JSON (blob) ──────────▶    run createContainer hooks (container namespaces,
 *   (or SYNC_ERROR)                                    host paths), keep the JSON for startContainer
 *           ◀──────────────────────────── SYNC_READY   init now blocks reading exec.fifo
 *   (SYNC_SECCOMP_FD: forward the notify fd to linux.seccomp.listenerPath)
 *   write state.json, pid file; exit (create)          … `hull start` writes one byte to exec.fifo
 *                                                   seccomp, execve(process.args)
 *
 *  On any failure the child sends SYNC_ERROR with its struct hull_error and _exit(1)s; the parent
 *  reports that message, kills and reaps the child, and removes everything it created. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "error.h"

enum sync_type
{
  SYNC_GO = 1,
  SYNC_HOOK,      /* child → parent: run hooks of kind `arg` in the runtime namespace */
  SYNC_HOOK_DONE, /* parent → child */
  SYNC_READY,     /* child → parent: blocked on exec.fifo */
  SYNC_ERROR,     /* either way */
  SYNC_SECCOMP_FD, /* child → parent, with the seccomp notify listener fd (SCM_RIGHTS) */
  SYNC_MOUNT_FD,   /* parent → child before SYNC_GO: one detached id-mapped tree per such mount, in order */
};

struct sync_msg
{
  uint32_t type;
  uint32_t arg;
  struct hull_error err;
};

/* Send a message (and optionally one fd). */
int sync_send (int fd, enum sync_type type, uint32_t arg, const struct hull_error *e);
/* Receive the next message; returns -EPIPE on a closed peer. */
int sync_recv (int fd, struct sync_msg *msg);
/* The same, also taking an fd passed with the message (-1 when none). */
int sync_recv_fd (int fd, struct sync_msg *msg, int *ret_fd);
/* A variable-size payload as its own packet (the state JSON for hooks run by the init). */
int sync_send_blob (int fd, const char *data, size_t len);
/* Receive one; *ret is NUL-terminated, caller frees. */
int sync_recv_blob (int fd, char **ret);
/* Send a message with an fd. */
int sync_send_fd (int fd, enum sync_type type, int passed_fd);
/* Receive and require `want`; a SYNC_ERROR is copied into err. */
int sync_expect (int fd, enum sync_type want, struct sync_msg *msg, struct hull_error *err);
