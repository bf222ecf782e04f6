/* SPDX-License-Identifier: GPL-2.0 */
/* Block devices as io.max names them: "MAJ:MIN" of whole disks. */
#ifndef CTLVZ_BLKDEV_H
#define CTLVZ_BLKDEV_H

#include <sys/types.h>

#include "err.h"

/*
 * "MAJ:MIN" of the whole disk of block device @dev (a partition's disk:
 * io.max takes whole disks only), or -ENODEV if the kernel has no such
 * block device.
 */
int blk_whole_disk(dev_t dev, char **out);
/* "MAJ:MIN" of the whole disk holding @path's file system, or -ENODEV. */
int blk_disk_of(const char *path, char **out);
/* "MAJ:MIN" of the disk of a named block device (/dev/vda, /dev/vda1, 254:0). */
int blk_disk_named(const char *name, char **out, struct ct_err **err);

#endif
