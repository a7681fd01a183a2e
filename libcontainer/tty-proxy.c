/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder until the foreground pty proxy lands. */
#include <errno.h>
#include "tty-proxy.h"

int
tty_proxy_prepare (struct tty_proxy **ret, int *ret_child_sock, struct hull_error *err)
{
  *ret = NULL;
  *ret_child_sock = -1;
  return hull_errx (err, ENOTSUP, "process.terminal: a terminal needs --console-socket (foreground pty proxy is not implemented yet)");
}

int
tty_proxy_wait (struct tty_proxy *t, pid_t pid, const sigset_t *all, int *ret_status, struct hull_error *err)
{
  return hull_errx (err, ENOTSUP, "no tty proxy");
}

void
tty_proxy_free (struct tty_proxy *t)
{
}
