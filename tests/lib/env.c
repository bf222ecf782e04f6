// SPDX-License-Identifier: GPL-2.0
/* The harness' environment (env.h). */
#include <stdlib.h>

#include "env.h"

const char *test_disk(void)
{
	const char *d = getenv("LOWFAT_DISK");

	return d && *d ? d : "/dev/vda";
}
