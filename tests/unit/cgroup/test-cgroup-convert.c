/* SPDX-License-Identifier: Apache-2.0 */
/* Pure conversions: shares → weight (quadratic and linear), blkio weight → io.weight, swap. */
#include "cg-tap.h"

int
main (void)
{
  struct hull_error err = { 0 };
  int64_t v;
  bool set;

  /* quadratic mapping (runc >= 1.3.2, crun >= 1.23) */
  EQ_U64 (cg_shares_to_weight (0), 0);
  EQ_U64 (cg_shares_to_weight (2), 1);
  EQ_U64 (cg_shares_to_weight (1024), 100);
  EQ_U64 (cg_shares_to_weight (262144), 10000);
  EQ_U64 (cg_shares_to_weight (512), 59);   /* ceil(10^(1080/612)) = ceil(58.2) */
  EQ_U64 (cg_shares_to_weight (2048), 174);  /* ceil(10^(1370/612)) */
  EQ_U64 (cg_shares_to_weight (2000), 170);  /* runc 1.4.0-rc.1 writes 170 (runc#4896) */
  EQ_U64 (cg_shares_to_weight (1), 1);
  EQ_U64 (cg_shares_to_weight (1000000), 10000);
  /* linear mapping (runc < 1.3.2) */
  EQ_U64 (cg_shares_to_weight_linear (2), 1);
  EQ_U64 (cg_shares_to_weight_linear (1024), 39);
  EQ_U64 (cg_shares_to_weight_linear (262144), 10000);
  /* blkio weight 10..1000 → io.weight 1..10000 */
  EQ_U64 (cg_blkio_weight_to_io (0), 0);
  EQ_U64 (cg_blkio_weight_to_io (10), 1);
  EQ_U64 (cg_blkio_weight_to_io (500), 4950);
  EQ_U64 (cg_blkio_weight_to_io (1000), 10000);
  /* OCI memory+swap → memory.swap.max */
  tap_ok (cg_swap_to_v2 (HULL_UNSET_I64, HULL_UNSET_I64, &v, &set, &err) == 0 && !set, "swap unset: untouched");
  tap_ok (cg_swap_to_v2 (HULL_UNSET_I64, -1, &v, &set, &err) == 0 && set && v == -1, "memory -1, swap unset: max");
  tap_ok (cg_swap_to_v2 (-1, 1 << 20, &v, &set, &err) == 0 && set && v == -1, "swap -1: max");
  tap_ok (cg_swap_to_v2 (3 << 20, 1 << 20, &v, &set, &err) == 0 && set && v == 2 << 20, "swap 3M limit 1M: 2M");
  tap_ok (cg_swap_to_v2 (1 << 20, 1 << 20, &v, &set, &err) == 0 && set && v == 0, "swap == limit: 0");
  tap_ok (cg_swap_to_v2 (1 << 20, 2 << 20, &v, &set, &err) == -EINVAL, "swap < limit: refused");
  tap_ok (cg_swap_to_v2 (1 << 20, HULL_UNSET_I64, &v, &set, &err) == -EINVAL, "swap without limit: refused");
  char buf[32];
  cg_limit_str (-1, buf, sizeof buf);
  EQ_STR (buf, "max");
  cg_limit_str (0, buf, sizeof buf);
  EQ_STR (buf, "0");
  return tap_done ();
}
