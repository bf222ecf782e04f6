/* SPDX-License-Identifier: GPL-2.0 */
/* Exit codes: vzctl's numbers for the same failures (see ctlvz(8)). */
#ifndef CTLVZ_VZERROR_H
#define CTLVZ_VZERROR_H

enum {
	VZ_OK				= 0,
	VZ_SETUBC_ERROR			= 1,	/* setting a resource limit failed */
	VZ_SYSTEM_ERROR			= 3,	/* a system call failed */
	VZ_BAD_KERNEL			= 5,	/* no vzbc module / namespaces */
	VZ_RESOURCE_ERROR		= 6,
	VZ_ENVCREATE_ERROR		= 7,	/* the container's init could not start */
	VZ_COMMAND_EXECUTION_ERROR	= 8,	/* exec: the command could not run */
	VZ_LOCKED			= 9,	/* another ctlvz holds the lock */
	VZ_NOCONFIG			= 10,	/* global config unreadable */
	VZ_NOVECONFIG			= 14,	/* no CTID.conf: no such container */
	VZ_EXEC_TIMEOUT			= 15,
	VZ_INVALID_PARAMETER_SYNTAX	= 20,	/* bad command line */
	VZ_INVALID_PARAMETER_VALUE	= 21,
	VZ_VE_OSTEMPLATE_NOTSET		= 29,
	VZ_VE_NOT_RUNNING		= 31,
	VZ_VE_RUNNING			= 32,
	VZ_STOP_ERROR			= 33,
	VZ_CANT_ADDIP			= 34,
	VZ_FS_NOPRVT			= 43,	/* private area missing */
	VZ_FS_PRVT_AREA_EXIST		= 44,
	VZ_FS_BAD_TMPL			= 47,
	VZ_FS_NEW_VE_PRVT		= 48,
	VZ_FS_DEL_PRVT			= 52,
	VZ_BADHOSTNAME			= 70,
	VZ_BADIP			= 71,
	VZ_CHANGEPASS			= 74,	/* --userpasswd failed */
	VZ_INVALID_CONFIG		= 85,	/* malformed CTID.conf */
	VZ_NETDEV_ERROR			= 104,
	VZ_VETH_ERROR			= 130,
};

#endif
