/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "exe-seal.h"
#include "log.h"

extern char **environ;

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int
exe_seal_is_protected (void)
{
  _cleanup_close_ int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  struct statfs sf;
  if (fd < 0)
    return -errno;
  if (fstatfs (fd, &sf) == 0 && (sf.f_flags & ST_RDONLY))
    return 1;
  int seals = fcntl (fd, F_GET_SEALS);
  if (seals >= 0 && (seals & SEALS) == SEALS)
    return 1;
  return 0;
}

static int
reexec_fd (int fd, char **argv)
{
  setenv ("HULL_EXE_SEALED", "1", 1);
  syscall (SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
  int e = errno;
  unsetenv ("HULL_EXE_SEALED");
  return -e;
}

/* A read-only detached clone of the binary's mount, holding just the binary. */
static int
via_open_tree (char **argv)
{
  _cleanup_close_ int fd = (int) syscall (SYS_open_tree, AT_FDCWD, "/proc/self/exe",
                                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (fd < 0)
    return -errno;
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
  if (syscall (SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
    return -errno;
  return reexec_fd (fd, argv);
}

static int
via_memfd (char **argv)
{
  _cleanup_close_ int src = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (src < 0 || fstat (src, &st) < 0)
    return -errno;
  _cleanup_close_ int mfd = memfd_create ("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (mfd < 0 && errno == EINVAL)
    mfd = memfd_create ("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0)
    return -errno;
  for (off_t off = 0; off < st.st_size;)
    {
      ssize_t n = sendfile (mfd, src, &off, (size_t) (st.st_size - off));
      if (n <= 0)
        return n < 0 ? -errno : -EIO;
    }
  if (fcntl (mfd, F_ADD_SEALS, SEALS) < 0)
    return -errno;
  return reexec_fd (mfd, argv);
}

int
exe_seal_ensure (char **argv, struct hull_error *err)
{
  int r = exe_seal_is_protected ();
  if (r > 0)
    return 0;
  if (getenv ("HULL_EXE_SEALED"))
    {
      /* we were re-executed and still cannot prove it: refuse rather than loop */
      return hull_errx (err, EPERM, "cannot protect the hull binary against overwrite (CVE-2019-5736)");
    }
  r = via_open_tree (argv);
  hull_debug ("re-exec through a read-only clone failed (%s), trying a sealed memfd", strerror (-r));
  r = via_memfd (argv);
  return hull_err (err, -r, "re-execute hull from a sealed copy (CVE-2019-5736 protection)");
}
