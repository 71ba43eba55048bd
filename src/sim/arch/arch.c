/* SPDX-License-Identifier: MIT */
/*
 * arch.c - the list of simulated architectures and their names.
 */
#include <string.h>

#include "arch.h"

static const struct simi_arch_desc *const archs[SIM_ARCH_COUNT] = {
	[SIM_ARCH_RISCV64] = &simi_arch_riscv64,
	[SIM_ARCH_ARM] = &simi_arch_arm,
	[SIM_ARCH_ARM64] = &simi_arch_arm64,
	[SIM_ARCH_X86_64] = &simi_arch_x86_64,
};

/* Other spellings a user may type for an architecture. */
static const struct {
	const char *name;
	enum sim_arch arch;
} aliases[] = {
	{ "riscv", SIM_ARCH_RISCV64 },
	{ "x86", SIM_ARCH_X86_64 },
	{ "x86-64", SIM_ARCH_X86_64 },
};

const struct simi_arch_desc *simi_arch_desc(enum sim_arch arch)
{
	if ((unsigned int)arch >= SIM_ARCH_COUNT)
		return NULL;
	return archs[arch];
}

bool simi_arch_numa_always(enum mb_profile_id profile)
{
	(void)profile;
	return true;
}

const char *sim_arch_name(enum sim_arch arch)
{
	const struct simi_arch_desc *d = simi_arch_desc(arch);

	return d ? d->name : "?";
}

int sim_arch_parse(const char *name, enum sim_arch *out)
{
	if (!name || !out)
		return -MB_EINVAL;
	for (int i = 0; i < SIM_ARCH_COUNT; i++) {
		if (!strcmp(name, archs[i]->name)) {
			*out = (enum sim_arch)i;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (!strcmp(name, aliases[i].name)) {
			*out = aliases[i].arch;
			return 0;
		}
	}
	return -MB_EINVAL;
}
