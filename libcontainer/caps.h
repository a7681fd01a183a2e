/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include "error.h"
#include "spec/spec.h"

/* Drop the bounding set to caps->bounding (call while still privileged). */
int caps_apply_bounding (const struct hull_capabilities *caps, struct hull_error *err);
/* Set effective, permitted, inheritable and ambient (call after the uid change, with keepcaps). */
int caps_apply (const struct hull_capabilities *caps, struct hull_error *err);
