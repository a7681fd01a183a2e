/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp-agent: the test side of linux.seccomp.listenerPath, plus a raw syscall prober.
 *
 *   seccomp-agent listen SOCKET DIR ANSWER
 *       Listen on the unix stream socket SOCKET; accept one connection, receive the container process
 *       state (written to DIR/state.json) and the seccomp notify fd (SCM_RIGHTS; "fd" is written to
 *       DIR/fd-received), then answer every notification with ANSWER until the filter has no task
 *       left:  errno:N (the syscall fails with N), value:N (returns N), continue (the kernel runs it).
 *       The number of each notified syscall is appended to DIR/notified.  DIR/ready appears once the
 *       socket listens.  Gives up after 60 s.
 *   seccomp-agent syscall NR [ARG...]
 *       Make syscall NR with the integer ARGs; print "ok RET" or "errno N" (and exit 0 either way).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void
die (const char *what)
{
  fprintf (stderr, "seccomp-agent: %s: %s\n", what, strerror (errno));
  exit (1);
}

static void
write_file (const char *dir, const char *name, const char *data, size_t len, int flags)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", dir, name);
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
  if (fd < 0)
    die (path);
  if (write (fd, data, len) != (ssize_t) len)
    die (path);
  close (fd);
}

static int
receive (int conn, const char *dir)
{
  static char buf[1 << 16];
  char cbuf[CMSG_SPACE (sizeof (int) * 4)];
  size_t len = 0;
  int fd = -1;

  /* the fd comes with the first bytes; read until the runtime closes the connection */
  for (;;)
    {
      struct iovec iov = { .iov_base = buf + len, .iov_len = sizeof buf - 1 - len };
      struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
      ssize_t n = recvmsg (conn, &mh, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("recvmsg");
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&mh); c; c = CMSG_NXTHDR (&mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd < 0)
          memcpy (&fd, CMSG_DATA (c), sizeof fd);
      if (n == 0 || len + (size_t) n >= sizeof buf - 1)
        break;
      len += (size_t) n;
    }
  write_file (dir, "state.json", buf, len, O_TRUNC);
  if (fd < 0)
    {
      fprintf (stderr, "seccomp-agent: no fd received\n");
      exit (1);
    }
  write_file (dir, "fd-received", "fd\n", 3, O_TRUNC);
  return fd;
}

static void
serve (int listener, const char *dir, const char *answer)
{
  struct seccomp_notif_sizes sizes;
  if (syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
    die ("SECCOMP_GET_NOTIF_SIZES");
  struct seccomp_notif *req = calloc (1, sizes.seccomp_notif);
  struct seccomp_notif_resp *resp = calloc (1, sizes.seccomp_notif_resp);
  if (!req || !resp)
    die ("calloc");

  for (;;)
    {
      struct pollfd p = { .fd = listener, .events = POLLIN };
      if (poll (&p, 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll");
        }
      if (!(p.revents & POLLIN))
        return; /* POLLHUP: every task of the filter is gone */
      memset (req, 0, sizes.seccomp_notif);
      if (ioctl (listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
        {
          if (errno == EINTR || errno == ENOENT)
            continue;
          die ("SECCOMP_IOCTL_NOTIF_RECV");
        }
      char line[64];
      int n = snprintf (line, sizeof line, "%d\n", req->data.nr);
      write_file (dir, "notified", line, (size_t) n, O_APPEND);

      memset (resp, 0, sizes.seccomp_notif_resp);
      resp->id = req->id;
      if (!strncmp (answer, "errno:", 6))
        resp->error = -atoi (answer + 6);
      else if (!strncmp (answer, "value:", 6))
        resp->val = atoll (answer + 6);
      else
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      /* ENOENT: the task was killed or the syscall interrupted meanwhile */
      if (ioctl (listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
        die ("SECCOMP_IOCTL_NOTIF_SEND");
    }
}

static int
cmd_listen (const char *path, const char *dir, const char *answer)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "seccomp-agent: socket path too long\n");
      return 1;
    }
  strcpy (addr.sun_path, path);
  int s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    die ("socket");
  unlink (path);
  if (bind (s, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("bind");
  if (listen (s, 1) < 0)
    die ("listen");
  alarm (60);
  write_file (dir, "ready", "ready\n", 6, O_TRUNC);
  int conn;
  do
    conn = accept4 (s, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR);
  if (conn < 0)
    die ("accept");
  int listener = receive (conn, dir);
  close (conn);
  close (s);
  unlink (path);
  serve (listener, dir, answer);
  return 0;
}

static int
cmd_syscall (int argc, char **argv)
{
  long a[6] = { 0 };
  for (int i = 0; i < argc - 1 && i < 6; i++)
    a[i] = strtol (argv[i + 1], NULL, 0);
  errno = 0;
  long r = syscall (strtol (argv[0], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
  if (r < 0)
    printf ("errno %d\n", errno);
  else
    printf ("ok %ld\n", r);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 5 && !strcmp (argv[1], "listen"))
    return cmd_listen (argv[2], argv[3], argv[4]);
  if (argc >= 3 && !strcmp (argv[1], "syscall"))
    return cmd_syscall (argc - 2, argv + 2);
  fprintf (stderr, "usage: seccomp-agent listen SOCKET DIR ANSWER | syscall NR [ARG...]\n");
  return 2;
}
