/* SPDX-License-Identifier: GPL-2.0 */
/* Memory for the tests: the page size, memory shared with forked children. */
#ifndef VZBC_TESTS_MEM_H
#define VZBC_TESTS_MEM_H

#include <stddef.h>

size_t page_size(void);
/* @len zeroed bytes that a fork()ed child shares with its parent; NULL on failure. */
void *shared_alloc(size_t len);
void shared_free(void *p, size_t len);

#endif /* VZBC_TESTS_MEM_H */
