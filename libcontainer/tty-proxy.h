/* SPDX-License-Identifier: Apache-2.0 */
/* Foreground terminals: `hull run` / `hull exec -t` with process.terminal and no --console-socket.
 * hull makes a socketpair that stands in for a console socket: the container side gets one end
 * (and sends the pty master over it exactly as to a --console-socket), hull keeps the other,
 * receives the master and proxies it to its own stdin/stdout with the caller's terminal in raw
 * mode (restored on exit and on error), resizing on SIGWINCH.
 *
 *   tty_proxy_prepare()  before the container process exists: *ret_child_sock goes to the child
 *   tty_proxy_wait()     replaces the plain wait: receives the master, proxies, forwards signals
 *                        (every signal in *all is blocked by the caller), reaps pid, and returns
 *                        its status (128+signal when killed). */
#pragma once
#include <signal.h>
#include <sys/types.h>
#include "error.h"

struct tty_proxy;

int tty_proxy_prepare (struct tty_proxy **ret, int *ret_child_sock, struct hull_error *err);
int tty_proxy_wait (struct tty_proxy *t, pid_t pid, const sigset_t *all, int *ret_status, struct hull_error *err);
void tty_proxy_free (struct tty_proxy *t);
static inline void
tty_proxy_freep (struct tty_proxy **t)
{
  if (*t)
    tty_proxy_free (*t);
}
