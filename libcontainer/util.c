/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include "cleanup.h"
#include "util.h"

static void
oom (void)
{
  static const char m[] = "hull: out of memory\n";
  if (write (STDERR_FILENO, m, sizeof m - 1) < 0)
    {
    }
  abort ();
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (!p)
    oom ();
  return p;
}

void *
xzalloc (size_t size)
{
  void *p = calloc (1, size ? size : 1);
  if (!p)
    oom ();
  return p;
}

void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size ? size : 1);
  if (!p)
    oom ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *p = strdup (s ? s : "");
  if (!p)
    oom ();
  return p;
}

char *
xstrndup (const char *s, size_t n)
{
  char *p = strndup (s, n);
  if (!p)
    oom ();
  return p;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *p;
  va_start (ap, fmt);
  int r = vasprintf (&p, fmt, ap);
  va_end (ap);
  if (r < 0)
    oom ();
  return p;
}

size_t
strv_length (char *const *v)
{
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

char **
strv_dup (char *const *v)
{
  size_t n = strv_length (v);
  char **r = xzalloc ((n + 1) * sizeof (char *));
  for (size_t i = 0; i < n; i++)
    r[i] = xstrdup (v[i]);
  return r;
}

void
strv_append (char ***v, const char *s)
{
  size_t n = strv_length (*v);
  *v = xrealloc (*v, (n + 2) * sizeof (char *));
  (*v)[n] = xstrdup (s);
  (*v)[n + 1] = NULL;
}

bool
str_has_prefix (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

int
parse_u64 (const char *s, int base, uint64_t *ret)
{
  char *end;
  unsigned long long v;
  if (!s || !*s || isspace ((unsigned char) *s) || *s == '-' || *s == '+')
    return -EINVAL;
  errno = 0;
  v = strtoull (s, &end, base);
  if (errno == ERANGE)
    return -ERANGE;
  if (errno || *end)
    return -EINVAL;
  *ret = v;
  return 0;
}

int
parse_i64 (const char *s, int base, int64_t *ret)
{
  char *end;
  long long v;
  if (!s || !*s || isspace ((unsigned char) *s))
    return -EINVAL;
  errno = 0;
  v = strtoll (s, &end, base);
  if (errno == ERANGE)
    return -ERANGE;
  if (errno || *end)
    return -EINVAL;
  *ret = v;
  return 0;
}

int
parse_int (const char *s, int *ret)
{
  int64_t v;
  int r = parse_i64 (s, 10, &v);
  if (r < 0)
    return r;
  if (v < INT_MIN || v > INT_MAX)
    return -ERANGE;
  *ret = (int) v;
  return 0;
}

static int
cmp_int (const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

void
close_all_except (const int *keep, size_t n)
{
  int sorted[n + 1];
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (keep[i] >= 3)
      sorted[m++] = keep[i];
  qsort (sorted, m, sizeof (int), cmp_int);
  unsigned lo = 3;
  for (size_t i = 0; i <= m; i++)
    {
      unsigned hi = i < m ? (unsigned) sorted[i] : ~0U;
      if (hi > lo && syscall (SYS_close_range, lo, hi == ~0U ? ~0U : hi - 1, 0) < 0)
        for (unsigned fd = lo; fd < hi && fd < 4096; fd++)
          close ((int) fd);
      if (i < m)
        lo = (unsigned) sorted[i] + 1;
    }
}

/* The signals hull was started with set to SIG_IGN (the SigIgn line of /proc/thread-self/status), so
 * that giving a process default dispositions costs one sigaction per ignored signal, not one per
 * signal: execve(2) already resets every caught signal, only ignored ones survive it.  Unknown until
 * signals_snapshot() ran: then every signal is reset. */
static uint64_t ignored_signals = ~(uint64_t) 0;

void
signals_snapshot (void)
{
  _cleanup_free_ char *buf = NULL;
  if (read_file_at (AT_FDCWD, "/proc/thread-self/status", 65536, &buf, NULL) < 0)
    return;
  const char *line = strstr (buf, "\nSigIgn:");
  if (!line)
    return;
  char *end;
  errno = 0;
  unsigned long long mask = strtoull (line + strlen ("\nSigIgn:"), &end, 16);
  if (errno == 0 && *end == '\n')
    ignored_signals = mask;
}

void
signals_reset (bool unblock)
{
  struct sigaction dfl = { .sa_handler = SIG_DFL };
  sigemptyset (&dfl.sa_mask);
  for (int sig = 1; sig < NSIG && sig <= 64; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && (ignored_signals & ((uint64_t) 1 << (sig - 1))))
      sigaction (sig, &dfl, NULL);
  if (unblock)
    {
      sigset_t none;
      sigemptyset (&none);
      sigprocmask (SIG_SETMASK, &none, NULL);
    }
}

int
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

ssize_t
read_all (int fd, void *buf, size_t len)
{
  char *p = buf;
  size_t got = 0;
  while (got < len)
    {
      ssize_t n = read (fd, p + got, len - got);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        break;
      got += (size_t) n;
    }
  return (ssize_t) got;
}

int
write_file_at (int dirfd, const char *path, const char *data, size_t len, mode_t create_mode)
{
  int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  if (create_mode)
    flags |= O_CREAT | O_TRUNC;
  _cleanup_close_ int fd = openat (dirfd, path, flags, create_mode);
  if (fd < 0)
    return -errno;
  return write_all (fd, data, len);
}

int
read_file_at (int dirfd, const char *path, size_t max, char **ret, size_t *ret_len)
{
  _cleanup_close_ int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  _cleanup_free_ char *buf = NULL;
  /* large enough for most files in one read (mountinfo of a busy host); pages never written stay
   * unallocated */
  size_t cap = max < 32768 ? max : 32768, len = 0;
  if (fd < 0)
    return -errno;
  buf = xmalloc (cap + 1);
  for (;;)
    {
      ssize_t n;
      if (len == cap)
        {
          if (cap >= max)
            return -EFBIG;
          cap = cap * 2 > max ? max : cap * 2;
          buf = xrealloc (buf, cap + 1);
        }
      n = read (fd, buf + len, cap - len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  buf[len] = '\0';
  if (ret_len)
    *ret_len = len;
  *ret = TAKE_PTR (buf);
  return 0;
}

int
write_file_atomic_at (int dirfd, const char *name, const char *data, size_t len, mode_t mode)
{
  _cleanup_free_ char *tmp = xasprintf (".%s.%d", name, (int) getpid ());
  _cleanup_close_ int fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  int r;
  if (fd < 0)
    return -errno;
  r = write_all (fd, data, len);
  if (r == 0 && renameat (dirfd, tmp, dirfd, name) < 0)
    r = -errno;
  if (r < 0)
    unlinkat (dirfd, tmp, 0);
  return r;
}

int
mkdir_p_at (int dirfd, const char *path, mode_t mode)
{
  _cleanup_free_ char *p = xstrdup (path);
  for (char *s = p; *s; s++)
    {
      if (*s != '/' || s == p)
        continue;
      *s = '\0';
      if (mkdirat (dirfd, p, mode) < 0 && errno != EEXIST)
        return -errno;
      *s = '/';
    }
  if (mkdirat (dirfd, p, mode) < 0 && errno != EEXIST)
    return -errno;
  return 0;
}

int
rm_rf_at (int parent_fd, const char *name)
{
  struct stat st, child;
  _cleanup_close_ int fd = -1;
  DIR *d;
  struct dirent *de;

  if (unlinkat (parent_fd, name, 0) == 0 || errno == ENOENT)
    return 0;
  if (errno != EISDIR && errno != EPERM)
    return -errno;
  fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -errno;
  if (fstat (fd, &st) < 0)
    return -errno;
  d = fdopendir (fd);
  if (!d)
    return -errno;
  fd = -1;
  while ((de = readdir (d)))
    {
      if (!strcmp (de->d_name, ".") || !strcmp (de->d_name, ".."))
        continue;
      if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
        {
          unlinkat (dirfd (d), de->d_name, 0);
          continue;
        }
      if (fstatat (dirfd (d), de->d_name, &child, AT_SYMLINK_NOFOLLOW) < 0)
        continue;
      if (S_ISDIR (child.st_mode))
        {
          if (child.st_dev != st.st_dev)
            {
              closedir (d);
              return -EXDEV;
            }
          int r = rm_rf_at (dirfd (d), de->d_name);
          if (r < 0)
            {
              closedir (d);
              return r;
            }
        }
      else
        unlinkat (dirfd (d), de->d_name, 0);
    }
  closedir (d);
  if (unlinkat (parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return -errno;
  return 0;
}

int
send_fd (int sock, int fd, const void *data, size_t len)
{
  char cbuf[CMSG_SPACE (sizeof (int))] = { 0 };
  struct iovec iov = { .iov_base = (void *) data, .iov_len = len };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  struct cmsghdr *c;

  if (fd >= 0)
    {
      msg.msg_control = cbuf;
      msg.msg_controllen = sizeof cbuf;
      c = CMSG_FIRSTHDR (&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (c), &fd, sizeof (int));
    }
  for (;;)
    {
      ssize_t n = sendmsg (sock, &msg, MSG_NOSIGNAL);
      if (n >= 0)
        return 0;
      if (errno != EINTR)
        return -errno;
    }
}

int
recv_fd (int sock, int *ret_fd, void *data, size_t len)
{
  char cbuf[CMSG_SPACE (sizeof (int) * 4)];
  struct iovec iov = { .iov_base = data, .iov_len = len };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  ssize_t n;

  *ret_fd = -1;
  do
    n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        int nfd = (int) ((c->cmsg_len - CMSG_LEN (0)) / sizeof (int));
        int fds[4];
        memcpy (fds, CMSG_DATA (c), sizeof (int) * (size_t) (nfd > 4 ? 4 : nfd));
        for (int i = 0; i < nfd && i < 4; i++)
          {
            if (*ret_fd < 0)
              *ret_fd = fds[i];
            else
              close (fds[i]);
          }
      }
  return (int) n;
}

int
unix_connect (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;
  if (strlen (path) >= sizeof addr.sun_path)
    return -ENAMETOOLONG;
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      int e = errno;
      close (fd);
      return -e;
    }
  return fd;
}

uint64_t
proc_start_time (pid_t pid)
{
  char path[64], buf[1024];
  _cleanup_close_ int fd = -1;
  ssize_t n;
  char *p;
  uint64_t v = 0;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  p = strrchr (buf, ')');
  if (!p)
    return 0;
  /* after ") " comes field 3 (state); start time is field 22 */
  p += 2;
  for (int field = 3; field < 22 && p; field++)
    {
      p = strchr (p, ' ');
      if (p)
        p++;
    }
  if (p)
    v = strtoull (p, NULL, 10);
  return v;
}

bool
proc_is_alive (pid_t pid, uint64_t start_time)
{
  char path[64], buf[512];
  _cleanup_close_ int fd = -1;
  ssize_t n;
  char *p;

  if (pid <= 0)
    return false;
  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  p = strrchr (buf, ')');
  if (!p || p[1] == '\0' || p[2] == 'Z' || p[2] == 'X')
    return false;
  if (start_time == 0)
    return true;
  return proc_start_time (pid) == start_time;
}

#ifdef HULL_DEBUG_HOOKS
void
hull_test_pause (const char *point)
{
  const char *want = getenv ("HULL_TEST_PAUSE"), *dir = getenv ("HULL_TEST_PAUSE_DIR");
  char path[4096], c;
  if (!want || !dir || strcmp (want, point) != 0)
    return;
  snprintf (path, sizeof path, "%s/%s.reached", dir, point);
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0)
    close (fd);
  snprintf (path, sizeof path, "%s/%s.resume", dir, point);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      if (read (fd, &c, 1) < 0)
        {
        }
      close (fd);
    }
}
#endif
