/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include "error.h"

/* Bring `lo` up in the current network namespace (rtnetlink via libmnl). */
int netdev_loopback_up (struct hull_error *err);
