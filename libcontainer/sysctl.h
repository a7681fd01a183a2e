/* SPDX-License-Identifier: Apache-2.0 */
/* linux.sysctl: written by the container init after pivot_root, through the container's own procfs.
 *
 * Every write goes through one verified handle: a non-recursive clone of the container's /proc mount
 * (so neither a read-only /proc/sys bind from readonlyPaths nor anything mounted over /proc/sys is
 * in the way), checked to be procfs, and each file below its sys/ directory is opened with openat2
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV and checked to be
 * procfs again (CVE-2019-16884, CVE-2025-52881). */
#pragma once
#include <stddef.h>
#include "error.h"
#include "spec/spec.h"

/* Write each key=value of kv (names with dots, "net.ipv4.ip_forward") in config order.
 * A failure names the sysctl: `sysctl "net.ipv4.ip_forward": write /proc/sys/net/ipv4/ip_forward: …`. */
int sysctl_apply (const struct hull_kv *kv, size_t n, struct hull_error *err);
