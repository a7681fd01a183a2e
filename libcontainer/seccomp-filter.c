/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder until the seccomp implementation lands: a config with linux.seccomp is refused
 * clearly rather than run unfiltered. */
#include <errno.h>
#include <stdlib.h>
#include "seccomp-filter.h"

struct seccomp_prog
{
  int unused;
};

int
seccomp_prepare (const struct hull_seccomp *s, struct seccomp_prog **ret, struct hull_error *err)
{
  *ret = NULL;
  if (!s)
    return 0;
  return hull_errx (err, ENOTSUP, "linux.seccomp: not supported by this build yet");
}

bool
seccomp_prog_has_notify (const struct seccomp_prog *p)
{
  return false;
}

int
seccomp_install (const struct seccomp_prog *p, int *ret_listener_fd, struct hull_error *err)
{
  *ret_listener_fd = -1;
  return 0;
}

int
seccomp_send_listener (const char *path, int listener_fd, const char *state_json, const char *metadata, pid_t pid,
                       struct hull_error *err)
{
  return hull_errx (err, ENOTSUP, "seccomp notify not supported");
}

void
seccomp_prog_free (struct seccomp_prog *p)
{
  free (p);
}
