/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The container's root file system and its mounts, built in the child that
 * becomes init; every failure goes to @errfd as a CHAN_STEP_SETUP report
 * (chan.h) and ends the child.
 */
#ifndef CTLVZ_ROOTFS_H
#define CTLVZ_ROOTFS_H

#include <stdbool.h>
#include <sys/types.h>

#include "ns.h"

/* Bind the private area on s->root_dir (no device nodes) and chdir there. */
void rootfs_bind(const struct ns_spawn *s, int errfd);
/* A small /dev below the cwd, owned by @owner, the container's root (net/tun if s->tun). */
void rootfs_make_dev(const struct ns_spawn *s, int errfd, uid_t owner);
/* proc, sysfs, cgroup2, devpts, shm, run and tmp below the cwd (and /dev unless @dev_ready). */
void rootfs_mount_pseudo(const struct ns_spawn *s, int errfd, bool dev_ready);
/* dev/console below the cwd, a pty: master sent over @sock, the slave's fd returned. */
int rootfs_make_console(int sock, int errfd);
/*
 * In the new root: /run/systemd/container, /etc/machine-id when empty, and
 * the $NOTIFY_SOCKET datagram socket, sent over @sock.
 */
void rootfs_container_files(int sock, int errfd);
/* pivot_root(".", ".") to the cwd and drop the old root. */
void rootfs_pivot(int errfd);
/* For an initramfs host: bind, /dev, move over "/" and chroot (in the root helper). */
void rootfs_move(const struct ns_spawn *s, int errfd);
/* Whether "/" is the initramfs itself, where pivot_root cannot work. */
bool rootfs_host_is_initramfs(void);

#endif
