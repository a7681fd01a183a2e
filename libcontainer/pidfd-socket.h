/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include <sys/types.h>
#include "error.h"

/* --pidfd-socket: connect to the unix socket at path and send a pidfd of pid with SCM_RIGHTS
 * (runc 1.2's protocol). */
int pidfd_socket_send (const char *path, pid_t pid, struct hull_error *err);
