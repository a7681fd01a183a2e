/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cleanup.h"
#include "hooks.h"
#include "util.h"

static int
run_one (const struct hull_hook *h, const char *kind, const char *json, struct hull_error *err)
{
  int in[2];
  pid_t pid;
  int status = 0;
  if (pipe2 (in, O_CLOEXEC) < 0)
    return hull_err (err, errno, "%s hook: pipe", kind);
  pid = fork ();
  if (pid < 0)
    {
      close (in[0]);
      close (in[1]);
      return hull_err (err, errno, "%s hook: fork", kind);
    }
  if (pid == 0)
    {
      char *const default_args[] = { (char *) h->path, NULL };
      char *const empty_env[] = { NULL };
      sigset_t none;
      sigemptyset (&none);
      sigprocmask (SIG_SETMASK, &none, NULL);
      signal (SIGPIPE, SIG_DFL);
      /* its own process group: a timeout kills the hook and everything it started */
      setpgid (0, 0);
      dup2 (in[0], STDIN_FILENO);
      execve (h->path, h->args ? h->args : default_args, h->env ? h->env : empty_env);
      _exit (127);
    }
  close (in[0]);
  /* a hook that closes stdin early must not kill us: MSG_NOSIGNAL is not for pipes, so ignore SIGPIPE */
  {
    struct sigaction ign = { .sa_handler = SIG_IGN }, old;
    sigaction (SIGPIPE, &ign, &old);
    write_all (in[1], json, strlen (json));
    sigaction (SIGPIPE, &old, NULL);
  }
  close (in[1]);

  if (h->has_timeout && h->timeout > 0)
    {
      struct timespec start, now;
      clock_gettime (CLOCK_MONOTONIC, &start);
      for (;;)
        {
          pid_t w = waitpid (pid, &status, WNOHANG);
          if (w == pid)
            break;
          clock_gettime (CLOCK_MONOTONIC, &now);
          if (now.tv_sec - start.tv_sec >= h->timeout)
            {
              kill (-pid, SIGKILL);
              kill (pid, SIGKILL);
              waitpid (pid, &status, 0);
              return hull_errx (err, ETIMEDOUT, "%s hook `%s`: timed out after %d s", kind, h->path, h->timeout);
            }
          poll (NULL, 0, 10);
        }
    }
  else
    while (waitpid (pid, &status, 0) < 0)
      if (errno != EINTR)
        return hull_err (err, errno, "%s hook `%s`: wait", kind, h->path);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  if (WIFSIGNALED (status))
    return hull_errx (err, EIO, "%s hook `%s`: killed by signal %d", kind, h->path, WTERMSIG (status));
  return hull_errx (err, EIO, "%s hook `%s`: exit status %d", kind, h->path, WEXITSTATUS (status));
}

int
hooks_run (const struct hull_spec *spec, enum hull_hook_kind kind, const struct hull_state *st,
           enum hull_status status, struct hull_error *err)
{
  const struct hull_hooks_list *l = &spec->hooks[kind];
  if (l->n == 0)
    return 0;
  _cleanup_free_ char *json = state_to_json (st, status);
  return hooks_run_json (spec, kind, json, err);
}

int
hooks_run_json (const struct hull_spec *spec, enum hull_hook_kind kind, const char *json, struct hull_error *err)
{
  const struct hull_hooks_list *l = &spec->hooks[kind];
  for (size_t i = 0; i < l->n; i++)
    {
      int r = run_one (&l->hooks[i], spec_hook_kind_name (kind), json, err);
      if (r < 0)
        return r;
    }
  return 0;
}

bool
hooks_need_init_stop (const struct hull_spec *spec)
{
  return spec->hooks[HULL_HOOK_PRESTART].n || spec->hooks[HULL_HOOK_CREATE_RUNTIME].n
         || spec->hooks[HULL_HOOK_CREATE_CONTAINER].n || spec->hooks[HULL_HOOK_START_CONTAINER].n;
}

int
hooks_run_state (const struct hull_state *st, enum hull_hook_kind kind, struct hull_error *err)
{
  _cleanup_ (spec_freep) struct hull_spec *spec = NULL;
  struct hull_error e = { 0 };
  /* no config parse on the hot path of start and delete when there is nothing to run */
  if (!st->config_path || !st->late_hooks)
    return 0;
  /* the config may be gone with the bundle: then there is nothing to run */
  if (spec_load_file (st->config_path, &spec, &e) < 0)
    return 0;
  return hooks_run (spec, kind, st,
                    kind == HULL_HOOK_POSTSTOP ? HULL_STATUS_STOPPED : HULL_STATUS_RUNNING, err);
}
