/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Privileges for the tests that check what an unprivileged caller may do.
 * Each returns 0 or -errno; call them in a child (every TEST runs in one).
 */
#ifndef VZBC_TESTS_PRIV_H
#define VZBC_TESTS_PRIV_H

#define NOBODY_ID	65534

/* Takes @cap out of the effective, permitted and inheritable sets: gone for good. */
int cap_drop(int cap);
/* No supplementary groups, real/effective/saved gid and uid nobody (65534). */
int become_nobody(void);

#endif /* VZBC_TESTS_PRIV_H */
