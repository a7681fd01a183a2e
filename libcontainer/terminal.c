/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <termios.h>
#include <unistd.h>
#include "cleanup.h"
#include "rootfs.h"
#include "terminal.h"
#include "util.h"

int
terminal_setup (int root_fd, int console_sock, const struct hull_process *p, bool bind_console,
                struct hull_error *err)
{
  _cleanup_close_ int master = -1, slave = -1;
  int unlock = 0, r;

  if (root_fd >= 0)
    master = rootfs_open_in_root (root_fd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY, err);
  else if ((master = open ("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
    master = hull_err (err, errno, "open /dev/pts/ptmx");
  if (master < 0)
    return hull_err_prefix (err, "open the container's pty");
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return hull_err (err, errno, "unlock the pty");
  slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    return hull_err (err, errno, "open the pty peer");
  if (p->has_console_size)
    {
      struct winsize ws = { .ws_row = (unsigned short) p->console_height,
                            .ws_col = (unsigned short) p->console_width };
      ioctl (slave, TIOCSWINSZ, &ws);
    }
  if ((r = send_fd (console_sock, master, "/dev/ptmx", 9)) < 0)
    return hull_err (err, -r, "send the pty master to the console socket");
  if (setsid () < 0)
    return hull_err (err, errno, "setsid");
  if (ioctl (slave, TIOCSCTTY, 0) < 0)
    return hull_err (err, errno, "make the pty the controlling terminal");
  for (int fd = 0; fd < 3; fd++)
    if (dup2 (slave, fd) < 0)
      return hull_err (err, errno, "dup2 the pty to fd %d", fd);
  if (bind_console && root_fd >= 0)
    {
      char sp[32], tp[32];
      _cleanup_close_ int t = rootfs_mkdir_in_root (root_fd, "/dev/console", 0600, true, err);
      if (t < 0)
        return t;
      snprintf (sp, sizeof sp, "/proc/self/fd/%d", slave);
      snprintf (tp, sizeof tp, "/proc/self/fd/%d", t);
      if (mount (sp, tp, NULL, MS_BIND, NULL) < 0)
        return hull_err (err, errno, "bind mount the pty to /dev/console");
    }
  return 0;
}
