/* SPDX-License-Identifier: Apache-2.0 */
/* File helpers shared by the cgroup managers and controllers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../cleanup.h"
#include "../util.h"
#include "cgroup-internal.h"

void (*cg_write_trace) (const char *file, const char *value);

/* One write(2) of value to fd (opened on file), which a cgroup file takes as one value. */
int
cg_write_fd (int fd, const char *file, const char *value, struct hull_error *err)
{
  size_t len = strlen (value);
  ssize_t n;
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return hull_err (err, errno, "write \"%s\" to %s", value, file);
  if ((size_t) n != len)
    return hull_err (err, EIO, "write \"%s\" to %s: short write", value, file);
  if (cg_write_trace)
    cg_write_trace (file, value);
  return 0;
}

int
cg_open_write (int dirfd, const char *file)
{
  return openat (dirfd, file, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
}

int
cg_write (int dirfd, const char *file, const char *value, struct hull_error *err)
{
  _cleanup_close_ int fd = cg_open_write (dirfd, file);
  if (fd < 0)
    return hull_err (err, errno, "write \"%s\" to %s", value, file);
  return cg_write_fd (fd, file, value, err);
}

int
cg_write_in (const char *dir, const char *file, const char *value, struct hull_error *err)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, file);
  _cleanup_close_ int fd = cg_open_write (AT_FDCWD, path);
  if (fd < 0)
    return hull_err (err, errno, "write \"%s\" to %s", value, file);
  return cg_write_fd (fd, file, value, err);
}

int
cg_writef (int dirfd, const char *file, struct hull_error *err, const char *fmt, ...)
{
  _cleanup_free_ char *v = NULL;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&v, fmt, ap) < 0)
    v = NULL;
  va_end (ap);
  if (!v)
    return hull_err (err, ENOMEM, "format value for %s", file);
  return cg_write (dirfd, file, v, err);
}

bool
cg_exists (int dirfd, const char *file)
{
  return faccessat (dirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int
cg_read (int dirfd, const char *file, char **ret)
{
  char *s = NULL;
  size_t len = 0;
  int r = read_file_at (dirfd, file, 4u << 20, &s, &len);
  if (r < 0)
    return r;
  while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
    s[--len] = '\0';
  *ret = s;
  return 0;
}

int
cg_read_u64 (int dirfd, const char *file, uint64_t *ret)
{
  _cleanup_free_ char *s = NULL;
  int r = cg_read (dirfd, file, &s);
  if (r < 0)
    return r;
  if (strcmp (s, "max") == 0)
    {
      *ret = UINT64_MAX;
      return 0;
    }
  return parse_u64 (s, 10, ret);
}

int
cg_read_key_u64 (int dirfd, const char *file, const char *key, uint64_t *ret)
{
  _cleanup_free_ char *s = NULL;
  size_t klen = strlen (key);
  int r = cg_read (dirfd, file, &s);
  if (r < 0)
    return r;
  for (char *line = s; line && *line;)
    {
      char *nl = strchr (line, '\n');
      if (nl)
        *nl = '\0';
      if (strncmp (line, key, klen) == 0 && line[klen] == ' ')
        return parse_u64 (line + klen + 1, 10, ret);
      line = nl ? nl + 1 : NULL;
    }
  return -ENOENT;
}

bool
cg_list_has (const char *list, const char *word, const char *seps)
{
  size_t wl = strlen (word);
  const char *p = list;
  while (p && *p)
    {
      size_t l = strcspn (p, seps);
      if (l == wl && strncmp (p, word, wl) == 0)
        return true;
      p += l;
      p += strspn (p, seps);
    }
  return false;
}

int
cg_hier_fd (struct cg_hier *h, struct hull_error *err)
{
  if (h->fd >= 0)
    return h->fd;
  h->fd = open (h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (h->fd < 0)
    return hull_err (err, errno, "open cgroup `%s`", h->path);
  return h->fd;
}

struct cg_hier *
cg_find (struct hull_cgroup *cg, const char *controller)
{
  for (size_t i = 0; i < cg->n; i++)
    if (!cg->h[i].unified && cg_list_has (cg->h[i].controllers, controller, ","))
      return &cg->h[i];
  return NULL;
}

struct cg_hier *
cg_unified (struct hull_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    if (cg->h[i].unified)
      return &cg->h[i];
  return NULL;
}

void
cg_sleep_ms (unsigned ms)
{
  struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long) (ms % 1000) * 1000000L };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

static int
collect_at (int dfd, const char *dir, pid_t **pids, size_t *n, int depth, struct hull_error *err)
{
  _cleanup_free_ char *procs = NULL;
  _cleanup_closedir_ DIR *d = NULL;
  struct dirent *de;
  int r;
  if (depth > 64)
    return 0;
  r = cg_read (dfd, "cgroup.procs", &procs);
  if (r == -ENOENT || r == -ENODEV)
    return 0;
  if (r < 0)
    return hull_err (err, -r, "read `%s/cgroup.procs`", dir);
  for (char *line = procs; line && *line;)
    {
      char *nl = strchr (line, '\n');
      int pid;
      if (nl)
        *nl = '\0';
      if (parse_int (line, &pid) == 0 && pid > 0)
        {
          *pids = xrealloc (*pids, (*n + 1) * sizeof **pids);
          (*pids)[(*n)++] = pid;
        }
      line = nl ? nl + 1 : NULL;
    }
  int dup = fcntl (dfd, F_DUPFD_CLOEXEC, 3);
  if (dup < 0)
    return hull_err (err, errno, "dup fd of `%s`", dir);
  d = fdopendir (dup);
  if (!d)
    {
      close (dup);
      return hull_err (err, errno, "opendir `%s`", dir);
    }
  while ((de = readdir (d)))
    {
      _cleanup_close_ int sub = -1;
      _cleanup_free_ char *subdir = NULL;
      if (de->d_type != DT_DIR || strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      sub = openat (dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (sub < 0)
        continue;
      subdir = xasprintf ("%s/%s", dir, de->d_name);
      r = collect_at (sub, subdir, pids, n, depth + 1, err);
      if (r < 0)
        return r;
    }
  return 0;
}

int
cg_collect_pids (const char *dir, pid_t **pids, size_t *n, struct hull_error *err)
{
  _cleanup_close_ int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      return hull_err (err, errno, "open cgroup `%s`", dir);
    }
  return collect_at (fd, dir, pids, n, 0, err);
}

static int
rmdir_retry (const char *dir)
{
  /* A cgroup whose last process just exited can stay busy for a moment. */
  for (unsigned i = 0, ms = 1; i < 40; i++, ms = ms < 64 ? ms * 2 : ms)
    {
      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        return -errno;
      cg_sleep_ms (ms);
    }
  return -EBUSY;
}

int
cg_rmdir_tree (const char *dir)
{
  _cleanup_closedir_ DIR *d = opendir (dir);
  struct dirent *de;
  int r = 0;
  if (!d)
    return errno == ENOENT ? 0 : -errno;
  while ((de = readdir (d)))
    {
      _cleanup_free_ char *sub = NULL;
      if (de->d_type != DT_DIR || strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      sub = xasprintf ("%s/%s", dir, de->d_name);
      int q = cg_rmdir_tree (sub);
      if (q < 0 && r == 0)
        r = q;
    }
  int q = rmdir_retry (dir);
  return q < 0 ? q : r;
}
