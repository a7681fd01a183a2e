/* SPDX-License-Identifier: Apache-2.0 */
/* enosys [-e ERRNO] [-s NAME,NAME...] [--] COMMAND [ARG...]
 *
 * Installs a seccomp filter that makes the listed system calls fail with ENOSYS (or -e EPERM, or a
 * number), then execs COMMAND.  The filter is inherited by everything COMMAND starts, so running
 * `enosys hull run ...` exercises every fallback path of hull for kernels (or seccomp profiles)
 * without the new APIs.  Default list (security.md §5 test 31, and the rest of the fsopen family):
 * openat2, clone3, mount_setattr, open_tree, move_mount, fsopen, fsconfig, fsmount, fspick,
 * close_range, pidfd_open, memfd_create.  Other names known here: pidfd_send_signal, pidfd_getfd,
 * statx, execveat.
 *
 * No LD_PRELOAD, no libseccomp: a classic BPF program.  As root (CAP_SYS_ADMIN) no_new_privs is not
 * set, so set-uid programs and file capabilities below still behave as without the wrapper. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "enosys: unsupported architecture"
#endif

struct sc
{
  const char *name;
  long nr;
};

static const struct sc known[] = {
  { "openat2", 437 },        { "clone3", 435 },     { "mount_setattr", 442 }, { "open_tree", 428 },
  { "move_mount", 429 },     { "fsopen", 430 },     { "fsconfig", 431 },      { "fsmount", 432 },
  { "fspick", 433 },         { "close_range", 436 }, { "pidfd_open", 434 },   { "pidfd_send_signal", 424 },
  { "pidfd_getfd", 438 },    { "memfd_create", SYS_memfd_create },            { "statx", SYS_statx },
  { "execveat", SYS_execveat },
};
static const char *default_list
    = "openat2,clone3,mount_setattr,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,close_range,"
      "pidfd_open,memfd_create";

static long
lookup (const char *name)
{
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp (known[i].name, name) == 0)
      return known[i].nr;
  char *end;
  long n = strtol (name, &end, 10);
  return *name && !*end ? n : -1;
}

static void
usage (void)
{
  fprintf (stderr, "usage: enosys [-e ERRNO|ENOSYS|EPERM] [-s NAME,...] [--] COMMAND [ARG...]\n");
  exit (125);
}

int
main (int argc, char **argv)
{
  const char *list = default_list;
  int err = ENOSYS, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      if (i + 1 >= argc)
        usage ();
      if (strcmp (argv[i], "-e") == 0)
        {
          const char *e = argv[++i];
          err = strcmp (e, "ENOSYS") == 0 ? ENOSYS : strcmp (e, "EPERM") == 0 ? EPERM : atoi (e);
          if (err <= 0 || err > 4095)
            usage ();
        }
      else if (strcmp (argv[i], "-s") == 0)
        list = argv[++i];
      else
        usage ();
    }
  if (i >= argc)
    usage ();

  long nrs[64];
  size_t n = 0;
  char *copy = strdup (list), *save = NULL;
  for (char *s = strtok_r (copy, ",", &save); s; s = strtok_r (NULL, ",", &save))
    {
      long nr = lookup (s);
      if (nr < 0 || n == sizeof nrs / sizeof nrs[0])
        {
          fprintf (stderr, "enosys: unknown system call `%s`\n", s);
          return 125;
        }
      nrs[n++] = nr;
    }

  /* arch check, load nr, one JEQ per call, allow; the ERRNO return sits at the end */
  struct sock_filter prog[8 + 64];
  size_t k = 0;
  prog[k++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch));
  prog[k++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0);
  prog[k++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  prog[k++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr));
  for (size_t j = 0; j < n; j++)
    {
      /* jump to the ERRNO return: over the remaining JEQs and the ALLOW */
      unsigned char jt = (unsigned char) (n - j);
      prog[k++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) nrs[j], jt, 0);
    }
  prog[k++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  prog[k++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned) err & SECCOMP_RET_DATA));
  struct sock_fprog fprog = { .len = (unsigned short) k, .filter = prog };

  if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
    {
      if (errno != EACCES || prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
          || syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        {
          perror ("enosys: seccomp");
          return 125;
        }
    }
  execvp (argv[i], argv + i);
  fprintf (stderr, "enosys: exec %s: %s\n", argv[i], strerror (errno));
  return errno == ENOENT ? 127 : 126;
}
