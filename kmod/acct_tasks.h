/* SPDX-License-Identifier: GPL-2.0 */
/* numproc (acct_tasks.c): registers itself in the resource table. */
#ifndef _VZBC_ACCT_TASKS_H
#define _VZBC_ACCT_TASKS_H

int vzbc_acct_tasks_init(void);
void vzbc_acct_tasks_exit(void);

#endif /* _VZBC_ACCT_TASKS_H */
