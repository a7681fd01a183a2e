/* SPDX-License-Identifier: Apache-2.0 */
/* The foreground pty proxy (runc's tty.go, without threads).
 *
 * Host console: the first of stderr, stdout, stdin that is a terminal, else /dev/tty (runc's
 * initHostConsole); without one the proxy still copies, just without raw mode and sizes.
 *
 * Loop (poll, every signal read from a signalfd):
 *   stdin  → master   until EOF or an error on stdin; then stdin is simply no longer read (runc's
 *                     io.Copy ends the same way): the pty stays open, nothing is sent for the EOF
 *   master → stdout   until EIO (every slave fd closed)
 *   SIGWINCH          the host console's size onto the master (the kernel signals the container's
 *                     foreground process group)
 *   SIGCHLD           reap (hull may be a subreaper); when pid exits, drain the master briefly and stop
 *   anything else     forwarded to pid (not SIGURG, nor a SIGPIPE that our own write caused) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "cleanup.h"
#include "log.h"
#include "tty-proxy.h"
#include "util.h"

/* after the process exits: keep copying while output keeps coming, at most this long idle */
#define DRAIN_IDLE_MS 100

struct tty_proxy
{
  int sock;      /* our end of the stand-in console socket */
  int master;    /* the container's pty master, once received */
  int host;      /* the caller's terminal, or -1 */
  bool host_owned;
  bool raw;      /* saved holds the mode to restore */
  struct termios saved;
};

int
tty_proxy_prepare (struct tty_proxy **ret, int *ret_child_sock, struct hull_error *err)
{
  int sp[2];
  *ret = NULL;
  *ret_child_sock = -1;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
    return hull_err (err, errno, "socketpair for the terminal");
  struct tty_proxy *t = xzalloc (sizeof *t);
  t->sock = sp[0];
  t->master = -1;
  t->host = -1;
  *ret_child_sock = sp[1];
  *ret = t;
  return 0;
}

static void
find_host_console (struct tty_proxy *t)
{
  static const int fds[] = { STDERR_FILENO, STDOUT_FILENO, STDIN_FILENO };
  for (size_t i = 0; i < ELEMENTSOF (fds); i++)
    if (isatty (fds[i]))
      {
        t->host = fds[i];
        return;
      }
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0)
    {
      t->host = fd;
      t->host_owned = true;
    }
}

static int
set_raw (struct tty_proxy *t, struct hull_error *err)
{
  struct termios raw;
  if (t->host < 0)
    return 0;
  if (tcgetattr (t->host, &t->saved) < 0)
    return hull_err (err, errno, "get the terminal attributes");
  raw = t->saved;
  cfmakeraw (&raw);
  /* cfmakeraw, as containerd/console's SetRaw: OPOST off too, the container's pty already turns
   * \n into \r\n */
  if (tcsetattr (t->host, TCSANOW, &raw) < 0)
    return hull_err (err, errno, "set the terminal to raw mode");
  t->raw = true;
  return 0;
}

static void
restore_host (struct tty_proxy *t)
{
  if (t->raw && tcsetattr (t->host, TCSANOW, &t->saved) < 0)
    hull_warn ("restore the terminal mode: %s, ignoring", strerror (errno));
  t->raw = false;
}

static void
resize (struct tty_proxy *t)
{
  struct winsize ws;
  if (t->host < 0 || t->master < 0)
    return;
  if (ioctl (t->host, TIOCGWINSZ, &ws) < 0 || (ws.ws_row == 0 && ws.ws_col == 0))
    return;
  if (ioctl (t->master, TIOCSWINSZ, &ws) < 0)
    hull_debug ("resize the container's terminal: %s", strerror (errno));
}

/* Reap every exited child (hull may be a subreaper); true once pid is among them. */
static bool
reap (pid_t pid, int *ret_status)
{
  int status;
  pid_t w;
  bool done = false;
  while ((w = waitpid (-1, &status, WNOHANG)) > 0)
    if (w == pid)
      {
        *ret_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        done = true;
      }
  if (w < 0 && errno == ECHILD && !done)
    {
      /* not our child any more (cannot happen unless someone else reaped it) */
      *ret_status = 255;
      return true;
    }
  return done;
}

/* Handle one signal: returns true when pid has exited. */
static bool
on_signal (struct tty_proxy *t, const struct signalfd_siginfo *si, pid_t pid, int *ret_status)
{
  int sig = (int) si->ssi_signo;
  switch (sig)
    {
    case SIGCHLD:
      return reap (pid, ret_status);
    case SIGWINCH:
      resize (t);
      return false;
    case SIGURG:
      return false;
    case SIGPIPE:
      if ((pid_t) si->ssi_pid == getpid ())
        return false; /* our own write to a closed stdout */
      break;
    default:
      break;
    }
  kill (pid, sig);
  return false;
}

/* Wait for the master on the socket, reaping and forwarding meanwhile.  0 with t->master set, or
 * 1 when pid exited first. */
static int
receive_master (struct tty_proxy *t, int sfd, pid_t pid, int *ret_status, struct hull_error *err)
{
  for (;;)
    {
      struct pollfd p[2] = { { .fd = t->sock, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return hull_err (err, errno, "poll");
        }
      if (p[1].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          if (read (sfd, &si, sizeof si) == sizeof si && on_signal (t, &si, pid, ret_status))
            return 1;
        }
      if (p[0].revents)
        {
          char name[256];
          int fd = -1;
          int n = recv_fd (t->sock, &fd, name, sizeof name);
          if (n < 0)
            return hull_err (err, -n, "receive the pty master");
          if (fd < 0)
            {
              /* EOF without a master: the process failed before creating its pty; wait for it */
              if (n == 0)
                {
                  close (t->sock);
                  t->sock = -1;
                  int status;
                  pid_t w;
                  while ((w = waitpid (pid, &status, 0)) < 0 && errno == EINTR)
                    ;
                  *ret_status = w == pid ? (WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status))
                                         : 255;
                  return 1;
                }
              return hull_errx (err, EPROTO, "console socket: message without a pty master");
            }
          t->master = fd;
          close (t->sock);
          t->sock = -1;
          return 0;
        }
    }
}

struct buf
{
  char data[4096];
  size_t off, len;
};

/* Copy what the master has to stdout; false once the master is done (EIO/EOF). */
static bool
copy_out (int master)
{
  char data[8192];
  for (;;)
    {
      ssize_t n = read (master, data, sizeof data);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return true;
      if (n <= 0)
        return false;
      if (write_all (STDOUT_FILENO, data, (size_t) n) < 0)
        return true; /* stdout gone: keep draining so the container never blocks on its pty */
    }
}

int
tty_proxy_wait (struct tty_proxy *t, pid_t pid, const sigset_t *all, int *ret_status, struct hull_error *err)
{
  _cleanup_close_ int sfd = signalfd (-1, all, SFD_CLOEXEC | SFD_NONBLOCK);
  struct buf in = { .len = 0 };
  bool in_open = true, out_open = true, exited = false;
  int r;

  *ret_status = 255;
  if (sfd < 0)
    return hull_err (err, errno, "signalfd");
  r = receive_master (t, sfd, pid, ret_status, err);
  if (r != 0)
    return r < 0 ? r : 0;
  if (fcntl (t->master, F_SETFL, fcntl (t->master, F_GETFL) | O_NONBLOCK) < 0)
    return hull_err (err, errno, "set the pty master non-blocking");

  find_host_console (t);
  if ((r = set_raw (t, err)) < 0)
    return r;
  resize (t);

  int drain_ms = -1;
  for (;;)
    {
      struct pollfd p[3];
      int np = 0, i_sig, i_in = -1, i_master = -1;
      i_sig = np;
      p[np++] = (struct pollfd) { .fd = sfd, .events = POLLIN };
      if (out_open || in.len > 0)
        {
          i_master = np;
          p[np++] = (struct pollfd) { .fd = t->master, .events = (short) ((out_open ? POLLIN : 0)
                                                                           | (in.len > 0 ? POLLOUT : 0)) };
        }
      if (in_open && in.len == 0 && !exited)
        {
          i_in = np;
          p[np++] = (struct pollfd) { .fd = STDIN_FILENO, .events = POLLIN };
        }
      if (exited && !out_open)
        break;
      int n = poll (p, (nfds_t) np, exited ? drain_ms : -1);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          r = hull_err (err, errno, "poll");
          break;
        }
      if (n == 0)
        break; /* exited, and the pty stayed quiet */
      if (p[i_sig].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          while (read (sfd, &si, sizeof si) == sizeof si)
            if (!exited && on_signal (t, &si, pid, ret_status))
              {
                exited = true;
                drain_ms = DRAIN_IDLE_MS;
              }
        }
      if (i_master >= 0 && (p[i_master].revents & (POLLIN | POLLHUP | POLLERR)) && out_open)
        out_open = copy_out (t->master);
      if (i_master >= 0 && (p[i_master].revents & (POLLOUT | POLLERR | POLLHUP)) && in.len > 0)
        {
          ssize_t w = write (t->master, in.data + in.off, in.len - in.off);
          if (w > 0)
            {
              in.off += (size_t) w;
              if (in.off == in.len)
                in.off = in.len = 0;
            }
          else if (w < 0 && errno != EAGAIN && errno != EINTR)
            in.off = in.len = 0, in_open = false;
        }
      if (i_in >= 0 && (p[i_in].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          ssize_t rd = read (STDIN_FILENO, in.data, sizeof in.data);
          if (rd > 0)
            in.off = 0, in.len = (size_t) rd;
          else if (rd == 0 || (errno != EINTR && errno != EAGAIN))
            in_open = false; /* EOF: stop reading stdin; the pty stays open (runc) */
        }
      if (i_in >= 0 && (p[i_in].revents & POLLNVAL))
        in_open = false;
      if (!exited && !out_open)
        {
          /* every slave fd is closed; the process may still run: only wait for it now */
          in_open = false;
        }
    }
  restore_host (t);
  return r < 0 ? r : 0;
}

void
tty_proxy_free (struct tty_proxy *t)
{
  if (!t)
    return;
  restore_host (t);
  if (t->sock >= 0)
    close (t->sock);
  if (t->master >= 0)
    close (t->master);
  if (t->host_owned && t->host >= 0)
    close (t->host);
  free (t);
}
