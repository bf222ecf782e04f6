// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vzbc: the ioctl interface of include/uapi/linux/vzbc.h.
 *
 * Commands are matched by _IOC_TYPE and _IOC_NR only: the size and
 * direction bits of the number are ignored, as DRM does, so that a struct
 * can grow without changing its number.  Every argument struct starts with
 * its size; vzbc_copy_arg() applies copy_struct_from_user() semantics so
 * that older and newer callers work (Documentation/vzbc-api.rst).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include "bc_ioctl.h"
#include "bc_registry.h"
#include "bc_res.h"

/*
 * Copies the user's struct of any size into @karg (@ksize bytes): a size
 * below @minsize is -EINVAL, non-zero bytes past @ksize are -E2BIG, as are
 * sizes past a page (openat2 and clone3 set the same bound).  Returns the
 * user's size (> 0) or -errno.
 */
static long vzbc_copy_arg(void *karg, size_t ksize, size_t minsize,
			  void __user *uarg)
{
	u32 usize;
	int err;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < minsize)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(karg, ksize, uarg, usize);
	if (err)
		return err;
	/* The user may have changed it under us: keep the one we checked. */
	*(u32 *)karg = usize;
	return usize;
}

/* Copies @karg back to the user, no more than the user's size of it. */
static int vzbc_copy_back(void __user *uarg, const void *karg, size_t ksize,
			  u32 usize)
{
	return copy_to_user(uarg, karg, min_t(size_t, ksize, usize)) ?
		-EFAULT : 0;
}

static bool vzbc_ctid_valid(u32 ctid)
{
	return ctid >= 1 && ctid <= VZBC_CTID_MAX;
}

static bool vzbc_may_modify(void)
{
	return capable(CAP_SYS_ADMIN);
}

static long vzbc_ioctl_create(void __user *uarg)
{
	struct vzbc_create arg;
	struct cgroup *cgrp;
	struct vzbc_bc *bc;
	long ret;

	if (!vzbc_may_modify())
		return -EPERM;
	ret = vzbc_copy_arg(&arg, sizeof(arg), VZBC_CREATE_SIZE_VER0, uarg);
	if (ret < 0)
		return ret;
	if (!vzbc_ctid_valid(arg.ctid) || arg.flags)
		return -EINVAL;
	cgrp = cgroup_get_from_fd(arg.cgroup_fd);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	if (!cgroup_parent(cgrp)) {	/* the root is the host's, not a CT's */
		cgroup_put(cgrp);
		return -EINVAL;
	}
	bc = vzbc_bc_create(arg.ctid, cgrp);	/* takes the cgroup */
	if (IS_ERR(bc))
		return PTR_ERR(bc);
	vzbc_bc_put(bc);
	return 0;
}

static long vzbc_ioctl_destroy(void __user *uarg)
{
	struct vzbc_ctid arg;
	long ret;

	if (!vzbc_may_modify())
		return -EPERM;
	ret = vzbc_copy_arg(&arg, sizeof(arg), VZBC_CTID_SIZE_VER0, uarg);
	if (ret < 0)
		return ret;
	if (!vzbc_ctid_valid(arg.ctid))
		return -EINVAL;
	return vzbc_bc_destroy(arg.ctid);
}

static long vzbc_ioctl_set(void __user *uarg)
{
	struct vzbc_set arg;
	struct vzbc_bc *bc;
	long ret;

	if (!vzbc_may_modify())
		return -EPERM;
	ret = vzbc_copy_arg(&arg, sizeof(arg), VZBC_SET_SIZE_VER0, uarg);
	if (ret < 0)
		return ret;
	if (!vzbc_ctid_valid(arg.ctid) || arg.flags ||
	    !vzbc_res_find(arg.resource) ||
	    arg.barrier > arg.limit || arg.limit > VZBC_UNLIMITED)
		return -EINVAL;
	bc = vzbc_bc_get(arg.ctid);
	if (!bc)
		return -ENOENT;
	ret = vzbc_bc_set_limits(bc, arg.resource, arg.barrier, arg.limit);
	vzbc_bc_put(bc);
	return ret;
}

/*
 * Writes element @i of a user array of stride @stride: the first
 * min(@stride, @ksize) bytes of @kelem, zeroes for the rest.
 */
static int vzbc_put_elem(void __user *array, u32 stride, u32 i,
			 const void *kelem, size_t ksize)
{
	char __user *dst = (char __user *)array + (size_t)i * stride;
	size_t n = min_t(size_t, stride, ksize);

	if (copy_to_user(dst, kelem, n))
		return -EFAULT;
	if (stride > n && clear_user(dst + n, stride - n))
		return -EFAULT;
	return 0;
}

/* An array stride from userspace: 0 means @ver0; a page at most. */
static int vzbc_stride(u32 *stride, u32 ver0)
{
	if (!*stride)
		*stride = ver0;
	return *stride < ver0 || *stride > PAGE_SIZE ? -EINVAL : 0;
}

static long vzbc_ioctl_get(void __user *uarg)
{
	const struct vzbc_res *r;
	struct vzbc_get arg;
	struct vzbc_stat st;
	struct vzbc_bc *bc;
	u32 n;
	long usize;
	int err = 0;

	usize = vzbc_copy_arg(&arg, sizeof(arg), VZBC_GET_SIZE_VER0, uarg);
	if (usize < 0)
		return usize;
	if (!vzbc_ctid_valid(arg.ctid) || arg.flags || arg.reserved ||
	    vzbc_stride(&arg.stat_size, VZBC_STAT_SIZE_VER0))
		return -EINVAL;
	bc = vzbc_bc_get(arg.ctid);
	if (!bc)
		return -ENOENT;
	for (n = 0; n < arg.nr_stats && (r = vzbc_res_nth(n)); n++) {
		vzbc_res_stat(bc, r, &st);
		err = vzbc_put_elem(u64_to_user_ptr(arg.stats), arg.stat_size,
				    n, &st, sizeof(st));
		if (err)
			break;
	}
	vzbc_bc_put(bc);
	if (err)
		return err;
	arg.nr_stats = n;
	return vzbc_copy_back(uarg, &arg, sizeof(arg), usize);
}

static long vzbc_ioctl_resources(void __user *uarg)
{
	struct vzbc_resources arg;
	struct vzbc_res_info info;
	const struct vzbc_res *r;
	long usize;
	u32 n;
	int err;

	usize = vzbc_copy_arg(&arg, sizeof(arg), VZBC_RESOURCES_SIZE_VER0,
			      uarg);
	if (usize < 0)
		return usize;
	if (vzbc_stride(&arg.info_size, VZBC_RES_INFO_SIZE_VER0))
		return -EINVAL;
	for (n = 0; n < arg.nr_info && (r = vzbc_res_nth(n)); n++) {
		memset(&info, 0, sizeof(info));
		info.resource = r->id;
		info.unit = r->unit;
		strscpy(info.name, r->name, sizeof(info.name));
		err = vzbc_put_elem(u64_to_user_ptr(arg.info), arg.info_size,
				    n, &info, sizeof(info));
		if (err)
			return err;
	}
	arg.nr_info = n;
	arg.nr_total = vzbc_res_count();
	return vzbc_copy_back(uarg, &arg, sizeof(arg), usize);
}

static long vzbc_ioctl_list(void __user *uarg)
{
	struct vzbc_list arg;
	u32 __user *uids;
	struct vzbc_bc *bc;
	u32 ctid, n = 0;
	long usize;

	usize = vzbc_copy_arg(&arg, sizeof(arg), VZBC_LIST_SIZE_VER0, uarg);
	if (usize < 0)
		return usize;
	if (arg.start_ctid > VZBC_CTID_MAX)
		return -EINVAL;
	uids = u64_to_user_ptr(arg.ctids);
	ctid = max_t(u32, arg.start_ctid, 1);
	arg.next_ctid = 0;
	while ((bc = vzbc_bc_get_next(&ctid))) {
		vzbc_bc_put(bc);
		if (n == arg.nr_ctids) {
			arg.next_ctid = ctid;
			break;
		}
		if (put_user(ctid, &uids[n]))
			return -EFAULT;
		n++;
		if (ctid == VZBC_CTID_MAX)
			break;
		ctid++;
		cond_resched();
	}
	arg.nr_ctids = n;
	return vzbc_copy_back(uarg, &arg, sizeof(arg), usize);
}

static long vzbc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != VZBC_MAGIC)
		return -ENOTTY;
	/* The size bits are the caller's sizeof: the struct's size rules. */
	switch (_IOC_NR(cmd)) {
	case VZBC_IOC_NR_VERSION:
		return VZBC_API_VERSION;
	case VZBC_IOC_NR_CREATE:
		return vzbc_ioctl_create(uarg);
	case VZBC_IOC_NR_DESTROY:
		return vzbc_ioctl_destroy(uarg);
	case VZBC_IOC_NR_SET:
		return vzbc_ioctl_set(uarg);
	case VZBC_IOC_NR_GET:
		return vzbc_ioctl_get(uarg);
	case VZBC_IOC_NR_LIST:
		return vzbc_ioctl_list(uarg);
	case VZBC_IOC_NR_RESOURCES:
		return vzbc_ioctl_resources(uarg);
	}
	return -ENOTTY;
}

static const struct file_operations vzbc_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= vzbc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice vzbc_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VZBC_DEVICE_NAME,
	.fops	= &vzbc_fops,
	.mode	= 0600,
};

int vzbc_ioctl_init(void)
{
	return misc_register(&vzbc_misc);
}

void vzbc_ioctl_exit(void)
{
	misc_deregister(&vzbc_misc);
}
