/* SPDX-License-Identifier: MIT */
/*
 * test_dt_numa.c - device-tree NUMA on arm64 and riscv64 boots: QEMU's own
 * DTBs of NUMA machines (tests/data/sim/README.md says how each was made),
 * and the same trees with one property changed through libfdt to reach
 * the kernel's error paths (bad or empty numa-node-id, bad distances,
 * memory without a node, numa=off).
 *
 *   test_dt_numa DATA_DIR
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include <memblock/fw.h>
#include <memblock/sim.h>

static const char *data_dir = "tests/data/sim";

struct capture {
	char lines[512][200];
	size_t n;
};

static void capture_line(void *ctx, enum sim_line_kind kind, const char *text)
{
	struct capture *c = ctx;

	(void)kind;
	if (c->n < sizeof(c->lines) / sizeof(c->lines[0]))
		snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s", text);
}

/* A change to the tree before the boot. */
typedef void (*patch_fn)(void *fdt);

struct numa_row {
	const char *name;
	const char *dtb;
	const char *profile;
	const char *cmdline;
	const char *node_data; /* node_data_size setting, NULL: the default */
	patch_fn patch;
	const char *const *want; /* these lines in this order (others may be between) */
	int nids[4];		 /* node of memory.regions[i]; -2 = no such region */
	int nr_nodes;		 /* highest node with memory + 1 (sim_stats) */
};

static int path_of(void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	assert_true(off >= 0);
	return off;
}

static void empty_id(void *fdt)
{
	assert_int_equal(
		fdt_setprop(fdt, path_of(fdt, "/memory@80000000"), "numa-node-id", NULL, 0), 0);
}

static void huge_id(void *fdt)
{
	assert_int_equal(fdt_setprop_u32(fdt, path_of(fdt, "/memory@80000000"), "numa-node-id", 99),
			 0);
}

/* The last memory node in the tree (memory@40000000) loses its id. */
static void last_without_id(void *fdt)
{
	assert_int_equal(fdt_delprop(fdt, path_of(fdt, "/memory@40000000"), "numa-node-id"), 0);
}

static void bad_distance(void *fdt)
{
	static const uint32_t m[] = { 0, 0, 10, 0, 1, 5, 1, 1, 10 };
	uint32_t be[9];

	for (int i = 0; i < 9; i++)
		be[i] = cpu_to_fdt32(m[i]);
	assert_int_equal(
		fdt_setprop(fdt, path_of(fdt, "/distance-map"), "distance-matrix", be, sizeof(be)),
		0);
}

static const char *const want_numa4[] = {
	"NODE_DATA(0) allocated [mem 0x7fffd880-0x7fffffff]",
	"NODE_DATA(1) allocated [mem 0xbfffd880-0xbfffffff]",
	"NODE_DATA(2) allocated [mem 0xffffd880-0xffffffff]",
	"NODE_DATA(3) allocated [mem 0x13*-0x13*]",
	" memory[0x0]\t[0x0000000040000000-0x000000007fffffff], 0x0000000040000000 bytes on node 0 flags: 0x0",
	" memory[0x3]\t[0x0000000100000000-0x000000013fffffff], 0x0000000040000000 bytes on node 3 flags: 0x0",
	NULL,
};

/*
 * With the pg_data_t size of Debian's 6.12 arm64 build, NODE_DATA(0..2)
 * land exactly where a real boot of this QEMU machine put them (node 3
 * also holds that kernel's own early allocations).
 */
static const char *const want_numa4_debian[] = {
	"NODE_DATA(0) allocated [mem 0x7fffc8c0-0x7fffffff]",
	"NODE_DATA(1) allocated [mem 0xbfffc8c0-0xbfffffff]",
	"NODE_DATA(2) allocated [mem 0xffffc8c0-0xffffffff]",
	NULL,
};

static const char *const want_numa4_61[] = {
	"memblock_alloc_try_nid: 4096 bytes align=0x1000 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 numa_alloc_distance",
	"NUMA: NODE_DATA [mem 0x7fffd880-0x7fffffff]",
	"NUMA: NODE_DATA [mem 0x13*-0x13*]",
	" memory[0x3]\t[0x0000000100000000-0x000000013fffffff], 0x0000000040000000 bytes on node 3 flags: 0x0",
	NULL,
};

static const char *const want_off[] = {
	"NUMA: NUMA disabled",
	"NUMA: Faking a node at [mem 0x0000000040000000-0x000000013fffffff]",
	"NODE_DATA(0) allocated [mem 0x13*-0x13*]",
	NULL,
};

static const char *const want_memless[] = {
	"OF: NUMA: parsing numa-distance-map-v1",
	"memblock_alloc_try_nid: 9 bytes align=0x1000 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 numa_alloc_distance",
	"NUMA: Initialized distance table, cnt=3",
	"NODE_DATA(0) allocated [mem 0x7fffd880-0x7fffffff]",
	"NODE_DATA(1) allocated [mem 0xbf*-0xbf*]",
	"NUMA: Initmem setup node 2 [<memory-less node>]",
	"NODE_DATA(2) allocated [mem 0xbf*-0xbf*]",
	"    NODE_DATA(2) on node 1",
	"Initmem setup node 1 [mem 0x0000000080000000-0x00000000bfffffff]",
	"Initmem setup node 2 as memoryless",
	NULL,
};

static const char *const want_riscv[] = {
	"OF: NUMA: parsing numa-distance-map-v1",
	"NUMA: Initialized distance table, cnt=2",
	"NODE_DATA(0) allocated [mem 0xbfffd880-0xbfffffff]",
	"NODE_DATA(1) allocated [mem 0x*-0x*]",
	NULL,
};

static const char *const want_empty[] = {
	"OF: NUMA: bad property in memory node",
	"NUMA: Faking a node at [mem 0x0000000040000000-0x00000000bfffffff]",
	"NODE_DATA(0) allocated [mem 0xb*-0xb*]",
	NULL,
};

static const char *const want_huge[] = {
	"OF: NUMA: Node id 99 exceeds maximum value",
	"OF: NUMA: bad property in memory node",
	"NUMA: Faking a node at [mem 0x0000000040000000-0x000000013fffffff]",
	NULL,
};

static const char *const want_last[] = {
	"NUMA: Faking a node at [mem 0x0000000040000000-0x000000013fffffff]",
	NULL,
};

static const char *const want_last_61[] = {
	"NUMA: Warning: invalid memblk node 64 [mem 0x0000000040000000-0x000000007fffffff]",
	"memblock_phys_free: [0x000000013*-0x000000013*] numa_reset_distance",
	"NUMA: Faking a node at [mem 0x0000000040000000-0x000000013fffffff]",
	"NUMA: NODE_DATA [mem 0x13*-0x13*]",
	NULL,
};

static const char *const want_bad_distance[] = {
	"OF: NUMA: parsing numa-distance-map-v1",
	"OF: NUMA: Invalid distance[node0 -> node1] = 5",
	"NUMA: Faking a node at [mem 0x0000000040000000-0x00000000bfffffff]",
	NULL,
};

#define ALL_NODES                                                                                  \
	{                                                                                          \
		0, 1, 2, 3                                                                         \
	}
/* one faked node: the regions merge into one */
#define ONE_NODE                                                                                   \
	{                                                                                          \
		0, -2, -2, -2                                                                      \
	}

static const struct numa_row rows[] = {
	{ "arm64, four nodes", "arm64-virt-numa4.dtb", NULL, "", NULL, NULL, want_numa4, ALL_NODES,
	  4 },
	{ "arm64, four nodes, Debian's pg_data_t", "arm64-virt-numa4.dtb", NULL, "", "0x3740", NULL,
	  want_numa4_debian, ALL_NODES, 4 },
	{ "arm64, four nodes, 6.1", "arm64-virt-numa4.dtb", "linux-6.1", "", NULL, NULL,
	  want_numa4_61, ALL_NODES, 4 },
	{ "numa=off", "arm64-virt-numa4.dtb", NULL, "numa=off", NULL, NULL, want_off, ONE_NODE, 1 },
	{ "memory-less node 2, distance map",
	  "arm64-virt-numa3-memless.dtb",
	  NULL,
	  "",
	  NULL,
	  NULL,
	  want_memless,
	  { 0, 1, -2, -2 },
	  2 },
	{ "riscv64, two nodes",
	  "riscv64-virt-numa2.dtb",
	  NULL,
	  "",
	  NULL,
	  NULL,
	  want_riscv,
	  { 0, 1, -2, -2 },
	  2 },
	{ "empty numa-node-id", "arm64-virt-numa3-memless.dtb", NULL, "", NULL, empty_id,
	  want_empty, ONE_NODE, 1 },
	{ "numa-node-id 99", "arm64-virt-numa4.dtb", NULL, "", NULL, huge_id, want_huge, ONE_NODE,
	  1 },
	{ "last memory node without an id (6.12)", "arm64-virt-numa4.dtb", NULL, "", NULL,
	  last_without_id, want_last, ONE_NODE, 1 },
	{ "memory without an id (6.1)", "arm64-virt-numa4.dtb", "linux-6.1", "", NULL,
	  last_without_id, want_last_61, ONE_NODE, 1 },
	{ "distance 5 between two nodes", "arm64-virt-numa3-memless.dtb", NULL, "", NULL,
	  bad_distance, want_bad_distance, ONE_NODE, 1 },
};

/* The DTB of @row, patched, in a temporary file; returns its path. */
static char *prepare_dtb(const struct numa_row *row)
{
	static char path[64];
	char src[512];
	FILE *f;
	long len;
	void *fdt;
	int fd;

	snprintf(src, sizeof(src), "%s/%s", data_dir, row->dtb);
	f = fopen(src, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	fdt = malloc((size_t)len + 4096);
	assert_non_null(fdt);
	assert_int_equal(fread(fdt, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_int_equal(fdt_open_into(fdt, fdt, (int)len + 4096), 0);
	if (row->patch)
		row->patch(fdt);
	snprintf(path, sizeof(path), "/tmp/dt-numa-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, fdt, fdt_totalsize(fdt)), (ssize_t)fdt_totalsize(fdt));
	close(fd);
	free(fdt);
	return path;
}

/*
 * '*' in a wanted line matches any text: the addresses that other early
 * allocations of the node decide.
 */
static bool line_is(const char *line, const char *want)
{
	if (*want == '*')
		return line_is(line, want + 1) || (*line && line_is(line + 1, want));
	if (!*want)
		return !*line;
	return *line == *want && line_is(line + 1, want + 1);
}

static void expect_in_order(const struct capture *c, const char *const *want, const char *name)
{
	size_t at = 0;

	for (; *want; want++) {
		while (at < c->n && !line_is(c->lines[at], *want))
			at++;
		if (at == c->n) {
			print_error("%s: line not found (in order): '%s'\n", name, *want);
			fail();
		}
		at++;
	}
}

/*
 * Every "NODE_DATA(n) allocated [mem A-B]" lies on node n, unless the next
 * line says where it went instead ("    NODE_DATA(n) on node m").
 */
static void node_data_on_node(const struct capture *c, const struct memblock *mb)
{
	for (size_t i = 0; i < c->n; i++) {
		unsigned long long a, b;
		unsigned long spfn, epfn;
		int nid, moved;
		char other[64];

		if (sscanf(c->lines[i], "NODE_DATA(%d) allocated [mem %llx-%llx]", &nid, &a, &b) !=
			    3 &&
		    sscanf(c->lines[i], "NUMA: NODE_DATA [mem %llx-%llx]", &a, &b) != 2)
			continue;
		if (!strncmp(c->lines[i], "NUMA: ", 6))
			continue; /* 6.1 does not name the node in this line */
		snprintf(other, sizeof(other), "    NODE_DATA(%d) on node ", nid);
		moved = i + 1 < c->n && !strncmp(c->lines[i + 1], other, strlen(other));
		if (!moved) {
			assert_int_equal(mb_search_pfn_nid(mb, (unsigned long)(a >> 12), &spfn, &epfn),
					 nid);
			assert_int_equal(mb_search_pfn_nid(mb, (unsigned long)(b >> 12), &spfn, &epfn),
					 nid);
		}
	}
}

static void run_row(const struct numa_row *row)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct sim_sink sink = { capture_line, c };
	char cmdline[128];
	struct sim_options opts = { .extra_cmdline = cmdline };
	struct sim_machine m;
	struct sim_boot *b = NULL;
	const struct memblock *mb;
	const struct sim_stats *st;
	char err[256], *path = prepare_dtb(row);
	enum sim_arch arch;

	assert_non_null(c);
	snprintf(cmdline, sizeof(cmdline), "memblock=debug %s", row->cmdline);
	assert_int_equal(sim_dt_arch(path, &arch), 0);
	sim_machine_init(&m, arch);
	assert_int_equal(sim_machine_set(&m, "dtb", path, err, sizeof(err)), 0);
	if (row->profile)
		assert_int_equal(sim_machine_set(&m, "profile", row->profile, err, sizeof(err)), 0);
	if (row->node_data)
		assert_int_equal(
			sim_machine_set(&m, "node_data_size", row->node_data, err, sizeof(err)), 0);
	assert_int_equal(sim_boot(&m, &opts, &sink, &b), 0);
	unlink(path);
	expect_in_order(c, row->want, row->name);
	mb = sim_boot_memblock(b);
	node_data_on_node(c, mb);
	for (unsigned long i = 0; i < 4; i++) {
		if (row->nids[i] == -2) {
			assert_true(i >= mb->memory.cnt);
			continue;
		}
		assert_true(i < mb->memory.cnt);
		assert_int_equal(mb->memory.regions[i].nid, row->nids[i]);
	}
	st = sim_boot_stats(b);
	assert_int_equal(st->nr_failures, 0);
	assert_int_equal(st->nr_nodes, row->nr_nodes);
	sim_boot_free(b);
	free(c);
}

static void test_rows(void **state)
{
	(void)state;
	if (sizeof(mb_phys_addr_t) < 8)
		skip();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		printf("row: %s\n", rows[i].name);
		run_row(&rows[i]);
	}
}

/* The arch a DTB names: QEMU's riscv64 and arm64 trees, and none. */
static void test_dt_arch(void **state)
{
	char path[512];
	enum sim_arch arch;

	(void)state;
	snprintf(path, sizeof(path), "%s/riscv64-virt-numa2.dtb", data_dir);
	assert_int_equal(sim_dt_arch(path, &arch), 0);
	assert_int_equal(arch, SIM_ARCH_RISCV64);
	snprintf(path, sizeof(path), "%s/arm64-virt-numa4.dtb", data_dir);
	assert_int_equal(sim_dt_arch(path, &arch), 0);
	assert_int_equal(arch, SIM_ARCH_ARM64);
	snprintf(path, sizeof(path), "%s/README.md", data_dir);
	assert_int_equal(sim_dt_arch(path, &arch), -MB_EINVAL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_dt_arch),
	};

	if (argc > 1)
		data_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
