/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <time.h>
#include "netdev.h"

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

int
netdev_move (const struct hull_linux *lx, pid_t pid, struct hull_error *err)
{
  if (!lx || lx->n_net_devices == 0)
    return 0;
  return hull_errx (err, ENOTSUP, "linux.netDevices: not supported by this build yet");
}
