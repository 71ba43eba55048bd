// SPDX-License-Identifier: MIT
/*
 * crashkernel.c - crashkernel= as kernel/crash_reserve.c parses and
 * places it (Linux 6.12): the last crashkernel= on the line wins, the
 * ",high"/",low" forms are looked at only when no plain one exists, and
 * the reservation walks the same search windows with the same fallbacks.
 */
#include <string.h>

#include "internal.h"

static const struct fw_crash_arch crash_arches[FW_ARCH_COUNT] = {
    [FW_ARCH_X86_64] = {"x86_64", 16ULL << 20, FW_SZ_4G, 64ULL << 40, 256ULL << 20, true},
    [FW_ARCH_ARM64] = {"arm64", 2ULL << 20, FW_SZ_4G, MB_ALLOC_ACCESSIBLE, 128ULL << 20, true},
    [FW_ARCH_RISCV64] = {"riscv64", 2ULL << 20, FW_SZ_4G, MB_ALLOC_ACCESSIBLE, 128ULL << 20, true},
};

const struct fw_crash_arch *fw_crash_arch(enum fw_arch arch)
{
	if ((unsigned int)arch >= FW_ARCH_COUNT || !crash_arches[arch].name)
		return NULL;
	return &crash_arches[arch];
}

static bool at_word_end(char c)
{
	return c == ' ' || c == '\0';
}

/* get_last_crashkernel(): @suffix NULL skips entries ending in ,high / ,low. */
static const char *last_crashkernel(const char *line, const char *suffix)
{
	static const char *const suffixes[] = {",high", ",low"};
	const char *name = "crashkernel=", *found = NULL;

	for (const char *p = strstr(line, name); p; p = strstr(p + 1, name)) {
		const char *end = strchr(p, ' ');
		size_t len;
		bool skip = false;

		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (suffix) {
			size_t sl = strlen(suffix);

			if (len >= sl && !strncmp(end - sl, suffix, sl))
				found = p;
			continue;
		}
		for (size_t i = 0; i < 2; i++) {
			size_t sl = strlen(suffixes[i]);

			if (len >= sl && !strncmp(end - sl, suffixes[i], sl))
				skip = true;
		}
		if (!skip)
			found = p;
	}
	return found ? found + strlen(name) : NULL;
}

static int memval(const char *cur, const char **end, uint64_t *v, const char *what,
		  const struct memblock *log)
{
	int ret = mb_memparse(cur, end, v);

	if (ret == -MB_ERANGE)
		fwi_log(log, MB_LOG_WARN, "crashkernel: %s does not fit in 64 bits", what);
	else if (ret)
		fwi_log(log, MB_LOG_WARN, "crashkernel: Memory value expected");
	return ret;
}

/* One "start-[end]:size" item of the range form; 1 = matched. */
static int range_item(const char **curp, uint64_t total, uint64_t *size, const struct memblock *log)
{
	const char *cur = *curp;
	uint64_t start, end = UINT64_MAX, sz;
	int ret;

	if ((ret = memval(cur, &cur, &start, "range start", log)))
		return ret;
	if (*cur != '-') {
		fwi_log(log, MB_LOG_WARN, "crashkernel: '-' expected");
		return -MB_EINVAL;
	}
	cur++;
	if (*cur != ':') {
		if ((ret = memval(cur, &cur, &end, "range end", log)))
			return ret;
		if (end <= start) {
			fwi_log(log, MB_LOG_WARN, "crashkernel: end <= start");
			return -MB_EINVAL;
		}
	}
	if (*cur != ':') {
		fwi_log(log, MB_LOG_WARN, "crashkernel: ':' expected");
		return -MB_EINVAL;
	}
	cur++;
	if ((ret = memval(cur, &cur, &sz, "size", log)))
		return ret;
	if (sz >= total) {
		fwi_log(log, MB_LOG_WARN, "crashkernel: invalid size");
		return -MB_EINVAL;
	}
	*curp = cur;
	if (total >= start && total < end) {
		*size = sz;
		return 1;
	}
	return 0;
}

/* parse_crashkernel_mem(): "512M-2G:64M,2G-:128M[@offset]". */
static int parse_ranges(const char *cur, uint64_t system_ram, uint64_t *size, uint64_t *base,
			const struct memblock *log)
{
	const uint64_t sz128m = 128ULL << 20;
	uint64_t total = system_ram;
	int ret;

	/* roundup(total, 128M), without wrapping at the top */
	if (total % sz128m)
		total = total > UINT64_MAX - sz128m ? UINT64_MAX : total - total % sz128m + sz128m;
	do {
		ret = range_item(&cur, total, size, log);
		if (ret < 0)
			return ret;
		if (ret == 1)
			break;
	} while (*cur++ == ',');

	if (*size == 0) {
		fwi_log(log, MB_LOG_INFO, "crashkernel size resulted in zero bytes");
		return 0;
	}
	while (*cur && *cur != ' ' && *cur != '@')
		cur++;
	if (*cur == '@') {
		cur++;
		ret = mb_memparse(cur, NULL, base);
		if (ret == -MB_ERANGE)
			return memval(cur, NULL, base, "offset", log);
		if (ret) {
			fwi_log(log, MB_LOG_WARN, "crahskernel: Memory value expected after '@'");
			return -MB_EINVAL;
		}
	}
	return 0;
}

/* parse_crashkernel_simple() / _suffix(). */
static int parse_simple(const char *cur, const char *suffix, uint64_t *size, uint64_t *base,
			const struct memblock *log)
{
	const char *start = cur;
	int ret = mb_memparse(cur, &cur, size);

	if (ret == -MB_ERANGE)
		return memval(start, NULL, size, "size", log);
	if (ret) {
		fwi_log(log, MB_LOG_WARN, "crashkernel: memory value expected");
		return -MB_EINVAL;
	}
	if (suffix) {
		size_t sl = strlen(suffix);

		if (strncmp(cur, suffix, sl) || !at_word_end(cur[sl])) {
			fwi_log(log, MB_LOG_WARN, "crashkernel: unrecognized char: %c",
			       strncmp(cur, suffix, sl) ? *cur : cur[sl]);
			return -MB_EINVAL;
		}
		return 0;
	}
	if (*cur == '@') {
		ret = mb_memparse(cur + 1, NULL, base);
		if (ret == -MB_ERANGE)
			return memval(cur + 1, NULL, base, "offset", log);
		return 0;
	}
	if (!at_word_end(*cur)) {
		fwi_log(log, MB_LOG_WARN, "crashkernel: unrecognized char: %c", *cur);
		return -MB_EINVAL;
	}
	return 0;
}

/* __parse_crashkernel(). */
static int parse_one(const char *line, uint64_t system_ram, uint64_t *size, uint64_t *base,
		     const char *suffix, const struct memblock *log)
{
	const char *ck = last_crashkernel(line, suffix);
	const char *colon, *space;

	*size = 0;
	*base = 0;
	if (!ck)
		return -MB_ENOENT;
	if (suffix)
		return parse_simple(ck, suffix, size, base, log);
	colon = strchr(ck, ':');
	space = strchr(ck, ' ');
	if (colon && (!space || colon < space))
		return parse_ranges(ck, system_ram, size, base, log);
	return parse_simple(ck, NULL, size, base, log);
}

int fw_parse_crashkernel(const char *line, uint64_t system_ram, const struct fw_crash_arch *arch,
			 uint64_t *crash_size, uint64_t *crash_base, uint64_t *low_size, bool *high,
			 const struct memblock *log)
{
	uint64_t dummy_base;
	int ret;

	if (!line || !arch || !crash_size || !crash_base || !low_size || !high)
		return -MB_EINVAL;
	*high = false;
	ret = parse_one(line, system_ram, crash_size, crash_base, NULL, log);
	if (arch->has_high_low && ret == -MB_ENOENT) {
		ret = parse_one(line, 0, crash_size, crash_base, ",high", log);
		if (ret == -MB_ERANGE)
			return ret;
		if (ret || !*crash_size)
			return ret == -MB_ENOENT ? -MB_ENOENT : -MB_EINVAL;
		ret = parse_one(line, 0, low_size, &dummy_base, ",low", log);
		if (ret == -MB_ENOENT) {
			*low_size = arch->default_low;
			ret = 0;
		} else if (ret) {
			return ret;
		}
		*high = true;
	}
	if (ret || arch->legacy_size_check)
		return ret;
	if (!*crash_size || *crash_size >= system_ram)
		return -MB_EINVAL;
	return 0;
}
