/* SPDX-License-Identifier: GPL-2.0 */
/* The container's credentials, in a child on its way into the container. */
#ifndef CTLVZ_CREDS_H
#define CTLVZ_CREDS_H

/* uid/gid 0 of the current user namespace, no supplementary groups; -1 with errno. */
int creds_become_root(void);
/* Bounding set down to ns_cap_allowed(), no ambient caps; reports to @errfd (chan.h). */
void creds_drop_caps(int errfd);

#endif
