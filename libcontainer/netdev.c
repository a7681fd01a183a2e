/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
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
#include "util.h"

int
netdev_loopback_up (struct hull_error *err)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct mnl_socket *nl;
  struct nlmsghdr *nlh;
  struct ifinfomsg *ifm;
  unsigned seq = (unsigned) time (NULL), portid;
  int r = 0;

  nl = mnl_socket_open2 (NETLINK_ROUTE, SOCK_CLOEXEC);
  if (!nl)
    return hull_err (err, errno, "open rtnetlink socket");
  if (mnl_socket_bind (nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      r = hull_err (err, errno, "bind rtnetlink socket");
      goto out;
    }
  portid = mnl_socket_get_portid (nl);
  nlh = mnl_nlmsg_put_header (buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = seq;
  ifm = mnl_nlmsg_put_extra_header (nlh, sizeof *ifm);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = 1; /* lo is always index 1 in a new network namespace */
  ifm->ifi_change = IFF_UP;
  ifm->ifi_flags = IFF_UP;
  if (mnl_socket_sendto (nl, nlh, nlh->nlmsg_len) < 0)
    {
      r = hull_err (err, errno, "set `lo` up");
      goto out;
    }
  int n = (int) mnl_socket_recvfrom (nl, buf, sizeof buf);
  if (n < 0 || mnl_cb_run (buf, (size_t) n, seq, portid, NULL, NULL) < 0)
    r = hull_err (err, errno, "set `lo` up");
out:
  mnl_socket_close (nl);
  return r;
}

/* --- linux.netDevices --- */

/* An rtnetlink socket and its sequence numbers. */
struct rtnl
{
  struct mnl_socket *nl;
  unsigned portid, seq;
};

static void
rtnl_close (struct rtnl *r)
{
  if (r->nl)
    mnl_socket_close (r->nl);
  r->nl = NULL;
}

/* Open a socket in the current network namespace; -errno on failure. */
static int
rtnl_open (struct rtnl *r)
{
  r->nl = mnl_socket_open2 (NETLINK_ROUTE, SOCK_CLOEXEC);
  if (!r->nl)
    return -errno;
  if (mnl_socket_bind (r->nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      int e = errno;
      rtnl_close (r);
      return -e;
    }
  r->portid = mnl_socket_get_portid (r->nl);
  r->seq = (unsigned) time (NULL);
  return 0;
}

/* Open a socket inside the network namespace nsfd: a netlink socket stays in the namespace it was
 * created in, so enter it just long enough to create the socket. */
static int
rtnl_open_in (struct rtnl *r, int nsfd)
{
  _cleanup_close_ int self = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  int ret;
  if (self < 0)
    return -errno;
  if (setns (nsfd, CLONE_NEWNET) < 0)
    return -errno;
  ret = rtnl_open (r);
  if (setns (self, CLONE_NEWNET) < 0)
    {
      /* we cannot stay in the container's namespace: everything after would act there */
      hull_warn ("return to the host network namespace: %s", strerror (errno));
      abort ();
    }
  return ret;
}

/* Send one request and read replies up to the ack (or the end of a dump); -errno on failure. */
static int
rtnl_talk (struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  unsigned seq = ++r->seq;
  int ret;
  nlh->nlmsg_seq = seq;
  if (mnl_socket_sendto (r->nl, nlh, nlh->nlmsg_len) < 0)
    return -errno;
  do
    {
      ssize_t n = mnl_socket_recvfrom (r->nl, buf, sizeof buf);
      if (n < 0)
        return -errno;
      ret = mnl_cb_run (buf, (size_t) n, seq, r->portid, cb, data);
      if (ret < 0)
        return -(errno ? errno : EIO);
    }
  while (ret > MNL_CB_STOP);
  return 0;
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
copy_addr (const struct nlattr *at, unsigned char *dst, uint16_t len, bool *has)
{
  if (mnl_attr_get_payload_len (at) != len)
    return;
  memcpy (dst, mnl_attr_get_payload (at), len);
  *has = true;
}

/* RTM_GETADDR dump: keep the permanent, global addresses of l->ifindex (runtime-spec: "all permanent IP
 * addresses (IFA_F_PERMANENT) of any family with global scope (RT_SCOPE_UNIVERSE)"). */
static int
collect_addr (const struct nlmsghdr *nlh, void *data)
{
  struct addr_list *l = data;
  const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload (nlh);
  const struct nlattr *at;
  struct saved_addr s = { 0 };

  if (nlh->nlmsg_type != RTM_NEWADDR || (int) ifa->ifa_index != l->ifindex)
    return MNL_CB_OK;
  if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
    return MNL_CB_OK;
  s.family = ifa->ifa_family;
  s.prefixlen = ifa->ifa_prefixlen;
  s.scope = ifa->ifa_scope;
  s.flags = ifa->ifa_flags;
  s.len = ifa->ifa_family == AF_INET ? 4 : 16;
  mnl_attr_for_each (at, nlh, sizeof *ifa)
    {
      switch (mnl_attr_get_type (at))
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
          if (mnl_attr_get_payload_len (at) == sizeof (uint32_t))
            s.flags = mnl_attr_get_u32 (at);
          break;
        default:
          break;
        }
    }
  if (!(s.flags & IFA_F_PERMANENT) || s.scope != RT_SCOPE_UNIVERSE || (!s.has_local && !s.has_address))
    return MNL_CB_OK;
  l->a = xrealloc (l->a, (l->n + 1) * sizeof *l->a);
  l->a[l->n++] = s;
  return MNL_CB_OK;
}

static int
get_addresses (struct rtnl *r, struct addr_list *l)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (buf);
  struct ifaddrmsg *ifa;
  nlh->nlmsg_type = RTM_GETADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  ifa = mnl_nlmsg_put_extra_header (nlh, sizeof *ifa);
  ifa->ifa_family = AF_UNSPEC;
  return rtnl_talk (r, nlh, collect_addr, l);
}

static int
add_address (struct rtnl *r, int ifindex, const struct saved_addr *s)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (buf);
  struct ifaddrmsg *ifa;
  nlh->nlmsg_type = RTM_NEWADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
  ifa = mnl_nlmsg_put_extra_header (nlh, sizeof *ifa);
  ifa->ifa_family = s->family;
  ifa->ifa_prefixlen = s->prefixlen;
  ifa->ifa_flags = (unsigned char) (s->flags & 0xff);
  ifa->ifa_scope = s->scope;
  ifa->ifa_index = (unsigned) ifindex;
  if (s->has_local)
    mnl_attr_put (nlh, IFA_LOCAL, s->len, s->local);
  if (s->has_address)
    mnl_attr_put (nlh, IFA_ADDRESS, s->len, s->address);
  if (s->has_broadcast)
    mnl_attr_put (nlh, IFA_BROADCAST, s->len, s->broadcast);
  mnl_attr_put_u32 (nlh, IFA_FLAGS, s->flags);
  return rtnl_talk (r, nlh, NULL, NULL);
}

static int
link_index_cb (const struct nlmsghdr *nlh, void *data)
{
  if (nlh->nlmsg_type == RTM_NEWLINK)
    *(int *) data = ((const struct ifinfomsg *) mnl_nlmsg_get_payload (nlh))->ifi_index;
  return MNL_CB_OK;
}

/* The index of a link, by name when name is given, else checking that index exists. */
static int
get_link_index (struct rtnl *r, const char *name, int index, int *ret)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (buf);
  struct ifinfomsg *ifm;
  nlh->nlmsg_type = RTM_GETLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK; /* the reply, then the ack that ends the talk */
  ifm = mnl_nlmsg_put_extra_header (nlh, sizeof *ifm);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = name ? 0 : index;
  if (name)
    mnl_attr_put_strz (nlh, IFLA_IFNAME, name);
  *ret = 0;
  int e = rtnl_talk (r, nlh, link_index_cb, ret);
  if (e < 0)
    return e;
  return *ret > 0 ? 0 : -ENODEV;
}

/* RTM_NEWLINK on ifindex: move to the namespace nsfd (renamed to new_name) when nsfd >= 0, or set it
 * up. */
static int
set_link (struct rtnl *r, int ifindex, int nsfd, const char *new_name, bool up)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh = mnl_nlmsg_put_header (buf);
  struct ifinfomsg *ifm;
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  ifm = mnl_nlmsg_put_extra_header (nlh, sizeof *ifm);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = ifindex;
  if (up)
    {
      ifm->ifi_change = IFF_UP;
      ifm->ifi_flags = IFF_UP;
    }
  if (nsfd >= 0)
    mnl_attr_put_u32 (nlh, IFLA_NET_NS_FD, (uint32_t) nsfd);
  if (new_name)
    mnl_attr_put_strz (nlh, IFLA_IFNAME, new_name);
  return rtnl_talk (r, nlh, NULL, NULL);
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
move_one (struct rtnl *host, int nsfd, const struct hull_net_device *d, struct hull_error *err)
{
  const char *name = d->name && d->name[0] ? d->name : d->host_name;
  struct addr_list addrs = { 0 };
  struct rtnl in = { 0 };
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
  if ((r = rtnl_open_in (&in, nsfd)) < 0)
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
  rtnl_close (&in);
  addr_list_done (&addrs);
  return r;
}

int
netdev_move (const struct hull_linux *lx, pid_t pid, struct hull_error *err)
{
  struct rtnl host = { 0 };
  int r;
  if (!lx || lx->n_net_devices == 0)
    return 0;
  _cleanup_close_ int nsfd = open_target_netns (lx, pid, err);
  if (nsfd < 0)
    return nsfd;
  if ((r = rtnl_open (&host)) < 0)
    return hull_err (err, -r, "linux.netDevices: open rtnetlink socket");
  for (size_t i = 0; i < lx->n_net_devices && r >= 0; i++)
    r = move_one (&host, nsfd, &lx->net_devices[i], err);
  rtnl_close (&host);
  return r;
}
