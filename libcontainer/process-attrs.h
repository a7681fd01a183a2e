/* SPDX-License-Identifier: Apache-2.0 */
/* Process attributes beyond ids and capabilities (config.md "process", config-linux.md):
 * personality, scheduler (sched_setattr), ioPriority, execCPUAffinity, memoryPolicy, and
 * linux.sysctl.  Called by the container init (and exec) at fixed points:
 *
 *   process_attrs_early()  in the child, after pivot_root, while still privileged and before the
 *                          uid change (sysctl through the container's /proc/sys, scheduler, ioprio,
 *                          memory policy, personality, initial CPU affinity)
 *   process_attrs_final()  right before execve (final CPU affinity)
 * `is_exec` is true for `hull exec` (no sysctl then). */
#pragma once
#include <stdbool.h>
#include "error.h"
#include "spec/spec.h"

int process_attrs_early (const struct hull_process *p, const struct hull_linux *lx, bool is_exec,
                         struct hull_error *err);
int process_attrs_final (const struct hull_process *p, struct hull_error *err);
