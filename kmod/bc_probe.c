// SPDX-License-Identifier: GPL-2.0
/*
 * The probe-registration helper of bc_probe.h.  Called from module init
 * and exit only, one unit at a time: no locking of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>

#include "bc_probe.h"

struct vzbc_tp_lookup {
	struct vzbc_probe *probes;
	unsigned int n;
};

static void vzbc_tp_lookup(struct tracepoint *tp, void *priv)
{
	struct vzbc_tp_lookup *l = priv;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->probes[i].kind == VZBC_PROBE_TRACEPOINT &&
		    !strcmp(tp->name, l->probes[i].tp_name))
			l->probes[i].tp = tp;
}

static const char *vzbc_probe_name(const struct vzbc_probe *p)
{
	switch (p->kind) {
	case VZBC_PROBE_TRACEPOINT:
		return p->tp_name;
	case VZBC_PROBE_KPROBE:
		return p->kp->symbol_name;
	case VZBC_PROBE_KRETPROBE:
		return p->krp->kp.symbol_name;
	}
	return "?";
}

static int vzbc_probe_register(struct vzbc_probe *p)
{
	switch (p->kind) {
	case VZBC_PROBE_TRACEPOINT:
		if (!p->tp) {
			pr_err("tracepoint %s not found\n", p->tp_name);
			return -ENOENT;
		}
		return tracepoint_probe_register(p->tp, p->tp_func, NULL);
	case VZBC_PROBE_KPROBE:
		return register_kprobe(p->kp);
	case VZBC_PROBE_KRETPROBE:
		return register_kretprobe(p->krp);
	}
	return -EINVAL;
}

static void vzbc_probe_unregister(struct vzbc_probe *p)
{
	switch (p->kind) {
	case VZBC_PROBE_TRACEPOINT:
		tracepoint_probe_unregister(p->tp, p->tp_func, NULL);
		break;
	case VZBC_PROBE_KPROBE:
		unregister_kprobe(p->kp);
		break;
	case VZBC_PROBE_KRETPROBE:
		unregister_kretprobe(p->krp);
		break;
	}
	p->registered = false;
}

void vzbc_probes_unregister(struct vzbc_probe *probes, unsigned int n)
{
	bool tracepoints = false;

	while (n--) {
		if (!probes[n].registered)
			continue;
		tracepoints |= probes[n].kind == VZBC_PROBE_TRACEPOINT;
		vzbc_probe_unregister(&probes[n]);
	}
	/* A tracepoint probe may still run on another CPU until this. */
	if (tracepoints)
		tracepoint_synchronize_unregister();
}

int vzbc_probes_register(struct vzbc_probe *probes, unsigned int n)
{
	struct vzbc_tp_lookup l = { .probes = probes, .n = n };
	unsigned int i;
	int err;

	for_each_kernel_tracepoint(vzbc_tp_lookup, &l);
	for (i = 0; i < n; i++) {
		err = vzbc_probe_register(&probes[i]);
		if (err) {
			pr_err("%s: register failed: %d\n",
			       vzbc_probe_name(&probes[i]), err);
			vzbc_probes_unregister(probes, i);
			return err;
		}
		probes[i].registered = true;
	}
	return 0;
}
