/* SPDX-License-Identifier: Apache-2.0 */
/* procfs.c and lsm.c: the verified procfs handle refuses everything that is not the real procfs
 * (a tmpfs or an ordinary directory given as the mount point, a symlink, a bind of a procfs
 * subdirectory, an over-mount of the target by tmpfs or by another procfs file), with and without
 * openat2, and the LSM write path reaches the real /proc/thread-self/attr files through it.
 * The over-mount cases need root (they run in a private mount namespace); they are skipped otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "lsm.h"
#include "procfs.h"
#include "tap.h"
#include "util.h"

static char tmp[] = "/tmp/hull-test-procfs.XXXXXX";

static void
write_text (const char *path, const char *s)
{
  if (write_file_at (AT_FDCWD, path, s, strlen (s), 0644) < 0)
    abort ();
}

static char *
read_text (const char *path)
{
  char *s = NULL;
  if (read_file_at (AT_FDCWD, path, 4096, &s, NULL) < 0)
    return xstrdup ("<unreadable>");
  return s;
}

/* A fake procfs tree: <dir>/self -> 1, <dir>/thread-self -> 1/task/1, <dir>/1/... files. */
static void
make_fake_proc (const char *dir)
{
  _cleanup_free_ char *p1 = xasprintf ("%s/1/task/1/attr/apparmor", dir);
  if (mkdir_p_at (AT_FDCWD, p1, 0755) < 0)
    abort ();
  _cleanup_free_ char *self = xasprintf ("%s/self", dir), *ts = xasprintf ("%s/thread-self", dir);
  if (symlink ("1", self) < 0 || symlink ("1/task/1", ts) < 0)
    abort ();
  _cleanup_free_ char *f1 = xasprintf ("%s/1/task/1/attr/exec", dir);
  _cleanup_free_ char *f2 = xasprintf ("%s/1/task/1/attr/apparmor/exec", dir);
  _cleanup_free_ char *f3 = xasprintf ("%s/1/task/1/attr/apparmor/current", dir);
  write_text (f1, "untouched\n");
  write_text (f2, "untouched\n");
  write_text (f3, "unconfined\n");
}

static void
test_root_checks (void)
{
  struct hull_error err = { 0 };
  int fd = procfs_open_root (NULL, &err);
  ok (fd >= 0, "procfs_open_root(/proc) succeeds");
  if (fd >= 0)
    close (fd);

  _cleanup_free_ char *fake = xasprintf ("%s/fake", tmp);
  make_fake_proc (fake);
  memset (&err, 0, sizeof err);
  fd = procfs_open_root (fake, &err);
  ok (fd == -EINVAL && strstr (err.msg, "is not a procfs mount"), "an ordinary directory is refused: %s", err.msg);

  _cleanup_free_ char *link = xasprintf ("%s/proc-link", tmp);
  if (symlink ("/proc", link) < 0)
    abort ();
  memset (&err, 0, sizeof err);
  fd = procfs_open_root (link, &err);
  ok (fd == -ENOTDIR && strstr (err.msg, "symlink"), "a symlink to /proc is refused: %s", err.msg);

  memset (&err, 0, sizeof err);
  fd = procfs_open_root ("/proc/sys", &err);
  ok (fd == -EINVAL && strstr (err.msg, "not the root"), "a procfs subdirectory is refused: %s", err.msg);
}

static void
test_paths (void)
{
  struct hull_error err = { 0 };
  _cleanup_close_ int proc = procfs_open_root (NULL, &err);
  const char *bad[] = { "../etc/passwd", "/etc/passwd", "attr/../../1/environ", "", "attr//exec", "./attr" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      memset (&err, 0, sizeof err);
      int fd = procfs_open (proc, PROCFS_SELF, 0, bad[i], O_RDONLY, &err);
      ok (fd == -EINVAL, "sub path `%s` is refused", bad[i]);
      if (fd >= 0)
        close (fd);
    }
  /* a magic link is never followed: fd/N, exe, cwd, root */
  const char *magic[] = { "exe", "cwd/etc", "root/etc/passwd", "fd/0" };
  for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
    {
      memset (&err, 0, sizeof err);
      int fd = procfs_open (proc, PROCFS_SELF, 0, magic[i], O_RDONLY, &err);
      ok (fd == -ELOOP, "magic link `%s` is refused: %s", magic[i], err.msg);
      if (fd >= 0)
        close (fd);
    }
  char *s = NULL;
  memset (&err, 0, sizeof err);
  int r = procfs_read (proc, PROCFS_THREAD_SELF, 0, "status", 64 * 1024, &s, NULL, &err);
  ok (r == 0 && s && strstr (s, "Tgid:"), "thread-self/status is readable");
  free (s);
  s = NULL;
  r = procfs_read (proc, PROCFS_PID, getpid (), "stat", 4096, &s, NULL, &err);
  ok (r == 0 && s && strtol (s, NULL, 10) == getpid (), "<pid>/stat names our pid");
  free (s);
  s = NULL;
  r = procfs_read (proc, PROCFS_ROOT, 0, "sys/kernel/ostype", 64, &s, NULL, &err);
  ok (r == 0 && s && strncmp (s, "Linux", 5) == 0, "sys/kernel/ostype reads Linux");
  free (s);
  /* the write path itself: oom_score_adj (a write every process may do to its own value) */
  char *before = NULL;
  procfs_read (proc, PROCFS_SELF, 0, "oom_score_adj", 32, &before, NULL, &err);
  memset (&err, 0, sizeof err);
  r = procfs_write (proc, PROCFS_SELF, 0, "oom_score_adj", before ? before : "0", before ? strlen (before) : 1,
                    &err);
  ok (r == 0, "procfs_write self/oom_score_adj: %s", err.msg);
  free (before);
}

static void
test_lsm_labels (void)
{
  struct hull_process p = { 0 };
  struct hull_error err = { 0 };
  _cleanup_free_ char *fake = xasprintf ("%s/fake", tmp);
  _cleanup_free_ char *f_exec = xasprintf ("%s/1/task/1/attr/exec", fake);
  _cleanup_free_ char *f_aa = xasprintf ("%s/1/task/1/attr/apparmor/exec", fake);

  /* not enabled: AppArmor ignored, SELinux an error */
  struct lsm_env off = { NULL, LSM_OFF, LSM_OFF };
  p.apparmor_profile = (char *) "hull-test";
  ok (lsm_set_exec_labels_env (&off, &p, &err) == 0, "AppArmor profile ignored when AppArmor is not enabled");
  p.apparmor_profile = NULL;
  p.selinux_label = (char *) "system_u:system_r:container_t:s0";
  memset (&err, 0, sizeof err);
  ok (lsm_set_exec_labels_env (&off, &p, &err) == -ENOTSUP && strstr (err.msg, "SELinux is not enabled"),
      "SELinux label refused when SELinux is not enabled: %s", err.msg);

  /* enabled, but the "procfs" is a fake tree: nothing written there */
  struct lsm_env fake_on = { fake, LSM_ON, LSM_ON };
  p.selinux_label = NULL;
  p.apparmor_profile = (char *) "hull-test";
  memset (&err, 0, sizeof err);
  int r = lsm_set_exec_labels_env (&fake_on, &p, &err);
  ok (r < 0 && strstr (err.msg, "is not a procfs mount"), "AppArmor: a non-procfs handle is refused: %s", err.msg);
  p.apparmor_profile = NULL;
  p.selinux_label = (char *) "system_u:system_r:container_t:s0";
  memset (&err, 0, sizeof err);
  r = lsm_set_exec_labels_env (&fake_on, &p, &err);
  ok (r < 0 && strstr (err.msg, "is not a procfs mount"), "SELinux: a non-procfs handle is refused: %s", err.msg);
  _cleanup_free_ char *c1 = read_text (f_exec), *c2 = read_text (f_aa);
  ASSERT_STREQ (c1, "untouched\n");
  ASSERT_STREQ (c2, "untouched\n");

  /* enabled, real procfs: the write reaches the kernel's attr files (which refuse it on this host,
   * proving the write went to procfs and not to a file of ours) */
  struct lsm_env real_on = { NULL, LSM_ON, LSM_ON };
  bool aa = lsm_apparmor_enabled (-1), se = false;
  {
    _cleanup_close_ int proc = procfs_open_root (NULL, &err);
    aa = lsm_apparmor_enabled (proc);
    se = lsm_selinux_enabled (proc);
  }
  if (aa || se)
    {
      tap_diag ("an LSM is enabled on this host (apparmor=%d selinux=%d); not writing labels", aa, se);
      return;
    }
  p.selinux_label = NULL;
  p.apparmor_profile = (char *) "hull-test";
  memset (&err, 0, sizeof err);
  r = lsm_set_exec_labels_env (&real_on, &p, &err);
  ok (r < 0 && strstr (err.msg, "attr/exec") && strstr (err.msg, "exec hull-test"),
      "AppArmor write reaches /proc/thread-self/attr/exec (kernel refuses without AppArmor): %s", err.msg);
  p.apparmor_profile = NULL;
  p.selinux_label = (char *) "system_u:system_r:container_t:s0";
  memset (&err, 0, sizeof err);
  r = lsm_set_exec_labels_env (&real_on, &p, &err);
  ok (r < 0 && strstr (err.msg, "attr/exec") && strstr (err.msg, "container_t"),
      "SELinux write reaches /proc/thread-self/attr/exec (kernel refuses without SELinux): %s", err.msg);
}

/* Root only, in a private mount namespace: over-mounts of the target are detected. */
static void
test_overmounts (bool walk)
{
  struct hull_error err = { 0 };
  _cleanup_close_ int proc = procfs_open_root (NULL, &err);
  char ts[64];
  ssize_t n = readlink ("/proc/thread-self", ts, sizeof ts - 1);
  if (n < 0)
    abort ();
  ts[n] = '\0';
  _cleanup_free_ char *attr_exec = xasprintf ("/proc/%s/attr/exec", ts);
  _cleanup_free_ char *attr_dir = xasprintf ("/proc/%s/attr", ts);
  _cleanup_free_ char *fakefile = xasprintf ("%s/fake-exec", tmp);
  write_text (fakefile, "fake\n");
  procfs_set_no_openat2 (walk);
  const char *mode = walk ? "component walk" : "openat2";

  /* 1. a regular file bound over attr/exec */
  if (mount (fakefile, attr_exec, NULL, MS_BIND, NULL) == 0)
    {
      memset (&err, 0, sizeof err);
      int r = procfs_write (proc, PROCFS_THREAD_SELF, 0, "attr/exec", "x", 1, &err);
      ok (r == -EXDEV, "%s: a file bound over attr/exec is refused: %s", mode, err.msg);
      umount2 (attr_exec, MNT_DETACH);
      _cleanup_free_ char *c = read_text (fakefile);
      ASSERT_STREQ (c, "fake\n");
    }
  else
    ok (false, "%s: bind a file over %s: %s", mode, attr_exec, strerror (errno));

  /* 2. another procfs file (self/sched) bound over attr/exec: procfs, but another mount */
  _cleanup_free_ char *sched = xasprintf ("/proc/%s/sched", ts);
  if (mount (sched, attr_exec, NULL, MS_BIND, NULL) == 0)
    {
      memset (&err, 0, sizeof err);
      int r = procfs_write (proc, PROCFS_THREAD_SELF, 0, "attr/exec", "x", 1, &err);
      ok (r == -EXDEV, "%s: a procfs file (sched) bound over attr/exec is refused: %s", mode, err.msg);
      umount2 (attr_exec, MNT_DETACH);
    }
  else
    ok (false, "%s: bind %s over %s: %s", mode, sched, attr_exec, strerror (errno));

  /* 3. a tmpfs over the attr directory */
  if (mount ("tmpfs", attr_dir, "tmpfs", 0, NULL) == 0)
    {
      _cleanup_free_ char *f = xasprintf ("%s/exec", attr_dir);
      write_text (f, "");
      memset (&err, 0, sizeof err);
      int r = procfs_write (proc, PROCFS_THREAD_SELF, 0, "attr/exec", "x", 1, &err);
      ok (r == -EXDEV, "%s: a tmpfs over attr/ is refused: %s", mode, err.msg);
      umount2 (attr_dir, MNT_DETACH);
    }
  else
    ok (false, "%s: tmpfs over %s: %s", mode, attr_dir, strerror (errno));

  /* 4. a tmpfs over /proc/sys/kernel (the sysctl case) */
  if (mount ("tmpfs", "/proc/sys/kernel", "tmpfs", 0, NULL) == 0)
    {
      write_text ("/proc/sys/kernel/domainname", "");
      memset (&err, 0, sizeof err);
      int r = procfs_write (proc, PROCFS_ROOT, 0, "sys/kernel/domainname", "x", 1, &err);
      ok (r == -EXDEV, "%s: a tmpfs over sys/kernel is refused: %s", mode, err.msg);
      umount2 ("/proc/sys/kernel", MNT_DETACH);
    }
  else
    ok (false, "%s: tmpfs over /proc/sys/kernel: %s", mode, strerror (errno));

  /* 5. a tmpfs over the whole /proc: the root check refuses it */
  if (mount ("tmpfs", "/proc", "tmpfs", 0, NULL) == 0)
    {
      memset (&err, 0, sizeof err);
      int fd = procfs_open_root (NULL, &err);
      ok (fd == -EINVAL, "%s: a tmpfs over /proc is refused: %s", mode, err.msg);
      if (fd >= 0)
        close (fd);
      umount2 ("/proc", MNT_DETACH);
    }
  else
    ok (false, "%s: tmpfs over /proc: %s", mode, strerror (errno));
  procfs_set_no_openat2 (false);
}

int
main (void)
{
  if (!mkdtemp (tmp))
    abort ();
  test_root_checks ();
  test_paths ();
  procfs_set_no_openat2 (true);
  tap_diag ("again without openat2 (component walk)");
  test_paths ();
  procfs_set_no_openat2 (false);
  test_lsm_labels ();
  if (geteuid () == 0 && unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
    {
      test_overmounts (false);
      test_overmounts (true);
    }
  else
    tap_diag ("not root or no mount namespace: over-mount cases skipped");
  _cleanup_free_ char *cmd = xasprintf ("rm -rf --one-file-system %s", tmp);
  if (system (cmd) != 0)
    tap_diag ("could not remove %s", tmp);
  return tap_done ();
}
