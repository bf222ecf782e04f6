# SPDX-License-Identifier: GPL-2.0
#
# lowfat porcelain.  The module's objects are listed in kmod/Kbuild; this file
# only drives kbuild (on a copy of kmod/ under build/, made by
# scripts/build-module.sh, so that the tree stays clean), the userspace and
# test sub-makes, and the scripts/ harness.
#
#   make                 module (for KDIR) + ctlvz + tests
#   make unit            host unit tests of the userspace library (KTAP, seconds)
#   make check           build and run the selftests in QEMU on 6.1 and 6.12
#   make check KERNELS=6.12
#   make demo            boot 6.1 in QEMU and run the demo
#   make bench           measure against crun, LXC, bwrap, unshare (bench/)
#   make lint            checkpatch, W=1 and sparse (C=2), all must be silent
#   make install         install vzbc.ko for KDIR, ctlvz, its man page, plans, lowfat.service
#   make dkms-check      dkms add/build/install/remove for 6.1 and 6.12
#
# KDIR defaults to the newest installed Debian 6.1 cloud kernel's headers; the
# release is found at run time (scripts/kernel-rel.sh), never hard-coded.

SHELL := /bin/bash

ifeq ($(origin KDIR),undefined)
KREL := $(shell $(CURDIR)/scripts/kernel-rel.sh 6.1 2>/dev/null)
KDIR := /lib/modules/$(KREL)/build
else
# /lib/modules/<rel>/build -> <rel>; Debian's 6.1 headers put the upstream
# version, not the release, in include/config/kernel.release.
KREL ?= $(notdir $(patsubst %/,%,$(dir $(patsubst %/,%,$(KDIR)))))
endif

KERNELS ?= 6.1 6.12
BUILD := $(or $(LOWFAT_BUILD),$(CURDIR)/build)
CHECKPATCH := $(BUILD)/checkpatch/checkpatch.pl
CHECKPATCH_FILES = $(wildcard kmod/*.[ch]) $(wildcard include/uapi/linux/*.h)
DESTDIR ?=
PREFIX ?= /usr
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system

# The module's build tree for KREL: kmod/ and include/, copied.
MODSRC := $(BUILD)/$(KREL)/src
BUILD_MODULE = KDIR=$(KDIR) $(CURDIR)/scripts/build-module.sh $(KREL)

# Print kbuild's warnings but fail if there was any: "make" must be silent.
define kbuild_silent
	@set -o pipefail; log=$$(mktemp); \
	$(BUILD_MODULE) $(1) 2>&1 | tee $$log; rc=$$?; \
	if [ $$rc -eq 0 ] && grep -Eiq '$(2)' $$log; then \
		echo "lint: $(3)" >&2; rc=1; \
	fi; rm -f $$log; exit $$rc
endef

.PHONY: all modules userspace tests unit templates kselftest-src deps check demo lint \
	checkpatch lint-w1 lint-sparse install clean help stress bench dkms-check
all: modules userspace tests

kdir-exists:
	@test -d $(KDIR)/ || { \
		echo "lowfat: no kernel headers at '$(KDIR)': run scripts/deps.sh or pass KDIR=" >&2; \
		exit 1; }
.PHONY: kdir-exists

modules: kdir-exists
	$(BUILD_MODULE)

# The sub-Makefiles belong to the userspace and tests owners; build them once
# they exist so that the tree builds at every stage.
userspace:
	@if [ -f userspace/Makefile ]; then \
		mkdir -p $(BUILD)/userspace && \
		$(MAKE) -C userspace O=$(BUILD)/userspace; \
	else echo "lowfat: userspace/Makefile not there yet, skipping ctlvz"; fi

tests:
	@if [ -f tests/Makefile ]; then \
		$(CURDIR)/scripts/kselftest-src.sh && mkdir -p $(BUILD)/tests && \
		$(MAKE) -C tests O=$(BUILD)/tests KSFT=$(BUILD)/kselftest; \
	else echo "lowfat: tests/Makefile not there yet, skipping tests"; fi

# Host unit tests (userspace/tests/*_test.c, kselftest harness): KTAP on
# stdout, one "# Totals: pass:N fail:M ..." line per binary; fails if one fails.
unit: kselftest-src
	@mkdir -p $(BUILD)/userspace && \
	$(MAKE) --no-print-directory -C userspace O=$(BUILD)/userspace KSFT=$(BUILD)/kselftest unit

# OS templates for ctlvz, packed into the VM's /vz/template/cache/.
TEMPLATES := $(if $(wildcard scripts/mktemplate),$(BUILD)/templates/busybox.tar.gz)
templates: $(TEMPLATES)

$(BUILD)/templates/busybox.tar.gz: scripts/mktemplate
	sh scripts/mktemplate busybox $@

kselftest-src:
	$(CURDIR)/scripts/kselftest-src.sh

deps:
	$(CURDIR)/scripts/deps.sh

check:
	@KERNELS='$(KERNELS)' $(CURDIR)/scripts/check.sh

# The fuzz and churn tests for minutes (STRESS_SECONDS, default 120).
stress:
	@KERNELS='$(KERNELS)' $(CURDIR)/scripts/stress.sh

demo:
	@$(CURDIR)/scripts/demo.sh

# lowfat against crun, LXC, bubblewrap and unshare in one VM (bench/README.md).
bench:
	@$(CURDIR)/scripts/bench.sh

lint: checkpatch lint-w1 lint-sparse
	@if command -v shellcheck >/dev/null; then \
		shellcheck scripts/*.sh .ci/run && echo "lint: shellcheck clean"; \
	fi
	@echo "lint: clean"

# checkpatch --strict: errors and warnings fail, CHECKs are reported.
checkpatch: kselftest-src
	@files='$(CHECKPATCH_FILES)'; [ -n "$$files" ] || { echo "lint: nothing to checkpatch"; exit 0; }; \
	out=$$($(CHECKPATCH) --strict --no-tree --show-types --color=never -f $$files); \
	echo "$$out"; \
	bad=$$(echo "$$out" | awk '/^total: / { e += $$2; w += $$4 } END { print e + w }'); \
	if [ "$${bad:-1}" -ne 0 ]; then echo "lint: checkpatch found $$bad errors/warnings" >&2; exit 1; fi

lint-w1: kdir-exists
	$(call kbuild_silent,W=1,warning:|error:,W=1 build is not warning-free)

lint-sparse: kdir-exists
	$(call kbuild_silent,C=2,: (warning|error|note):,sparse reported problems)

install: modules userspace
	$(MAKE) -C $(KDIR) M=$(MODSRC) KERNELRELEASE=$(KREL) \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra modules_install
	$(if $(DESTDIR),,depmod -a $(KREL))
	@if [ -x $(BUILD)/userspace/ctlvz ]; then \
		install -D -m 0755 $(BUILD)/userspace/ctlvz $(DESTDIR)$(PREFIX)/sbin/ctlvz; \
	fi
	@if [ -f Documentation/ctlvz.8 ]; then \
		install -D -m 0644 Documentation/ctlvz.8 $(DESTDIR)$(PREFIX)/share/man/man8/ctlvz.8; \
	fi
	install -d $(DESTDIR)$(SYSCONFDIR)/ctlvz/conf
	install -m 0644 etc/ctlvz/conf/*.conf-sample $(DESTDIR)$(SYSCONFDIR)/ctlvz/conf/
	@# The admin's global config is never overwritten.
	@if [ ! -e $(DESTDIR)$(SYSCONFDIR)/ctlvz/ctlvz.conf ]; then \
		install -m 0644 etc/ctlvz/ctlvz.conf $(DESTDIR)$(SYSCONFDIR)/ctlvz/ctlvz.conf; \
	else echo "lowfat: keeping $(DESTDIR)$(SYSCONFDIR)/ctlvz/ctlvz.conf"; fi
	install -D -m 0644 etc/systemd/lowfat.service $(DESTDIR)$(UNITDIR)/lowfat.service
	$(if $(DESTDIR),,-systemctl daemon-reload 2>/dev/null)

# Every build product is under $(BUILD), the module's included.
clean:
	@for d in userspace tests; do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d O=$(BUILD)/$$d clean || true; fi; \
	done
	rm -rf $(BUILD)

# DKMS for both test kernels, in a private DKMS tree (scripts/dkms-check.sh).
dkms-check:
	@$(CURDIR)/scripts/dkms-check.sh

help:
	@sed -n '3,19s/^# \{0,1\}//p' Makefile
