/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include "error.h"

/* Bring `lo` up in the current network namespace (rtnetlink, netlink.c). */
int netdev_loopback_up (struct hull_error *err);
#include <sys/types.h>
#include "spec/spec.h"

/* Move linux.netDevices from the host into the network namespace of pid (renamed when `name` is
 * given, with their addresses).  Called by the parent after clone, before the child goes on. */
int netdev_move (const struct hull_linux *lx, pid_t pid, struct hull_error *err);
