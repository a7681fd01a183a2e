/* SPDX-License-Identifier: Apache-2.0 */
/* --pidfd-socket (runc 1.2): connect to the caller's AF_UNIX stream socket and send one pidfd of the
 * process with SCM_RIGHTS and a short payload ("pidfd").  The caller can then wait for and signal
 * the process without racing against pid reuse, even though it is not the parent. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "pidfd-socket.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int
pidfd_socket_send (const char *path, pid_t pid, struct hull_error *err)
{
  _cleanup_close_ int pidfd = -1, sock = -1;
  int r;

  pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  if (pidfd < 0)
    {
      if (errno == ENOSYS)
        return hull_errx (err, ENOSYS, "--pidfd-socket requires >= v5.3 kernel");
      return hull_err (err, errno, "pidfd_open %d", (int) pid);
    }
  sock = unix_connect (path);
  if (sock < 0)
    return hull_err (err, -sock, "connect to the pidfd socket `%s`", path);
  if ((r = send_fd (sock, pidfd, "pidfd", 5)) < 0)
    return hull_err (err, -r, "send the pidfd to `%s`", path);
  return 0;
}
