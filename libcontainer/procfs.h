/* SPDX-License-Identifier: Apache-2.0 */
/* Verified procfs access (CVE-2019-16884, CVE-2019-19921, CVE-2025-52881).
 *
 * Every read or write below /proc that decides something about security (LSM attributes, sysctls,
 * uid_map/gid_map/setgroups, oom_score_adj, fd links) goes through a handle obtained here:
 *
 *   1. procfs_open_root() opens the procfs mount point O_PATH|O_NOFOLLOW and checks that it is a
 *      real procfs (fstatfs f_type == PROC_SUPER_MAGIC) and its root (inode PROC_ROOT_INO), so a
 *      tmpfs, a bind of an ordinary directory or a bind of a procfs subdirectory is refused.
 *   2. procfs_open() resolves "self", "thread-self" or a pid as the proc instance itself names them
 *      (readlinkat of the self/thread-self symlinks, so the pid is right even when the mount belongs
 *      to another pid namespace), then opens the sub path with openat2(RESOLVE_BENEATH |
 *      RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV): no symlink, no magic link and
 *      no crossing into another mount (an over-mount of /proc/self/attr or /proc/sys/kernel) is
 *      followed.  Without openat2 (ENOSYS, or EPERM under a seccomp filter) the same walk is done
 *      one component at a time with O_NOFOLLOW.
 *   3. The result must again be on procfs and on the same mount as the root (statx STATX_MNT_ID, or
 *      the mnt_id of /proc/thread-self/fdinfo), so a file over-mounted by another procfs file (a bind
 *      of /proc/self/sched onto /proc/self/attr/exec) is refused too.
 *
 * Usage:
 *   _cleanup_close_ int proc = procfs_open_root (NULL, err);
 *   procfs_write (proc, PROCFS_THREAD_SELF, 0, "attr/exec", buf, len, err);
 *   procfs_write (proc, PROCFS_PID, child_pid, "uid_map", map, strlen (map), err);
 *   procfs_write (proc, PROCFS_ROOT, 0, "sys/net/ipv4/ip_forward", "1", 1, err);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "error.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#define PROC_ROOT_INO 1

enum procfs_base
{
  PROCFS_ROOT,        /* /proc itself: "sys/kernel/...", "filesystems" */
  PROCFS_SELF,        /* /proc/<this process> */
  PROCFS_THREAD_SELF, /* /proc/<this process>/task/<this thread> */
  PROCFS_PID,         /* /proc/<pid> */
};

/* Open and verify the procfs root at `mountpoint` (NULL: "/proc").  Returns an O_PATH fd.
 * The mountpoint parameter exists for tests (and for a procfs mounted elsewhere). */
int procfs_open_root (const char *mountpoint, struct hull_error *err);

/* True when fd is on procfs (fstatfs). */
bool procfs_fd_is_proc (int fd);

/* Open `subpath` (relative, no "..", no leading "/") below `base` of the verified root
 * `proc_root` with open(2) flags `flags` (O_CLOEXEC and O_NOFOLLOW are added).  pid is used only
 * with PROCFS_PID.  The result is verified (procfs, same mount as the root) before it is returned. */
int procfs_open (int proc_root, enum procfs_base base, pid_t pid, const char *subpath, int flags,
                 struct hull_error *err);

/* Write data in a single write(2) to an existing procfs file (O_WRONLY, never created or
 * truncated).  A short write is an error. */
int procfs_write (int proc_root, enum procfs_base base, pid_t pid, const char *subpath, const char *data,
                  size_t len, struct hull_error *err);

/* Read a small procfs file (at most max bytes, NUL-terminated; *ret to be freed). */
int procfs_read (int proc_root, enum procfs_base base, pid_t pid, const char *subpath, size_t max, char **ret,
                 size_t *ret_len, struct hull_error *err);

/* Convenience for one-shot callers: open the root at "/proc", write, close. */
int procfs_write_once (enum procfs_base base, pid_t pid, const char *subpath, const char *data, size_t len,
                       struct hull_error *err);

/* Test hook: pretend openat2 is unavailable (exercise the component walk). */
void procfs_set_no_openat2 (bool on);
