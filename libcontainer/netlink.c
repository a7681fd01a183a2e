/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "netlink.h"

int
nl_open (struct nl_sock *s)
{
  /* no bind: the kernel binds the socket to a free port id on the first send */
  s->fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s->fd < 0)
    return -errno;
  s->seq = (unsigned) time (NULL);
  return 0;
}

void
nl_close (struct nl_sock *s)
{
  if (s->fd >= 0)
    close (s->fd);
  s->fd = -1;
}

struct nlmsghdr *
nl_msg (void *buf, uint16_t type, uint16_t flags, size_t extra)
{
  struct nlmsghdr *nlh = buf;
  memset (buf, 0, NLMSG_SPACE (extra));
  nlh->nlmsg_len = NLMSG_LENGTH (NLMSG_ALIGN (extra));
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = flags;
  return nlh;
}

void
nl_attr (struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data)
{
  struct rtattr *at = (struct rtattr *) ((char *) nlh + NLMSG_ALIGN (nlh->nlmsg_len));
  at->rta_type = type;
  at->rta_len = (unsigned short) RTA_LENGTH (len);
  if (len)
    memcpy (RTA_DATA (at), data, len);
  nlh->nlmsg_len = NLMSG_ALIGN (nlh->nlmsg_len) + RTA_ALIGN (at->rta_len);
}

void
nl_attr_u32 (struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
  nl_attr (nlh, type, sizeof v, &v);
}

void
nl_attr_str (struct nlmsghdr *nlh, uint16_t type, const char *s)
{
  nl_attr (nlh, type, strlen (s) + 1, s);
}

int
nl_talk (struct nl_sock *s, struct nlmsghdr *nlh, nl_cb cb, void *data)
{
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  unsigned seq = ++s->seq;
  char buf[NL_BUFSIZE] __attribute__ ((aligned (NLMSG_ALIGNTO)));

  nlh->nlmsg_seq = seq;
  if (sendto (s->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    return -errno;
  for (;;)
    {
      ssize_t n = recv (s->fd, buf, sizeof buf, 0);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      int len = (int) n;
      for (const struct nlmsghdr *m = (const struct nlmsghdr *) buf; NLMSG_OK (m, len); m = NLMSG_NEXT (m, len))
        {
          if (m->nlmsg_seq != seq)
            continue; /* a late reply to an earlier request */
          if (m->nlmsg_type == NLMSG_ERROR)
            {
              const struct nlmsgerr *e = NLMSG_DATA (m);
              if (m->nlmsg_len < NLMSG_LENGTH (sizeof *e))
                return -EBADMSG;
              return e->error; /* 0 is the ack */
            }
          if (m->nlmsg_type == NLMSG_DONE)
            return 0;
          if (cb)
            cb (m, data);
          if (!(m->nlmsg_flags & NLM_F_MULTI) && !(nlh->nlmsg_flags & NLM_F_ACK))
            return 0; /* a single reply, no ack asked for */
        }
    }
}
