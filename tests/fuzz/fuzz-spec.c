/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: config.json bytes → spec_parse_buffer → spec_validate, plus the exec-process and
 * update-resources entry points on the same bytes.  Build and run with tests/fuzz/build.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "spec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct hull_error err = {0};
  struct hull_spec *spec = NULL;
  struct hull_process *p = NULL;
  struct hull_resources *r = NULL;
  char *buf;

  if (size > (1u << 20))
    return 0;
  buf = malloc (size + 1);
  if (!buf)
    return 0;
  memcpy (buf, data, size);
  buf[size] = '\0';

  if (spec_parse_buffer (buf, "config.json", &spec, &err) == 0)
    {
      struct hull_validate_opts opts = {.rootless = size & 1};
      (void)spec_validate (spec, &opts, &err);
      if (spec->process)
        (void)spec_validate_process (spec->process, "config.json: process.", &err);
      spec_free (spec);
    }
  if (spec_parse_process_buffer (buf, "process.json", &p, &err) == 0)
    spec_process_free (p);
  if (spec_parse_resources_buffer (buf, "resources", &r, &err) == 0)
    spec_resources_free (r);
  free (buf);
  return 0;
}
