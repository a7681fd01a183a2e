/* SPDX-License-Identifier: Apache-2.0 */
/* linux.sysctl: written by the container init inside its namespaces, before its root filesystem is
 * built, through a verified procfs handle.
 *
 * Every write goes through one verified procfs handle (procfs.h): a non-recursive clone of the
 * container's /proc mount (so neither the read-only /proc/sys bind of readonlyPaths nor anything
 * mounted over /proc/sys is in the way), checked to be a procfs root; each file below sys/ is opened
 * by procfs_open() (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV, then checked to be procfs on the same mount) — CVE-2019-16884, CVE-2025-52881. */
#pragma once
#include <stddef.h>
#include "error.h"
#include "spec/spec.h"

/* Write each key=value of kv (names with dots, "net.ipv4.ip_forward") in config order.
 * A failure names the sysctl: `sysctl "net.ipv4.ip_forward": write /proc/sys/net/ipv4/ip_forward: …`. */
int sysctl_apply (const struct hull_kv *kv, size_t n, struct hull_error *err);
