/* SPDX-License-Identifier: GPL-2.0 */
/* What the VM harness (scripts/vm-init.sh) gives the tests in their environment. */
#ifndef VZBC_TESTS_ENV_H
#define VZBC_TESTS_ENV_H

/* The blank scratch disk: $LOWFAT_DISK, /dev/vda if unset or empty. */
const char *test_disk(void);

#endif /* VZBC_TESTS_ENV_H */
