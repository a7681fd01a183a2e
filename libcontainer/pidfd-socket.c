/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include "pidfd-socket.h"

int
pidfd_socket_send (const char *path, pid_t pid, struct hull_error *err)
{
  return hull_errx (err, ENOTSUP, "--pidfd-socket: not supported by this build yet");
}
