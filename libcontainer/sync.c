/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "sync.h"
#include "util.h"

int
sync_send (int fd, enum sync_type type, uint32_t arg, const struct hull_error *e)
{
  struct sync_msg m = { .type = type, .arg = arg };
  if (e)
    m.err = *e;
  for (;;)
    {
      if (send (fd, &m, sizeof m, MSG_NOSIGNAL) == (ssize_t) sizeof m)
        return 0;
      if (errno != EINTR)
        return -errno;
    }
}

int
sync_recv (int fd, struct sync_msg *msg)
{
  for (;;)
    {
      ssize_t n = recv (fd, msg, sizeof *msg, 0);
      if (n == (ssize_t) sizeof *msg)
        {
          msg->err.msg[sizeof msg->err.msg - 1] = '\0';
          return 0;
        }
      if (n == 0)
        return -EPIPE;
      if (n > 0)
        return -EBADMSG;
      if (errno != EINTR)
        return -errno;
    }
}

int
sync_expect (int fd, enum sync_type want, struct sync_msg *msg, struct hull_error *err)
{
  int r = sync_recv (fd, msg);
  if (r < 0)
    return r;
  if (msg->type == SYNC_ERROR)
    {
      *err = msg->err;
      return -(err->errnum ? err->errnum : EIO);
    }
  if (msg->type != want)
    return hull_errx (err, EPROTO, "sync: expected message %d, got %u", want, msg->type);
  return 0;
}

int
sync_recv_fd (int fd, struct sync_msg *msg, int *ret_fd)
{
  int n = recv_fd (fd, ret_fd, msg, sizeof *msg);
  if (n < 0)
    return n;
  if (n == 0)
    return -EPIPE;
  if (n != (int) sizeof *msg)
    return -EBADMSG;
  msg->err.msg[sizeof msg->err.msg - 1] = '\0';
  return 0;
}

int
sync_send_fd (int fd, enum sync_type type, int passed_fd)
{
  struct sync_msg m = { .type = type };
  return send_fd (fd, passed_fd, &m, sizeof m);
}

int
sync_send_blob (int fd, const char *data, size_t len)
{
  for (;;)
    {
      if (send (fd, data, len, MSG_NOSIGNAL) == (ssize_t) len)
        return 0;
      if (errno != EINTR)
        return -errno;
    }
}

int
sync_recv_blob (int fd, char **ret)
{
  ssize_t n;
  do
    n = recv (fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  char *buf = xmalloc ((size_t) n + 1);
  do
    n = recv (fd, buf, (size_t) n, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int e = errno;
      free (buf);
      return -e;
    }
  buf[n] = '\0';
  *ret = buf;
  return 0;
}
