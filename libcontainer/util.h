/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers shared by every module: allocation that aborts on OOM, string vectors, checked
 * number parsers, file helpers relative to a directory fd, fd passing. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "config.h"
#include "error.h"

void *xmalloc (size_t size);
void *xzalloc (size_t size);
void *xrealloc (void *p, size_t size);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

size_t strv_length (char *const *v);
char **strv_dup (char *const *v);
/* Append a copy of s; *v may be NULL. */
void strv_append (char ***v, const char *s);
bool str_has_prefix (const char *s, const char *prefix);

/* Checked parsers: the whole string must be a number in range.  Return 0 or -EINVAL/-ERANGE. */
int parse_u64 (const char *s, int base, uint64_t *ret);
int parse_i64 (const char *s, int base, int64_t *ret);
int parse_int (const char *s, int *ret);

/* Files relative to dirfd (AT_FDCWD for plain paths).  write_file_at never follows a final symlink
 * (O_NOFOLLOW) and does not create the file unless mode != 0. */
int write_file_at (int dirfd, const char *path, const char *data, size_t len, mode_t create_mode);
/* Read a whole small file (at most max bytes, NUL-terminated). */
int read_file_at (int dirfd, const char *path, size_t max, char **ret, size_t *ret_len);
/* Write atomically: tmp file in the same dir + fsync-free rename. */
int write_file_atomic_at (int dirfd, const char *name, const char *data, size_t len, mode_t mode);
/* mkdir -p below dirfd (path relative to dirfd). */
int mkdir_p_at (int dirfd, const char *path, mode_t mode);
/* Remove a directory tree that holds no mounts (refuses to cross into another filesystem). */
int rm_rf_at (int dirfd, const char *name);

/* fd passing over AF_UNIX */
int send_fd (int sock, int fd, const void *data, size_t len);
int recv_fd (int sock, int *ret_fd, void *data, size_t len);
/* Connect to a unix socket path (SOCK_STREAM, CLOEXEC). */
int unix_connect (const char *path);

/* Close every fd >= 3 except those in keep[] (any order). */
void close_all_except (const int *keep, size_t n);

/* Note which signals this process ignores (call once, early, in the process that forks the container
 * processes); signals_reset() then touches only those.  Without it, every signal is reset. */
void signals_snapshot (void);

/* Every signal that can survive execve as SIG_IGN back to SIG_DFL (but KILL and STOP: caught ones are
 * reset by execve itself), and an empty signal mask when unblock. */
void signals_reset (bool unblock);

/* Full write/read loops. */
int write_all (int fd, const void *buf, size_t len);
ssize_t read_all (int fd, void *buf, size_t len);

/* The start time (field 22 of /proc/PID/stat), 0 when the process does not exist. */
uint64_t proc_start_time (pid_t pid);
/* True when pid exists, is not a zombie and has start time start_time (0: any). */
bool proc_is_alive (pid_t pid, uint64_t start_time);

/* Test-only pause points (meson -Dtest_hooks=true): when $HULL_TEST_PAUSE names `point`, create
 * $HULL_TEST_PAUSE_DIR/<point>.reached and block until one byte can be read from
 * $HULL_TEST_PAUSE_DIR/<point>.resume (a fifo the test writes).  Compiled out otherwise. */
#ifdef HULL_DEBUG_HOOKS
void hull_test_pause (const char *point);
#else
static inline void
hull_test_pause (const char *point)
{
  (void) point;
}
#endif
