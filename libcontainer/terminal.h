/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include <stdbool.h>
#include "error.h"
#include "spec/spec.h"

/* Create a pty from the container's devpts (root_fd: the rootfs, resolved in root; -1: the current
 * root is already the container's), send its master over console_sock (runc's protocol: one
 * SCM_RIGHTS fd with a short payload), make the peer our controlling terminal and stdio, and with
 * bind_console bind it onto /dev/console. */
int terminal_setup (int root_fd, int console_sock, const struct hull_process *p, bool bind_console,
                    struct hull_error *err);
