// SPDX-License-Identifier: GPL-2.0
/* Memory for the tests (mem.h). */
#include <sys/mman.h>
#include <unistd.h>

#include "mem.h"

size_t page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

void *shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void shared_free(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}
