/* SPDX-License-Identifier: Apache-2.0 */
/* Pure value conversions between the OCI (cgroup v1 flavoured) resources and cgroup v2 files.
 *
 * cpu.shares → cpu.weight: the quadratic-in-log mapping that runc uses since 1.3.2/1.4 and crun since
 * 1.23 (kubernetes#131216): with l = log2(shares), weight = ceil(10^((l² + 125·l) / 612 − 7/34)).  It maps
 * 2 → 1, 1024 (the v1 default) → 100 (the v2 default) and 262144 → 10000.  The older linear mapping
 * (1024 → 39) is kept for reference and tests.  No libm: small series for ln/exp are enough here. */
#include <errno.h>
#include <stdio.h>
#include "cgroup-internal.h"

static double
my_ln (double x)
{
  /* x = m·2^k, m in [1, 2); ln m = 2·atanh((m−1)/(m+1)) */
  int k = 0;
  double t, t2, sum = 0, term;
  while (x >= 2)
    {
      x /= 2;
      k++;
    }
  while (x < 1)
    {
      x *= 2;
      k--;
    }
  t = (x - 1) / (x + 1);
  t2 = t * t;
  term = t;
  for (int n = 1; n < 60; n += 2)
    {
      sum += term / n;
      term *= t2;
    }
  return 2 * sum + k * 0.69314718055994530942;
}

static double
my_exp (double x)
{
  /* e^x = 2^k · e^r with |r| ≤ ln2/2 */
  const double ln2 = 0.69314718055994530942;
  long k = (long) (x / ln2 + (x >= 0 ? 0.5 : -0.5));
  double r = x - (double) k * ln2, sum = 1, term = 1;
  for (int n = 1; n < 30; n++)
    {
      term *= r / n;
      sum += term;
    }
  for (; k > 0; k--)
    sum *= 2;
  for (; k < 0; k++)
    sum /= 2;
  return sum;
}

uint64_t
cg_shares_to_weight (uint64_t shares)
{
  double l, num, e, w;
  long ie;
  uint64_t res;
  if (shares == 0)
    return 0;
  if (shares <= 2)
    return 1;
  if (shares >= 262144)
    return 10000;
  l = my_ln ((double) shares) / 0.69314718055994530942;
  num = l * l + 125 * l - 126; /* exponent = num / 612 */
  e = num / 612;
  ie = (long) (e + 0.5);
  if (e - (double) ie < 1e-9 && (double) ie - e < 1e-9)
    {
      /* an exact power of ten (shares a power of two on the grid): avoid ceil() of 100.0000001 */
      res = 1;
      for (long i = 0; i < ie; i++)
        res *= 10;
      return res;
    }
  w = my_exp (e * 2.30258509299404568402);
  res = (uint64_t) w;
  if ((double) res < w)
    res++;
  if (res < 1)
    res = 1;
  if (res > 10000)
    res = 10000;
  return res;
}

uint64_t
cg_shares_to_weight_linear (uint64_t shares)
{
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
cg_blkio_weight_to_io (uint64_t weight)
{
  if (weight == 0)
    return 0;
  if (weight < 10)
    weight = 10;
  return 1 + (weight - 10) * 9999 / 990;
}

int
cg_swap_to_v2 (int64_t swap, int64_t limit, int64_t *ret, bool *ret_set, struct hull_error *err)
{
  bool swap_set = swap != HULL_UNSET_I64 && swap != 0;
  bool limit_set = limit != HULL_UNSET_I64 && limit != 0;
  *ret = 0;
  *ret_set = false;
  /* Unlimited memory with no swap given means unlimited swap too (v1 compatibility). */
  if (limit == -1 && !swap_set)
    {
      *ret = -1;
      *ret_set = true;
      return 0;
    }
  if (!swap_set)
    return 0;
  *ret_set = true;
  if (swap == -1)
    {
      *ret = -1;
      return 0;
    }
  if (!limit_set || limit == -1)
    return hull_errx (err, EINVAL, "unable to set swap limit without memory limit");
  if (limit < 0)
    return hull_errx (err, EINVAL, "invalid memory limit %lld", (long long) limit);
  if (swap < limit)
    return hull_errx (err, EINVAL, "memory+swap limit (%lld) should be >= memory limit (%lld)", (long long) swap,
                      (long long) limit);
  *ret = swap - limit;
  return 0;
}

void
cg_limit_str (int64_t v, char *buf, size_t size)
{
  if (v < 0)
    snprintf (buf, size, "max");
  else
    snprintf (buf, size, "%lld", (long long) v);
}
