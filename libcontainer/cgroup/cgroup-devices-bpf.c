/* SPDX-License-Identifier: Apache-2.0 */
/* cgroup v2 device access control: a BPF_PROG_TYPE_CGROUP_DEVICE program built from
 * linux.resources.devices and attached to the container's cgroup directory.
 *
 * Semantics (the same as the v1 devices controller fed with "deny all" then each rule in order):
 * the LAST rule matching a request decides; no match means deny.  The program therefore tests the
 * rules from last to first and returns at the first match:
 *
 *     r2 = ctx->access_type & 0xffff      device type (BPF_DEVCG_DEV_BLOCK / _CHAR)
 *     r3 = ctx->access_type >> 16         requested access (BPF_DEVCG_ACC_MKNOD/_READ/_WRITE bits)
 *     r4 = ctx->major; r5 = ctx->minor
 *     for each rule, last first:
 *         if (type given  && r2 != type)         goto next
 *         if (access != rwm && (r3 & ~access))   goto next   (the request must be within the rule)
 *         if (major given && r4 != major)        goto next
 *         if (minor given && r5 != minor)        goto next
 *         return allow
 *       next:
 *     return 0
 *
 * On update the new program is attached (BPF_F_ALLOW_MULTI) before the old ones are detached, so
 * there is no window without a filter. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "../cleanup.h"
#include "../log.h"
#include "../util.h"
#include "cgroup-internal.h"
#include "cgroup-devices-bpf.h"

#define INSN(c, d, s, o, i)                                                                                  \
  ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (int16_t) (o), .imm = (int32_t) (i) })
#define LDX_W(dst, src, off) INSN (BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ALU32_IMM(op, dst, imm) INSN (BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_REG(dst, src) INSN (BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_IMM(dst, imm) INSN (BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off) INSN (BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define EXIT_INSN() INSN (BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static uint32_t
access_bits (const char *a)
{
  uint32_t bits = 0;
  if (!a || !*a)
    a = "rwm";
  for (; *a; a++)
    bits |= *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE : *a == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
  return bits;
}

int
cg_devices_bpf_build (const struct hull_device_cgroup *rules, size_t n, struct bpf_insn **ret, size_t *ret_n,
                      struct hull_error *err)
{
  const uint32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
  size_t cap = 8 + n * 12, len = 0;
  bool terminated = false;
  _cleanup_free_ struct bpf_insn *p = xmalloc (cap * sizeof *p);
  p[len++] = LDX_W (BPF_REG_2, BPF_REG_1, 0);
  p[len++] = ALU32_IMM (BPF_AND, BPF_REG_2, 0xffff);
  p[len++] = LDX_W (BPF_REG_3, BPF_REG_1, 0);
  p[len++] = ALU32_IMM (BPF_RSH, BPF_REG_3, 16);
  p[len++] = LDX_W (BPF_REG_4, BPF_REG_1, 4);
  p[len++] = LDX_W (BPF_REG_5, BPF_REG_1, 8);
  for (size_t k = n; k-- > 0;)
    {
      const struct hull_device_cgroup *d = &rules[k];
      char type = d->type ? d->type : 'a';
      uint32_t acc = access_bits (d->access);
      size_t start = len, jumps[4];
      size_t nj = 0;
      if (type != 'a' && type != 'c' && type != 'b')
        return hull_errx (err, EINVAL, "linux.resources.devices[%zu]: invalid type `%c`", k, type);
      if (d->major > UINT32_MAX || d->minor > UINT32_MAX)
        return hull_errx (err, EINVAL, "linux.resources.devices[%zu]: device number out of range", k);
      if (type != 'a')
        {
          jumps[nj++] = len;
          p[len++] = JNE_IMM (BPF_REG_2, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0);
        }
      if ((acc & all) != all)
        {
          p[len++] = MOV32_REG (BPF_REG_1, BPF_REG_3);
          p[len++] = ALU32_IMM (BPF_AND, BPF_REG_1, ~acc);
          jumps[nj++] = len;
          p[len++] = JNE_IMM (BPF_REG_1, 0, 0);
        }
      if (d->major >= 0)
        {
          jumps[nj++] = len;
          p[len++] = JNE_IMM (BPF_REG_4, d->major, 0);
        }
      if (d->minor >= 0)
        {
          jumps[nj++] = len;
          p[len++] = JNE_IMM (BPF_REG_5, d->minor, 0);
        }
      p[len++] = MOV64_IMM (BPF_REG_0, d->allow ? 1 : 0);
      p[len++] = EXIT_INSN ();
      for (size_t j = 0; j < nj; j++)
        p[jumps[j]].off = (int16_t) (len - jumps[j] - 1);
      (void) start;
      if (nj == 0)
        {
          /* an unconditional rule hides every earlier one (and the verifier refuses dead code) */
          terminated = true;
          break;
        }
    }
  if (!terminated)
    {
      p[len++] = MOV64_IMM (BPF_REG_0, 0);
      p[len++] = EXIT_INSN ();
    }
  *ret_n = len;
  *ret = TAKE_PTR (p);
  return 0;
}

static int
sys_bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (__NR_bpf, cmd, attr, sizeof *attr);
}

int
cg_devices_bpf_load (const struct bpf_insn *insns, size_t n, struct hull_error *err)
{
  static char log[8192];
  union bpf_attr attr;
  int fd;
  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t) (uintptr_t) insns;
  attr.insn_cnt = (uint32_t) n;
  attr.license = (uint64_t) (uintptr_t) "Apache";
  attr.log_buf = (uint64_t) (uintptr_t) log;
  attr.log_size = sizeof log;
  attr.log_level = 1;
  log[0] = '\0';
  fd = sys_bpf (BPF_PROG_LOAD, &attr);
  if (fd < 0 && errno == ENOSPC)
    {
      /* the verifier log did not fit: retry without it */
      attr.log_buf = 0;
      attr.log_size = 0;
      attr.log_level = 0;
      fd = sys_bpf (BPF_PROG_LOAD, &attr);
    }
  if (fd < 0)
    return hull_err (err, errno, "load the cgroup device filter (BPF_PROG_LOAD)%s%.300s", *log ? ": " : "", log);
  return fd;
}

int
cg2_devices_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  _cleanup_free_ struct bpf_insn *insns = NULL;
  _cleanup_close_ int prog = -1;
  uint32_t ids[64], count = ELEMENTSOF (ids);
  union bpf_attr attr;
  size_t n = 0;
  int rc;
  if (r->n_devices == 0)
    return 0;
  rc = cg_devices_bpf_build (r->devices, r->n_devices, &insns, &n, err);
  if (rc < 0)
    return rc;
  prog = cg_devices_bpf_load (insns, n, err);
  if (prog < 0)
    return prog;

  /* Programs attached to this cgroup before us (an earlier create or update). */
  memset (&attr, 0, sizeof attr);
  attr.query.target_fd = (uint32_t) dirfd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t) (uintptr_t) ids;
  attr.query.prog_cnt = count;
  if (sys_bpf (BPF_PROG_QUERY, &attr) < 0)
    count = 0;
  else
    count = attr.query.prog_cnt < ELEMENTSOF (ids) ? attr.query.prog_cnt : ELEMENTSOF (ids);

  memset (&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t) dirfd;
  attr.attach_bpf_fd = (uint32_t) prog;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf (BPF_PROG_ATTACH, &attr) < 0)
    return hull_err (err, errno, "attach the cgroup device filter (BPF_PROG_ATTACH)");

  for (uint32_t i = 0; i < count; i++)
    {
      _cleanup_close_ int old = -1;
      memset (&attr, 0, sizeof attr);
      attr.prog_id = ids[i];
      old = sys_bpf (BPF_PROG_GET_FD_BY_ID, &attr);
      if (old < 0)
        {
          hull_warn ("cannot get the old device filter %u: %s, ignoring", ids[i], strerror (errno));
          continue;
        }
      memset (&attr, 0, sizeof attr);
      attr.target_fd = (uint32_t) dirfd;
      attr.attach_bpf_fd = (uint32_t) old;
      attr.attach_type = BPF_CGROUP_DEVICE;
      if (sys_bpf (BPF_PROG_DETACH, &attr) < 0)
        return hull_err (err, errno, "detach the old cgroup device filter %u (BPF_PROG_DETACH)", ids[i]);
    }
  return 0;
}
