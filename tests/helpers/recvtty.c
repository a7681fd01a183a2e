/* SPDX-License-Identifier: Apache-2.0 */
/* recvtty: a console-socket receiver for tests.
 *
 *   recvtty [--mode copy|report] [--ready FILE] SOCKET
 *
 * Listens on the AF_UNIX stream socket SOCKET (created, removed at exit), accepts one connection and
 * receives exactly one fd with SCM_RIGHTS.
 *   copy   (default) copies everything read from the fd to stdout until EOF/EIO, then exits 0.
 *   report prints "received fd: NAME" (NAME = the message payload) and exits 0.
 * --ready FILE: create FILE once the socket listens, so a test can wait for it.
 * Exit 1 on any error, with one line on stderr. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail (const char *what)
{
  fprintf (stderr, "recvtty: %s: %s\n", what, strerror (errno));
  return 1;
}

static int recv_fd (int conn, char *name, size_t name_len, int *ret_fd)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = { .iov_base = name, .iov_len = name_len - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  ssize_t n = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0)
    return -1;
  name[n] = '\0';
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
  if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS
      || c->cmsg_len != CMSG_LEN (sizeof (int)))
    {
      errno = EBADMSG;
      return -1;
    }
  memcpy (ret_fd, CMSG_DATA (c), sizeof (int));
  return 0;
}

int main (int argc, char **argv)
{
  const char *mode = "copy", *ready = NULL, *path = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--mode") == 0 && i + 1 < argc)
        mode = argv[++i];
      else if (strcmp (argv[i], "--ready") == 0 && i + 1 < argc)
        ready = argv[++i];
      else
        path = argv[i];
    }
  if (path == NULL || (strcmp (mode, "copy") != 0 && strcmp (mode, "report") != 0))
    {
      fprintf (stderr, "usage: recvtty [--mode copy|report] [--ready FILE] SOCKET\n");
      return 2;
    }

  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "recvtty: socket path too long\n");
      return 1;
    }
  strcpy (addr.sun_path, path);
  int sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return fail ("socket");
  unlink (path);
  if (bind (sock, (struct sockaddr *) &addr, sizeof addr) < 0)
    return fail ("bind");
  if (listen (sock, 1) < 0)
    return fail ("listen");
  if (ready)
    {
      int r = open (ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (r >= 0)
        close (r);
    }

  int conn = accept4 (sock, NULL, NULL, SOCK_CLOEXEC);
  int saved = errno;
  unlink (path);
  errno = saved;
  if (conn < 0)
    return fail ("accept");
  char name[4096];
  int fd;
  if (recv_fd (conn, name, sizeof name, &fd) < 0)
    return fail ("recvmsg");
  close (conn);

  if (strcmp (mode, "report") == 0)
    {
      printf ("received fd: %s\n", name);
      return 0;
    }
  char buf[4096];
  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) /* EOF, or EIO once every slave fd is closed */
        break;
      if (write (STDOUT_FILENO, buf, (size_t) n) != n)
        return fail ("write");
    }
  return 0;
}
