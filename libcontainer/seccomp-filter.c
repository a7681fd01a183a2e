/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp → BPF, compiled with libseccomp in the parent, loaded with seccomp(2) in the child.
 *
 * Semantics follow runc:
 *  - SCMP_ACT_KILL is KILL_THREAD; ERRNO and TRACE default to EPERM; defaultErrnoRet only goes with
 *    an ERRNO or TRACE default action;
 *  - the native architecture is always in the filter, the listed ones are added;
 *  - a syscall name libseccomp does not know is ignored (debug log); a rule whose action equals the
 *    default action is skipped; a rule with two conditions on the same argument becomes one rule per
 *    condition (libseccomp cannot AND two comparisons of one argument);
 *  - flags: absent → SPEC_ALLOW when the kernel has it; listed → each must be known and supported.
 *  - the -ENOSYS stub: unless the default action is permissive (ALLOW, LOG, TRACE) or already
 *    ERRNO(ENOSYS), a small program is put in front of libseccomp's that returns ENOSYS for any syscall
 *    number above the highest one the profile names, per architecture (x32 apart from x86_64), so a
 *    libc probing a syscall newer than the profile falls back instead of seeing EPERM.  Numbers at or
 *    below that highest one keep the profile's default action (runc does the same).
 *
 * Compiling a large profile (podman's) costs libseccomp tens of milliseconds, more than the rest of a
 * container start: the compiled program is kept in <state root>/seccomp:cache/<hash> (':' is not in any
 * container id), under a key that holds everything libseccomp's output depends on, written out in full
 * and compared byte for byte on use (so a hash collision is a miss, never another profile's filter).
 * A cache file is used only if it is a regular file owned by us and writable by nobody else. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cleanup.h"
#include "config.h"
#include "log.h"
#include "seccomp-filter.h"
#include "spec/json.h"
#include "util.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

#define CONFIG "config.json: linux.seccomp"
#define X32_SYSCALL_BIT 0x40000000U
#define MAX_ARCHS 24

struct seccomp_prog
{
  struct sock_filter *insns;
  size_t len;
  unsigned long flags; /* for seccomp(2), without NEW_LISTENER */
  bool notify;
  /* compiled now, not found in the cache: seccomp_cache_store() keeps it once the container runs */
  size_t stub_len;
  char *cache_key;
  size_t cache_key_len;
  char cache_name[32];
};

static const struct
{
  const char *name;
  enum hull_seccomp_action action;
} action_names[] = {
  /* sorted, as runc's features prints them */
  { "SCMP_ACT_ALLOW", HULL_SECCOMP_ALLOW },
  { "SCMP_ACT_ERRNO", HULL_SECCOMP_ERRNO },
  { "SCMP_ACT_KILL", HULL_SECCOMP_KILL },
  { "SCMP_ACT_KILL_PROCESS", HULL_SECCOMP_KILL_PROCESS },
  { "SCMP_ACT_KILL_THREAD", HULL_SECCOMP_KILL_THREAD },
  { "SCMP_ACT_LOG", HULL_SECCOMP_LOG },
  { "SCMP_ACT_NOTIFY", HULL_SECCOMP_NOTIFY },
  { "SCMP_ACT_TRACE", HULL_SECCOMP_TRACE },
  { "SCMP_ACT_TRAP", HULL_SECCOMP_TRAP },
};

static const struct
{
  const char *name;
  enum hull_seccomp_op op;
  enum scmp_compare scmp;
} op_names[] = {
  { "SCMP_CMP_EQ", HULL_SECCOMP_OP_EQ, SCMP_CMP_EQ },
  { "SCMP_CMP_GE", HULL_SECCOMP_OP_GE, SCMP_CMP_GE },
  { "SCMP_CMP_GT", HULL_SECCOMP_OP_GT, SCMP_CMP_GT },
  { "SCMP_CMP_LE", HULL_SECCOMP_OP_LE, SCMP_CMP_LE },
  { "SCMP_CMP_LT", HULL_SECCOMP_OP_LT, SCMP_CMP_LT },
  { "SCMP_CMP_MASKED_EQ", HULL_SECCOMP_OP_MASKED_EQ, SCMP_CMP_MASKED_EQ },
  { "SCMP_CMP_NE", HULL_SECCOMP_OP_NE, SCMP_CMP_NE },
};

/* The runtime-spec's list (libseccomp 2.6); `features` reports those this libseccomp resolves. */
static const char *const arch_names[] = {
  "SCMP_ARCH_AARCH64",  "SCMP_ARCH_ARM",         "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
  "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",
  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",
  "SCMP_ARCH_PPC",      "SCMP_ARCH_PPC64",       "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_RISCV64",
  "SCMP_ARCH_S390",     "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",          "SCMP_ARCH_SHEB",
  "SCMP_ARCH_X32",      "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",
};

static const struct
{
  const char *name;
  unsigned long flag;
} flag_names[] = {
  /* runc's order */
  { "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
  { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

static const char *
action_name (enum hull_seccomp_action a)
{
  for (size_t i = 0; i < ELEMENTSOF (action_names); i++)
    if (action_names[i].action == a)
      return action_names[i].name;
  return "?";
}

/* The kernel knows flag when seccomp(SET_MODE_FILTER, flag, NULL) fails with EFAULT (the program
 * pointer is looked at only after the flags are accepted), not EINVAL.  Nothing is loaded. */
static bool
kernel_has_flag (unsigned long flag)
{
  if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER; /* refused alone */
  long r = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL);
  return r < 0 && errno == EFAULT;
}

static uint32_t
scmp_action (enum hull_seccomp_action a, bool has_errno, uint32_t errno_ret)
{
  switch (a)
    {
    case HULL_SECCOMP_KILL:
    case HULL_SECCOMP_KILL_THREAD:
      return SCMP_ACT_KILL_THREAD;
    case HULL_SECCOMP_KILL_PROCESS:
      return SCMP_ACT_KILL_PROCESS;
    case HULL_SECCOMP_TRAP:
      return SCMP_ACT_TRAP;
    case HULL_SECCOMP_ERRNO:
      return SCMP_ACT_ERRNO (has_errno ? errno_ret : EPERM);
    case HULL_SECCOMP_TRACE:
      return SCMP_ACT_TRACE (has_errno ? errno_ret : EPERM);
    case HULL_SECCOMP_LOG:
      return SCMP_ACT_LOG;
    case HULL_SECCOMP_NOTIFY:
      return SCMP_ACT_NOTIFY;
    case HULL_SECCOMP_ALLOW:
    default:
      return SCMP_ACT_ALLOW;
    }
}

static void
ctx_releasep (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}

/* "SCMP_ARCH_X86_64" → SCMP_ARCH_X86_64; 0 when unknown to this libseccomp. */
static uint32_t
arch_token (const char *name)
{
  char lower[32];
  size_t i;
  if (!str_has_prefix (name, "SCMP_ARCH_"))
    return 0;
  name += strlen ("SCMP_ARCH_");
  for (i = 0; name[i] && i < sizeof lower - 1; i++)
    lower[i] = (char) (name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  lower[i] = '\0';
  if (name[i])
    return 0;
  if (!strcmp (lower, "native"))
    return seccomp_arch_native ();
  return seccomp_arch_resolve_name (lower);
}

static int
add_archs (scmp_filter_ctx ctx, const struct hull_seccomp *s, uint32_t *archs, size_t *n_archs,
           struct hull_error *err)
{
  archs[(*n_archs)++] = seccomp_arch_native ();
  for (size_t i = 0; s->architectures && s->architectures[i]; i++)
    {
      uint32_t t = arch_token (s->architectures[i]);
      if (!t)
        return hull_errx (err, EINVAL, CONFIG ".architectures[%zu]: unknown architecture `%s`", i,
                          s->architectures[i]);
      int r = seccomp_arch_add (ctx, t);
      if (r == -EEXIST)
        continue;
      if (r < 0)
        return hull_err (err, -r, CONFIG ".architectures[%zu]: add `%s`", i, s->architectures[i]);
      if (*n_archs < MAX_ARCHS)
        archs[(*n_archs)++] = t;
    }
  return 0;
}

static int
add_rule (scmp_filter_ctx ctx, const struct hull_seccomp_syscall *sc, size_t i, const char *name, int nr,
          uint32_t action, struct hull_error *err)
{
  struct scmp_arg_cmp conds[64];
  unsigned per_arg[6] = { 0 };
  bool split = false;
  size_t n = sc->n_args < ELEMENTSOF (conds) ? sc->n_args : ELEMENTSOF (conds);
  int r;

  if (sc->n_args > ELEMENTSOF (conds))
    return hull_errx (err, EINVAL, CONFIG ".syscalls[%zu].args: more than %zu conditions", i, ELEMENTSOF (conds));
  for (size_t j = 0; j < n; j++)
    {
      const struct hull_seccomp_arg *a = &sc->args[j];
      enum scmp_compare op = SCMP_CMP_EQ;
      for (size_t k = 0; k < ELEMENTSOF (op_names); k++)
        if (op_names[k].op == a->op)
          op = op_names[k].scmp;
      if (a->index >= 6)
        return hull_errx (err, EINVAL, CONFIG ".syscalls[%zu].args[%zu].index: must be below 6", i, j);
      /* MASKED_EQ: value is the mask, valueTwo the value compared with (arg & mask) */
      conds[j] = (struct scmp_arg_cmp){ .arg = a->index, .op = op, .datum_a = a->value,
                                        .datum_b = op == SCMP_CMP_MASKED_EQ ? a->value_two : 0 };
      if (++per_arg[a->index] > 1)
        split = true;
    }
  if (!split)
    r = seccomp_rule_add_array (ctx, action, nr, (unsigned) n, n ? conds : NULL);
  else
    {
      r = 0;
      for (size_t j = 0; j < n && r >= 0; j++)
        r = seccomp_rule_add_array (ctx, action, nr, 1, &conds[j]);
    }
  if (r < 0)
    return hull_err (err, -r, CONFIG ".syscalls[%zu]: add the %s rule for `%s`", i, action_name (sc->action), name);
  return 0;
}

static int
add_syscalls (scmp_filter_ctx ctx, const struct hull_seccomp *s, uint32_t default_action, struct hull_error *err)
{
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const struct hull_seccomp_syscall *sc = &s->syscalls[i];
      if (sc->has_errno_ret && sc->action != HULL_SECCOMP_ERRNO && sc->action != HULL_SECCOMP_TRACE)
        return hull_errx (err, EINVAL, CONFIG ".syscalls[%zu].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE", i);
      uint32_t action = scmp_action (sc->action, sc->has_errno_ret, sc->errno_ret);
      for (size_t k = 0; sc->names && sc->names[k]; k++)
        {
          const char *name = sc->names[k];
          /* the container init passes the listener fd with sendmsg after loading the filter: a
           * notification there could never be answered */
          if (sc->action == HULL_SECCOMP_NOTIFY && !strcmp (name, "sendmsg"))
            return hull_errx (err, EINVAL,
                              CONFIG ".syscalls[%zu].names[%zu]: SCMP_ACT_NOTIFY cannot be used for `sendmsg` "
                                     "(the runtime needs it to pass the listener fd)",
                              i, k);
          int nr = seccomp_syscall_resolve_name (name);
          if (nr == __NR_SCMP_ERROR)
            {
              hull_debug ("unknown seccomp syscall `%s` ignored", name);
              continue;
            }
          if (action == default_action)
            continue;
          int r = add_rule (ctx, sc, i, name, nr, action, err);
          if (r < 0)
            return r;
        }
    }
  return 0;
}

/* A scratch file for libseccomp's export: a memfd, or where memfd_create is refused (an old kernel, or
 * a seccomp profile of the engine running hull: ENOSYS, EPERM) an unnamed O_TMPFILE file. */
static int
scratch_fd (void)
{
  static const char *const dirs[] = { "/dev/shm", "/tmp", "/run" };
  int fd = memfd_create ("hull-seccomp", MFD_CLOEXEC);
  if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
    return fd < 0 ? -errno : fd;
  int e = errno;
  hull_debug ("memfd_create: %s, using an O_TMPFILE file for the seccomp filter", strerror (e));
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    {
      fd = open (dirs[i], O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0)
        return fd;
    }
  return -e;
}

static int
export_bpf (scmp_filter_ctx ctx, struct sock_filter **ret, size_t *ret_len, struct hull_error *err)
{
  _cleanup_close_ int fd = scratch_fd ();
  struct stat st;
  int r;
  if (fd < 0)
    return hull_err (err, -fd, "memfd_create for the seccomp filter");
  if ((r = seccomp_export_bpf (ctx, fd)) < 0)
    return hull_err (err, -r, CONFIG ": export the compiled filter");
  if (fstat (fd, &st) < 0)
    return hull_err (err, errno, CONFIG ": export the compiled filter");
  if (st.st_size <= 0 || st.st_size % sizeof (struct sock_filter) != 0)
    return hull_errx (err, EIO, CONFIG ": libseccomp exported a filter of %lld bytes", (long long) st.st_size);
  _cleanup_free_ struct sock_filter *insns = xmalloc ((size_t) st.st_size);
  if (lseek (fd, 0, SEEK_SET) < 0 || read_all (fd, insns, (size_t) st.st_size) != (ssize_t) st.st_size)
    return hull_err (err, errno ? errno : EIO, CONFIG ": read back the compiled filter");
  *ret_len = (size_t) st.st_size / sizeof (struct sock_filter);
  *ret = TAKE_PTR (insns);
  return 0;
}

/* --- the compiled-program cache --- */

#define CACHE_DIR "seccomp:cache"
#define CACHE_MAGIC "hull-seccomp-bpf-1\n"

struct keybuf
{
  char *data;
  size_t len, cap;
};

static void
key_put (struct keybuf *k, const void *p, size_t n)
{
  if (k->len + n > k->cap)
    {
      k->cap = (k->len + n) * 2 + 256;
      k->data = xrealloc (k->data, k->cap);
    }
  memcpy (k->data + k->len, p, n);
  k->len += n;
}

static void
key_u64 (struct keybuf *k, uint64_t v)
{
  key_put (k, &v, sizeof v);
}

static void
key_str (struct keybuf *k, const char *str)
{
  size_t n = str ? strlen (str) : 0;
  key_u64 (k, str ? n : UINT64_MAX);
  key_put (k, str ? str : "", n);
}

static void
key_strv (struct keybuf *k, char **v)
{
  size_t n = v ? strv_length (v) : 0;
  key_u64 (k, v ? n : UINT64_MAX);
  for (size_t i = 0; i < n; i++)
    key_str (k, v[i]);
}

/* Everything libseccomp's program depends on: this hull and libseccomp, the native architecture, and
 * every field of the profile that reaches the compiler (not flags or the listener: they are applied
 * apart from the program). */
static void
cache_key (const struct hull_seccomp *s, struct keybuf *k)
{
  const struct scmp_version *v = seccomp_version ();
  key_str (k, CACHE_MAGIC HULL_VERSION " " HULL_COMMIT);
  key_u64 (k, v ? ((uint64_t) v->major << 32 | v->minor << 16 | v->micro) : 0);
  key_u64 (k, seccomp_arch_native ());
  key_u64 (k, (uint64_t) s->default_action);
  key_u64 (k, s->has_default_errno_ret);
  key_u64 (k, s->default_errno_ret);
  key_strv (k, s->architectures);
  key_u64 (k, s->n_syscalls);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const struct hull_seccomp_syscall *sc = &s->syscalls[i];
      key_strv (k, sc->names);
      key_u64 (k, (uint64_t) sc->action);
      key_u64 (k, sc->has_errno_ret);
      key_u64 (k, sc->errno_ret);
      key_u64 (k, sc->n_args);
      for (size_t j = 0; j < sc->n_args; j++)
        {
          key_u64 (k, sc->args[j].index);
          key_u64 (k, sc->args[j].value);
          key_u64 (k, sc->args[j].value_two);
          key_u64 (k, (uint64_t) sc->args[j].op);
        }
    }
}

/* FNV-1a, 64 bits: only a file name; the key itself is compared in full */
static uint64_t
key_hash (const struct keybuf *k)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < k->len; i++)
    h = (h ^ (unsigned char) k->data[i]) * 0x100000001b3ULL;
  return h;
}

/* The cached program for key, or -ENOENT (a miss, whatever the reason). */
static int
cache_load (int root_fd, const struct keybuf *k, const char *name, struct sock_filter **ret, size_t *ret_len)
{
  _cleanup_close_ int dir = openat (root_fd, CACHE_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0)
    return -ENOENT;
  _cleanup_close_ int fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0)
    return -ENOENT;
  if (!S_ISREG (st.st_mode) || st.st_uid != geteuid () || (st.st_mode & 022) || st.st_size > (1 << 20)
      || (size_t) st.st_size < k->len + sizeof (uint64_t))
    {
      hull_debug ("seccomp: cache file %s ignored (not ours, writable by others, or malformed)", name);
      return -ENOENT;
    }
  _cleanup_free_ char *buf = xmalloc ((size_t) st.st_size);
  if (read_all (fd, buf, (size_t) st.st_size) != (ssize_t) st.st_size || memcmp (buf, k->data, k->len) != 0)
    return -ENOENT;
  uint64_t n;
  memcpy (&n, buf + k->len, sizeof n);
  size_t have = (size_t) st.st_size - k->len - sizeof n;
  if (n == 0 || n > BPF_MAXINSNS || have != n * sizeof (struct sock_filter))
    return -ENOENT;
  *ret = xmalloc (have);
  memcpy (*ret, buf + k->len + sizeof n, have);
  *ret_len = (size_t) n;
  return 0;
}

/* Best effort: a cache that cannot be written only costs the next start the compile. */
static void
cache_store (int root_fd, const struct keybuf *k, const char *name, const struct sock_filter *insns, size_t len)
{
  if (mkdirat (root_fd, CACHE_DIR, 0700) < 0 && errno != EEXIST)
    return;
  _cleanup_close_ int dir = openat (root_fd, CACHE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (dir < 0 || fstat (dir, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 022))
    return;
  uint64_t n = len;
  size_t total = k->len + sizeof n + len * sizeof *insns;
  _cleanup_free_ char *buf = xmalloc (total);
  memcpy (buf, k->data, k->len);
  memcpy (buf + k->len, &n, sizeof n);
  memcpy (buf + k->len + sizeof n, insns, len * sizeof *insns);
  if (write_file_atomic_at (dir, name, buf, total, 0600) < 0)
    hull_debug ("seccomp: could not write the cache file %s", name);
}

/* --- the -ENOSYS stub --- */

struct stub_arch
{
  uint32_t audit;        /* AUDIT_ARCH_* seen in seccomp_data.arch */
  uint32_t max, max_x32; /* highest syscall the profile names; UINT32_MAX: none (never ENOSYS) */
  bool x86_64;
};

static void
stub_highest (const struct hull_seccomp *s, uint32_t token, uint32_t *ret)
{
  bool any = false;
  uint32_t max = 0;
  for (size_t i = 0; i < s->n_syscalls; i++)
    for (size_t k = 0; s->syscalls[i].names && s->syscalls[i].names[k]; k++)
      {
        int nr = seccomp_syscall_resolve_name_arch (token, s->syscalls[i].names[k]);
        if (nr < 0) /* unknown, or a pseudo syscall of a multiplexed one */
          continue;
        uint32_t u = (uint32_t) nr;
        if (token == SCMP_ARCH_X32)
          u |= X32_SYSCALL_BIT;
        if (!any || u > max)
          max = u;
        any = true;
      }
  *ret = any ? max : UINT32_MAX;
}

#define STUB_MAX 256
#define JA_MAIN 0xffffffffU /* placeholder k of a jump to the main program, fixed up at the end */

static size_t
stub_section (struct sock_filter *out, uint32_t max)
{
  size_t n = 0;
  out[n++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, max, 0, 1);
  out[n++] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  out[n++] = (struct sock_filter) BPF_STMT (BPF_JMP | BPF_JA, JA_MAIN);
  return n;
}

/* ld arch; per arch: jeq arch (else next arch); ld nr; [jset x32 bit]; jgt max → ENOSYS; ja main. */
static size_t
build_stub (const struct stub_arch *archs, size_t n_archs, struct sock_filter *out)
{
  size_t n = 0;
  out[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch));
  for (size_t i = 0; i < n_archs; i++)
    {
      const struct stub_arch *a = &archs[i];
      size_t body = a->x86_64 ? 1 + 1 + 3 + 3 : 1 + 3;
      out[n++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, a->audit, 0, (uint8_t) body);
      out[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr));
      if (a->x86_64)
        {
          out[n++] = (struct sock_filter) BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 3, 0);
          n += stub_section (out + n, a->max);
          n += stub_section (out + n, a->max_x32);
        }
      else
        n += stub_section (out + n, a->max);
    }
  for (size_t i = 0; i < n; i++)
    if (out[i].code == (BPF_JMP | BPF_JA) && out[i].k == JA_MAIN)
      out[i].k = (uint32_t) (n - i - 1);
  return n;
}

static size_t
make_stub (const struct hull_seccomp *s, const uint32_t *tokens, size_t n_tokens, struct sock_filter *out)
{
  struct stub_arch archs[MAX_ARCHS];
  size_t n_archs = 0;
  for (size_t i = 0; i < n_tokens; i++)
    {
      uint32_t t = tokens[i];
      uint32_t audit = t == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : t;
      struct stub_arch *a = NULL;
      for (size_t j = 0; j < n_archs; j++)
        if (archs[j].audit == audit)
          a = &archs[j];
      if (!a)
        {
          a = &archs[n_archs++];
          *a = (struct stub_arch){ .audit = audit, .max = UINT32_MAX, .max_x32 = UINT32_MAX,
                                   .x86_64 = audit == AUDIT_ARCH_X86_64 };
        }
      stub_highest (s, t, t == SCMP_ARCH_X32 ? &a->max_x32 : &a->max);
    }
  return build_stub (archs, n_archs, out);
}

static bool
stub_wanted (const struct hull_seccomp *s)
{
  if (s->default_action == HULL_SECCOMP_ALLOW || s->default_action == HULL_SECCOMP_LOG
      || s->default_action == HULL_SECCOMP_TRACE)
    return false;
  return !(s->default_action == HULL_SECCOMP_ERRNO && s->has_default_errno_ret && s->default_errno_ret == ENOSYS);
}

static int
parse_flags (const struct hull_seccomp *s, unsigned long *ret, struct hull_error *err)
{
  *ret = 0;
  if (!s->flags)
    {
      /* runc and crun: no flags at all (not even an empty list) means SPEC_ALLOW when available */
      if (kernel_has_flag (SECCOMP_FILTER_FLAG_SPEC_ALLOW))
        *ret = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
      return 0;
    }
  for (size_t i = 0; s->flags[i]; i++)
    {
      size_t k = 0;
      while (k < ELEMENTSOF (flag_names) && strcmp (flag_names[k].name, s->flags[i]))
        k++;
      if (k == ELEMENTSOF (flag_names))
        return hull_errx (err, EINVAL, CONFIG ".flags[%zu]: unknown flag `%s`", i, s->flags[i]);
      if (!kernel_has_flag (flag_names[k].flag))
        return hull_errx (err, EINVAL, CONFIG ".flags[%zu]: `%s` is not supported by the kernel", i, s->flags[i]);
      *ret |= flag_names[k].flag;
    }
  return 0;
}

int
seccomp_prepare (const struct hull_seccomp *s, int cache_root_fd, struct seccomp_prog **ret, struct hull_error *err)
{
  _cleanup_ (ctx_releasep) scmp_filter_ctx ctx = NULL;
  uint32_t tokens[MAX_ARCHS];
  size_t n_tokens = 0;
  unsigned long flags;
  int r;

  *ret = NULL;
  if (!s)
    return 0;
  if (s->default_action == HULL_SECCOMP_NOTIFY)
    return hull_errx (err, EINVAL, CONFIG ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  if (s->has_default_errno_ret && s->default_action != HULL_SECCOMP_ERRNO && s->default_action != HULL_SECCOMP_TRACE)
    return hull_errx (err, EINVAL, CONFIG ".defaultErrnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
  if ((r = parse_flags (s, &flags, err)) < 0)
    return r;

  uint32_t default_action = scmp_action (s->default_action, s->has_default_errno_ret, s->default_errno_ret);
  ctx = seccomp_init (default_action);
  if (!ctx)
    return hull_errx (err, EINVAL, CONFIG ".defaultAction: libseccomp refused %s", action_name (s->default_action));
  /* the architectures also give the stub its tokens: always resolved, cached or not */
  if ((r = add_archs (ctx, s, tokens, &n_tokens, err)) < 0)
    return r;

  _cleanup_free_ struct sock_filter *main_prog = NULL;
  size_t main_len = 0;
  struct keybuf key = { 0 };
  char name[32] = "";
  if (cache_root_fd >= 0)
    {
      cache_key (s, &key);
      snprintf (name, sizeof name, "%016llx", (unsigned long long) key_hash (&key));
      if (cache_load (cache_root_fd, &key, name, &main_prog, &main_len) == 0)
        hull_debug ("seccomp: compiled program from the cache (%s)", name);
    }
  bool compiled = false;
  if (!main_prog)
    {
      if ((r = add_syscalls (ctx, s, default_action, err)) < 0 || (r = export_bpf (ctx, &main_prog, &main_len, err)) < 0)
        {
          free (key.data);
          return r;
        }
      compiled = true;
    }
  struct sock_filter stub[STUB_MAX];
  size_t stub_len = stub_wanted (s) ? make_stub (s, tokens, n_tokens, stub) : 0;
  if (stub_len + main_len > BPF_MAXINSNS)
    {
      free (key.data);
      return hull_errx (err, E2BIG, CONFIG ": the compiled filter has %zu instructions, the kernel takes at most %d",
                        stub_len + main_len, BPF_MAXINSNS);
    }

  struct seccomp_prog *p = xzalloc (sizeof *p);
  p->len = stub_len + main_len;
  p->insns = xmalloc (p->len * sizeof *p->insns);
  memcpy (p->insns, stub, stub_len * sizeof *stub);
  memcpy (p->insns + stub_len, main_prog, main_len * sizeof *main_prog);
  p->stub_len = stub_len;
  if (compiled && cache_root_fd >= 0)
    {
      p->cache_key = TAKE_PTR (key.data);
      p->cache_key_len = key.len;
      memcpy (p->cache_name, name, sizeof name);
    }
  free (key.data);
  for (size_t i = 0; i < s->n_syscalls; i++)
    if (s->syscalls[i].action == HULL_SECCOMP_NOTIFY)
      p->notify = true;
  /* the container process is single-threaded when it loads the filter, so TSYNC changes nothing,
   * and with a listener the kernel would want TSYNC_ESRCH too: leave it out there */
  if (p->notify)
    flags &= ~(unsigned long) SECCOMP_FILTER_FLAG_TSYNC;
  /* WAIT_KILLABLE_RECV is a property of the listener: the kernel refuses it without one */
  if (!p->notify)
    flags &= ~(unsigned long) SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  p->flags = flags;
  hull_debug ("seccomp: %zu instructions (%zu in the -ENOSYS stub), flags %#lx%s", p->len, stub_len, p->flags,
              p->notify ? ", with a notify listener" : "");
  *ret = p;
  return 0;
}

bool
seccomp_prog_has_notify (const struct seccomp_prog *p)
{
  return p && p->notify;
}

void
seccomp_cache_store (struct seccomp_prog *p, int cache_root_fd)
{
  if (!p || !p->cache_key || cache_root_fd < 0)
    return;
  struct keybuf k = { .data = p->cache_key, .len = p->cache_key_len };
  cache_store (cache_root_fd, &k, p->cache_name, p->insns + p->stub_len, p->len - p->stub_len);
  free (p->cache_key);
  p->cache_key = NULL;
}

int
seccomp_install (const struct seccomp_prog *p, int *ret_listener_fd, struct hull_error *err)
{
  *ret_listener_fd = -1;
  if (!p)
    return 0;
  struct sock_fprog fprog = { .len = (unsigned short) p->len, .filter = p->insns };
  unsigned long flags = p->flags | (p->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
  long r = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
  if (r < 0)
    return hull_err (err, errno, "load the seccomp filter");
  if (p->notify)
    *ret_listener_fd = (int) r;
  return 0;
}

/* runc's ContainerProcessState: {"ociVersion", "fds": ["seccompFd"], "pid", "metadata"?, "state"} */
static char *
process_state_json (const char *state_json, const char *metadata, pid_t pid)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new (false);
  _cleanup_free_ char *head = NULL;
  static char *const fds[] = { (char *) "seccompFd", NULL };

  json_gen_map_open (g);
  json_gen_kv_string (g, "ociVersion", HULL_OCI_VERSION);
  json_gen_kv_strv (g, "fds", fds);
  json_gen_kv_int (g, "pid", pid);
  if (metadata && metadata[0])
    json_gen_kv_string (g, "metadata", metadata);
  json_gen_map_close (g);
  if (json_gen_finish (g, &head) < 0)
    return NULL;
  /* splice the state document in as the last member: `{…}` → `{…,"state":<state>}` */
  size_t len = strlen (head);
  if (len < 2 || head[len - 1] != '}')
    return NULL;
  head[len - 1] = '\0';
  return xasprintf ("%s,\"state\":%s}", head, state_json && state_json[0] ? state_json : "{}");
}

int
seccomp_send_listener (const char *path, int listener_fd, const char *state_json, const char *metadata, pid_t pid,
                       struct hull_error *err)
{
  _cleanup_free_ char *msg = process_state_json (state_json, metadata, pid);
  _cleanup_close_ int sock = -1;
  char cbuf[CMSG_SPACE (sizeof (int))] = { 0 };
  size_t len, off;
  ssize_t n;

  if (!path || !path[0])
    return hull_errx (err, EINVAL, CONFIG ".listenerPath: SCMP_ACT_NOTIFY needs a listener path");
  if (!msg)
    return hull_errx (err, EINVAL, "build the seccomp container process state");
  sock = unix_connect (path);
  if (sock < 0)
    return hull_err (err, -sock, "connect to the seccomp agent at linux.seccomp.listenerPath `%s`", path);

  /* the fd goes with the first bytes; the rest follows in plain sends */
  len = strlen (msg);
  struct iovec iov = { .iov_base = msg, .iov_len = len };
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct cmsghdr *c = CMSG_FIRSTHDR (&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &listener_fd, sizeof (int));
  do
    n = sendmsg (sock, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return hull_err (err, errno, "send the seccomp listener to `%s`", path);
  for (off = (size_t) n; off < len; off += (size_t) n)
    {
      do
        n = send (sock, msg + off, len - off, MSG_NOSIGNAL);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        return hull_err (err, errno, "send the seccomp container process state to `%s`", path);
    }
  return 0;
}

void
seccomp_prog_free (struct seccomp_prog *p)
{
  if (!p)
    return;
  free (p->insns);
  free (p->cache_key);
  free (p);
}

/* --- features --- */

char **
seccomp_features_list (enum seccomp_feature_list which)
{
  char **v = NULL;
  switch (which)
    {
    case SECCOMP_FEATURE_ACTIONS:
      for (size_t i = 0; i < ELEMENTSOF (action_names); i++)
        strv_append (&v, action_names[i].name);
      break;
    case SECCOMP_FEATURE_OPERATORS:
      for (size_t i = 0; i < ELEMENTSOF (op_names); i++)
        strv_append (&v, op_names[i].name);
      break;
    case SECCOMP_FEATURE_ARCHS:
      for (size_t i = 0; i < ELEMENTSOF (arch_names); i++)
        if (arch_token (arch_names[i]))
          strv_append (&v, arch_names[i]);
      break;
    case SECCOMP_FEATURE_KNOWN_FLAGS:
      for (size_t i = 0; i < ELEMENTSOF (flag_names); i++)
        strv_append (&v, flag_names[i].name);
      break;
    case SECCOMP_FEATURE_SUPPORTED_FLAGS:
      for (size_t i = 0; i < ELEMENTSOF (flag_names); i++)
        if (kernel_has_flag (flag_names[i].flag))
          strv_append (&v, flag_names[i].name);
      break;
    }
  if (!v)
    v = xzalloc (sizeof *v);
  return v;
}
