/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probe registration for the accounting units: tracepoints found by name
 * (for_each_kernel_tracepoint(), as LTTng-modules does), kprobes and
 * kretprobes, registered in array order, unwound in reverse on a failure
 * and at exit, with tracepoint_synchronize_unregister() before anything a
 * probe may touch can go.
 */
#ifndef _VZBC_BC_PROBE_H
#define _VZBC_BC_PROBE_H

#include <linux/kprobes.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

enum vzbc_probe_kind {
	VZBC_PROBE_TRACEPOINT,
	VZBC_PROBE_KPROBE,
	VZBC_PROBE_KRETPROBE,
};

/**
 * struct vzbc_probe - one probe of an accounting unit
 * @kind: what it is
 * @tp_name: the tracepoint's name (VZBC_PROBE_TRACEPOINT)
 * @tp_func: its probe function
 * @kp: the kprobe (VZBC_PROBE_KPROBE)
 * @krp: the kretprobe (VZBC_PROBE_KRETPROBE)
 * @tp: the tracepoint found, vzbc_probes_register()'s
 * @registered: vzbc_probes_register()'s
 */
struct vzbc_probe {
	enum vzbc_probe_kind kind;
	const char *tp_name;
	void *tp_func;
	struct kprobe *kp;
	struct kretprobe *krp;
	struct tracepoint *tp;
	bool registered;
};

#define VZBC_PROBE_TP(name, func) \
	{ .kind = VZBC_PROBE_TRACEPOINT, .tp_name = (name), .tp_func = (func) }
#define VZBC_PROBE_KP(p)	{ .kind = VZBC_PROBE_KPROBE, .kp = (p) }
#define VZBC_PROBE_KRP(p)	{ .kind = VZBC_PROBE_KRETPROBE, .krp = (p) }

/* All or nothing: 0, or -errno with none of @probes left registered. */
int vzbc_probes_register(struct vzbc_probe *probes, unsigned int n);
/* Unregisters what is registered, in reverse order, and synchronizes. */
void vzbc_probes_unregister(struct vzbc_probe *probes, unsigned int n);

#endif /* _VZBC_BC_PROBE_H */
