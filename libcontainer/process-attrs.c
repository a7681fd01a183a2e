/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder: the attributes are not applied yet. */
#include "process-attrs.h"

int
process_attrs_early (const struct hull_process *p, const struct hull_linux *lx, bool is_exec,
                     struct hull_error *err)
{
  return 0;
}

int
process_attrs_final (const struct hull_process *p, struct hull_error *err)
{
  return 0;
}
