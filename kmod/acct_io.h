/* SPDX-License-Identifier: GPL-2.0 */
/* iobytes, iops (acct_io.c): registers itself in the resource table. */
#ifndef _VZBC_ACCT_IO_H
#define _VZBC_ACCT_IO_H

int vzbc_acct_io_init(void);
void vzbc_acct_io_exit(void);

#endif /* _VZBC_ACCT_IO_H */
