/* SPDX-License-Identifier: GPL-2.0 */
/* physpages, swappages (acct_mem.c): registers itself in the resource table. */
#ifndef _VZBC_ACCT_MEM_H
#define _VZBC_ACCT_MEM_H

int vzbc_acct_mem_init(void);
void vzbc_acct_mem_exit(void);

#endif /* _VZBC_ACCT_MEM_H */
