/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal rtnetlink client: one socket, requests built in a caller's buffer, replies read up to
 * the kernel's ack (or the end of a dump).  What hull needs of netlink and nothing more. */
#pragma once
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdint.h>

#define NL_BUFSIZE 8192

struct nl_sock
{
  int fd;
  unsigned seq;
};

/* A NETLINK_ROUTE socket in the current network namespace (close-on-exec); -errno on failure. */
int nl_open (struct nl_sock *s);
void nl_close (struct nl_sock *s);

/* Start a request of `type` in buf (NL_BUFSIZE bytes) with room for a family header of `extra`
 * bytes, zeroed; returns the header.  nl_extra() is that family header. */
struct nlmsghdr *nl_msg (void *buf, uint16_t type, uint16_t flags, size_t extra);
static inline void *
nl_extra (const struct nlmsghdr *nlh)
{
  return NLMSG_DATA (nlh);
}

/* Append an attribute; the buffer is NL_BUFSIZE bytes and hull's requests are far smaller. */
void nl_attr (struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data);
void nl_attr_u32 (struct nlmsghdr *nlh, uint16_t type, uint32_t v);
void nl_attr_str (struct nlmsghdr *nlh, uint16_t type, const char *s);

/* Iterate over the attributes that follow a family header of `extra` bytes. */
#define nl_for_each_attr(at, nlh, extra)                                                                     \
  for (int _rem = (int) ((nlh)->nlmsg_len - NLMSG_LENGTH (NLMSG_ALIGN (extra))),                              \
           _dummy = ((at) = (const struct rtattr *) ((const char *) NLMSG_DATA (nlh) + NLMSG_ALIGN (extra)), 0); \
       (void) _dummy, RTA_OK (at, _rem); (at) = RTA_NEXT (at, _rem))

/* Send nlh and read the replies: cb (may be NULL) sees every message that is not the ack; returns 0,
 * the -errno of the kernel's error reply, or the -errno of a failed send/receive. */
typedef void (*nl_cb) (const struct nlmsghdr *nlh, void *data);
int nl_talk (struct nl_sock *s, struct nlmsghdr *nlh, nl_cb cb, void *data);
