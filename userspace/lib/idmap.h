/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host uid/gid ranges of containers: container ids 0..CT_ID_COUNT-1 map
 * to USERNS_BASE.., one slot of CT_ID_COUNT per container.
 */
#ifndef CTLVZ_IDMAP_H
#define CTLVZ_IDMAP_H

#include <sys/types.h>

#include "ct.h"
#include "err.h"

/* Ids per container: container uid/gid 0..65535 map to base..base+65535. */
#define CT_ID_COUNT	65536U
/* Host id ranges: slot N (1..65534) maps container ids 0..65535 to N*65536.. */
#define IDMAP_SLOT_MAX	65534U

/* A free slot's base: the CTID's own slot if free, else the highest free one. */
int idmap_alloc(const struct ct *ct, uid_t *base, struct ct_err **err);
/* USERNS_BASE of the container's config, checked. */
int idmap_base(const struct ct *ct, uid_t *base, struct ct_err **err);
/* Chown a freshly unpacked tree into the range at @base. */
int idmap_shift_tree(const char *dir, uid_t base, struct ct_err **err);
/* uid_map and gid_map of process @pid: 0 CT_ID_COUNT at @base. */
int idmap_write(pid_t pid, uid_t base, struct ct_err **err);

#endif
