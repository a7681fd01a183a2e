/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "log.h"
#include "netdev.h"
#include "netlink.h"
#include "util.h"

int
netdev_loopback_up (struct hull_error *err)
{
  char buf[256] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  struct nl_sock nl;
  int r = nl_open (&nl);
  if (r < 0)
    return hull_err (err, -r, "open rtnetlink socket");
  struct nlmsghdr *nlh = nl_msg (buf, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, sizeof (struct ifinfomsg));
  struct ifinfomsg *ifm = nl_extra (nlh);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = 1; /* lo is always index 1 in a new network namespace */
  ifm->ifi_change = IFF_UP;
  ifm->ifi_flags = IFF_UP;
  r = nl_talk (&nl, nlh, NULL, NULL);
  nl_close (&nl);
  return r < 0 ? hull_err (err, -r, "set `lo` up") : 0;
}

/* --- linux.netDevices --- */

/* Open a socket inside the network namespace nsfd: a netlink socket stays in the namespace it was
 * created in, so enter it just long enough to create the socket. */
static int
nl_open_in (struct nl_sock *s, int nsfd)
{
  _cleanup_close_ int self = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  int ret;
  if (self < 0)
    return -errno;
  if (setns (nsfd, CLONE_NEWNET) < 0)
    return -errno;
  ret = nl_open (s);
  if (setns (self, CLONE_NEWNET) < 0)
    {
      /* we cannot stay in the container's namespace: everything after would act there */
      hull_warn ("return to the host network namespace: %s", strerror (errno));
      abort ();
    }
  return ret;
}

struct saved_addr
{
  unsigned char family, prefixlen, scope;
  uint32_t flags;
  bool has_local, has_address, has_broadcast;
  unsigned char local[16], address[16], broadcast[16];
  uint16_t len; /* of each address: 4 or 16 */
};

struct addr_list
{
  int ifindex;
  struct saved_addr *a;
  size_t n;
};

static void
addr_list_done (struct addr_list *l)
{
  free (l->a);
  l->a = NULL;
  l->n = 0;
}

static void
copy_addr (const struct rtattr *at, unsigned char *dst, uint16_t len, bool *has)
{
  if (RTA_PAYLOAD (at) != len)
    return;
  memcpy (dst, RTA_DATA (at), len);
  *has = true;
}

/* RTM_GETADDR dump: keep the permanent, global addresses of l->ifindex (runtime-spec: "all permanent IP
 * addresses (IFA_F_PERMANENT) of any family with global scope (RT_SCOPE_UNIVERSE)"). */
static void
collect_addr (const struct nlmsghdr *nlh, void *data)
{
  struct addr_list *l = data;
  const struct ifaddrmsg *ifa = NLMSG_DATA (nlh);
  const struct rtattr *at;
  struct saved_addr s = { 0 };

  if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < NLMSG_LENGTH (sizeof *ifa)
      || (int) ifa->ifa_index != l->ifindex)
    return;
  if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
    return;
  s.family = ifa->ifa_family;
  s.prefixlen = ifa->ifa_prefixlen;
  s.scope = ifa->ifa_scope;
  s.flags = ifa->ifa_flags;
  s.len = ifa->ifa_family == AF_INET ? 4 : 16;
  nl_for_each_attr (at, nlh, sizeof *ifa)
    {
      switch (at->rta_type)
        {
        case IFA_LOCAL:
          copy_addr (at, s.local, s.len, &s.has_local);
          break;
        case IFA_ADDRESS:
          copy_addr (at, s.address, s.len, &s.has_address);
          break;
        case IFA_BROADCAST:
          copy_addr (at, s.broadcast, s.len, &s.has_broadcast);
          break;
        case IFA_FLAGS:
          if (RTA_PAYLOAD (at) == sizeof (uint32_t))
            memcpy (&s.flags, RTA_DATA (at), sizeof s.flags);
          break;
        default:
          break;
        }
    }
  if (!(s.flags & IFA_F_PERMANENT) || s.scope != RT_SCOPE_UNIVERSE || (!s.has_local && !s.has_address))
    return;
  l->a = xrealloc (l->a, (l->n + 1) * sizeof *l->a);
  l->a[l->n++] = s;
}

static int
get_addresses (struct nl_sock *nl, struct addr_list *l)
{
  char buf[NL_BUFSIZE] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  struct nlmsghdr *nlh = nl_msg (buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, sizeof (struct ifaddrmsg));
  struct ifaddrmsg *ifa = nl_extra (nlh);
  ifa->ifa_family = AF_UNSPEC;
  return nl_talk (nl, nlh, collect_addr, l);
}

static int
add_address (struct nl_sock *nl, int ifindex, const struct saved_addr *s)
{
  char buf[NL_BUFSIZE] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  struct nlmsghdr *nlh = nl_msg (buf, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
                                 sizeof (struct ifaddrmsg));
  struct ifaddrmsg *ifa = nl_extra (nlh);
  ifa->ifa_family = s->family;
  ifa->ifa_prefixlen = s->prefixlen;
  ifa->ifa_flags = (unsigned char) (s->flags & 0xff);
  ifa->ifa_scope = s->scope;
  ifa->ifa_index = (unsigned) ifindex;
  if (s->has_local)
    nl_attr (nlh, IFA_LOCAL, s->len, s->local);
  if (s->has_address)
    nl_attr (nlh, IFA_ADDRESS, s->len, s->address);
  if (s->has_broadcast)
    nl_attr (nlh, IFA_BROADCAST, s->len, s->broadcast);
  nl_attr_u32 (nlh, IFA_FLAGS, s->flags);
  return nl_talk (nl, nlh, NULL, NULL);
}

static void
link_index_cb (const struct nlmsghdr *nlh, void *data)
{
  if (nlh->nlmsg_type == RTM_NEWLINK && nlh->nlmsg_len >= NLMSG_LENGTH (sizeof (struct ifinfomsg)))
    *(int *) data = ((const struct ifinfomsg *) NLMSG_DATA (nlh))->ifi_index;
}

/* The index of a link, by name when name is given, else checking that index exists. */
static int
get_link_index (struct nl_sock *nl, const char *name, int index, int *ret)
{
  char buf[NL_BUFSIZE] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  /* the reply, then the ack that ends the talk */
  struct nlmsghdr *nlh = nl_msg (buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, sizeof (struct ifinfomsg));
  struct ifinfomsg *ifm = nl_extra (nlh);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = name ? 0 : index;
  if (name)
    nl_attr_str (nlh, IFLA_IFNAME, name);
  *ret = 0;
  int e = nl_talk (nl, nlh, link_index_cb, ret);
  if (e < 0)
    return e;
  return *ret > 0 ? 0 : -ENODEV;
}

/* RTM_NEWLINK on ifindex: move to the namespace nsfd (renamed to new_name) when nsfd >= 0, or set it
 * up. */
static int
set_link (struct nl_sock *nl, int ifindex, int nsfd, const char *new_name, bool up)
{
  char buf[NL_BUFSIZE] __attribute__ ((aligned (NLMSG_ALIGNTO)));
  struct nlmsghdr *nlh = nl_msg (buf, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, sizeof (struct ifinfomsg));
  struct ifinfomsg *ifm = nl_extra (nlh);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = ifindex;
  if (up)
    {
      ifm->ifi_change = IFF_UP;
      ifm->ifi_flags = IFF_UP;
    }
  if (nsfd >= 0)
    nl_attr_u32 (nlh, IFLA_NET_NS_FD, (uint32_t) nsfd);
  if (new_name)
    nl_attr_str (nlh, IFLA_IFNAME, new_name);
  return nl_talk (nl, nlh, NULL, NULL);
}

/* The container's network namespace: the configured path, or the new one of the init. */
static int
open_target_netns (const struct hull_linux *lx, pid_t pid, struct hull_error *err)
{
  const char *path = NULL;
  char buf[64];
  struct stat a, b;
  for (size_t i = 0; i < lx->n_namespaces; i++)
    if (lx->namespaces[i].type == HULL_NS_NETWORK)
      path = lx->namespaces[i].path;
  if (!path)
    {
      snprintf (buf, sizeof buf, "/proc/%d/ns/net", (int) pid);
      path = buf;
    }
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return hull_err (err, errno, "linux.netDevices: open the container's network namespace `%s`", path);
  if (fstat (fd, &a) < 0 || stat ("/proc/thread-self/ns/net", &b) < 0)
    return hull_err (err, errno, "linux.netDevices: stat network namespaces");
  if (a.st_ino == b.st_ino && a.st_dev == b.st_dev)
    return hull_errx (err, EINVAL, "linux.netDevices: the container's network namespace is the host's");
  return TAKE_FD (fd);
}

static int
move_one (struct nl_sock *host, int nsfd, const struct hull_net_device *d, struct hull_error *err)
{
  const char *name = d->name && d->name[0] ? d->name : d->host_name;
  struct addr_list addrs = { 0 };
  struct nl_sock in = { .fd = -1 };
  int r, index, new_index;

  index = (int) if_nametoindex (d->host_name);
  if (index == 0)
    return hull_err (err, errno, "linux.netDevices \"%s\": find the device", d->host_name);
  addrs.ifindex = index;
  if ((r = get_addresses (host, &addrs)) < 0)
    {
      hull_err (err, -r, "linux.netDevices \"%s\": read its addresses", d->host_name);
      goto out;
    }
  if ((r = nl_open_in (&in, nsfd)) < 0)
    {
      hull_err (err, -r, "linux.netDevices \"%s\": open rtnetlink in the container's network namespace",
                d->host_name);
      goto out;
    }
  /* runtime-spec: refuse a name that is taken in the container (unless it is a template), before
   * the move: the kernel would move the device first and fail the rename after */
  if (!strchr (name, '%') && get_link_index (&in, name, 0, &new_index) == 0)
    {
      r = hull_errx (err, EEXIST,
                     "linux.netDevices \"%s\": a device named `%s` already exists in the container's "
                     "network namespace",
                     d->host_name, name);
      goto out;
    }
  if ((r = set_link (host, index, nsfd, strcmp (name, d->host_name) ? name : NULL, false)) < 0)
    {
      hull_err (err, -r, "linux.netDevices \"%s\": move to the container's network namespace as `%s`",
                d->host_name, name);
      goto out;
    }
  /* a name template ("eth%d") is resolved by the kernel; the index is kept unless it is taken */
  r = get_link_index (&in, strchr (name, '%') ? NULL : name, index, &new_index);
  if (r < 0)
    {
      hull_err (err, -r, "linux.netDevices \"%s\": find `%s` in the container", d->host_name, name);
      goto out;
    }
  for (size_t i = 0; i < addrs.n; i++)
    if ((r = add_address (&in, new_index, &addrs.a[i])) < 0)
      {
        char text[INET6_ADDRSTRLEN] = "?";
        inet_ntop (addrs.a[i].family, addrs.a[i].has_local ? addrs.a[i].local : addrs.a[i].address, text,
                   sizeof text);
        hull_err (err, -r, "linux.netDevices \"%s\": add address %s/%u in the container", d->host_name, text,
                  addrs.a[i].prefixlen);
        goto out;
      }
  if ((r = set_link (&in, new_index, -1, NULL, true)) < 0)
    hull_err (err, -r, "linux.netDevices \"%s\": set `%s` up in the container", d->host_name, name);
out:
  nl_close (&in);
  addr_list_done (&addrs);
  return r;
}

int
netdev_move (const struct hull_linux *lx, pid_t pid, struct hull_error *err)
{
  struct nl_sock host = { .fd = -1 };
  int r;
  if (!lx || lx->n_net_devices == 0)
    return 0;
  _cleanup_close_ int nsfd = open_target_netns (lx, pid, err);
  if (nsfd < 0)
    return nsfd;
  if ((r = nl_open (&host)) < 0)
    return hull_err (err, -r, "linux.netDevices: open rtnetlink socket");
  for (size_t i = 0; i < lx->n_net_devices && r >= 0; i++)
    r = move_one (&host, nsfd, &lx->net_devices[i], err);
  nl_close (&host);
  return r;
}
