# What a new user types. Every target sets itself up first.
BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_32   ?= build-phys32
MESON_OPTS ?=
# Warnings are errors for developers and CI, not for whoever builds a release.
WERROR     ?= --werror

.PHONY: all setup build run test test-normal test-san test-phys32 bench bench-linux code-size check-linux \
	check-browser check-metal check-realboot screenshots fuzz clean

all: build

setup:
	@./scripts/bootstrap

$(BUILD)/build.ninja: | setup
	meson setup $(BUILD) $(WERROR) $(MESON_OPTS)

$(BUILD_SAN)/build.ninja: | setup
	meson setup $(BUILD_SAN) $(WERROR) -Db_sanitize=address,undefined -Db_lundef=false $(MESON_OPTS)

$(BUILD_32)/build.ninja: | setup
	meson setup $(BUILD_32) $(WERROR) -Dphys32=true $(MESON_OPTS)

build: setup $(BUILD)/build.ninja
	meson compile -C $(BUILD)

# The main job: boot the seed 000 machine and show what memblock did.
run: build
	./scripts/run-main $(BUILD)

# Every suite three times: normal, ASan+UBSan, 32-bit phys_addr_t. Each
# run keeps going on failure so the closing line counts every test.
test:
	@rc=0; \
	$(MAKE) --no-print-directory test-normal || rc=1; \
	$(MAKE) --no-print-directory test-san || rc=1; \
	$(MAKE) --no-print-directory test-phys32 || rc=1; \
	./scripts/test-summary $(BUILD) $(BUILD_SAN) $(BUILD_32) || rc=1; \
	exit $$rc

test-normal: setup $(BUILD)/build.ninja
	meson compile -C $(BUILD)
	meson test -C $(BUILD) --print-errorlogs

test-san: setup $(BUILD_SAN)/build.ninja
	meson compile -C $(BUILD_SAN)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	  meson test -C $(BUILD_SAN) --print-errorlogs

test-phys32: setup $(BUILD_32)/build.ninja
	meson compile -C $(BUILD_32)
	meson test -C $(BUILD_32) --print-errorlogs --suite phys32

bench: build
	meson test -C $(BUILD) --benchmark --verbose

# Side by side: the kernel's mm/memblock.c and ours, one benchmark source
# built twice, run alternately (see scripts/bench-linux).
bench-linux: setup build
	./scripts/bench-linux $(BUILD)

# The core's code size at -Os, x86-64 and riscv64 (docs/core.md).
code-size: setup build
	./scripts/code-size $(BUILD)

check-linux: setup build
	./scripts/check-linux $(BUILD)

# The bare-metal payloads under QEMU, each compared with `memblock boot --payload`.
check-metal: setup build
	./scripts/check-metal $(BUILD)

# Debian's 6.1 and 6.12 kernels booted under QEMU (cached), replayed and
# predicted by the simulator (docs/realboot.md).
check-realboot: setup build
	./scripts/check-realboot $(BUILD)

# The memory map pages in headless Chromium (DOM, console, screenshots).
check-browser: build
	./scripts/check-browser $(BUILD)

# check-browser, then copy its screenshots to docs/img/.
screenshots: build
	./scripts/check-browser $(BUILD) --update-docs

fuzz: setup
	./scripts/run-fuzz

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_32) build-metal
