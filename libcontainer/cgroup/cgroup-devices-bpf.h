/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroup v2 device filter program, exposed for the unit tests. */
#pragma once
#include <linux/bpf.h>
#include "cgroup-internal.h"

/* Translate the rules into a BPF_PROG_TYPE_CGROUP_DEVICE program (caller frees *ret). */
int cg_devices_bpf_build (const struct hull_device_cgroup *rules, size_t n, struct bpf_insn **ret, size_t *ret_n,
                          struct hull_error *err);
/* BPF_PROG_LOAD; returns the program fd. */
int cg_devices_bpf_load (const struct bpf_insn *insns, size_t n, struct hull_error *err);
