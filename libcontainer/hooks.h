/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks: each runs with the container state JSON on stdin, its args and env, and a timeout. */
#pragma once
#include "error.h"
#include "spec/spec.h"
#include "state.h"

/* Run the hooks of `kind` from the spec, in order; the first failure stops and is returned. */
int hooks_run (const struct hull_spec *spec, enum hull_hook_kind kind, const struct hull_state *st,
               enum hull_status status, struct hull_error *err);
/* Run the hooks of `kind` with an already-made state JSON (used inside the container init). */
int hooks_run_json (const struct hull_spec *spec, enum hull_hook_kind kind, const char *json, struct hull_error *err);
/* Whether the init must stop before pivot_root for hooks. */
bool hooks_need_init_stop (const struct hull_spec *spec);

/* The same for a container known only by its state (start, delete): reloads the hooks from the
 * config the container was created with, when it has any. */
int hooks_run_state (const struct hull_state *st, enum hull_hook_kind kind, struct hull_error *err);
