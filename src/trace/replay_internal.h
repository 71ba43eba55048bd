/* SPDX-License-Identifier: MIT */
/* replay_internal.h - shared by the replay files of src/trace. */
#ifndef MEMBLOCK_REPLAY_INTERNAL_H
#define MEMBLOCK_REPLAY_INTERNAL_H

#include <stdio.h>

#include "trace_internal.h"

#if defined(__GNUC__)
#define MBT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MBT_PRINTF(a, b)
#endif

void mbti_replay_note(struct mbt_replay *r, const char *fmt, ...) MBT_PRINTF(2, 3);
bool mbti_to_phys(uint64_t v, mb_phys_addr_t *out);
uint64_t mbti_range_size(uint64_t base, uint64_t last);

int mbti_state_alloc(struct mbt_replay *r);
void mbti_state_free(struct mbt_replay *r);
int mbti_state_init(struct mbt_replay *r);
int mbti_state_from_dump(struct mbt_replay *r, bool seed, unsigned int line);
int mbti_state_from_firmware(struct mbt_replay *r, const char *buf, size_t len);

/* detect.c */
int mbti_replay_detect(struct mbt_replay *r, const char *buf, size_t len);
int mbti_dump_collect(struct mbt_replay *r, const struct mbt_record *rec);
void mbti_dump_reset(struct mbt_replay *r);

/* replay_infer.c */
void mbti_replay_infer_init(struct mbt_replay *r, const char *buf, size_t len);
void mbti_replay_infer_numa_line(struct mbt_replay *r, const struct mbt_record *rec);
void mbti_replay_infer_before(struct mbt_replay *r, const struct mbt_record *rec);
bool mbti_replay_infer_memory_flags(struct mbt_replay *r);
void mbti_replay_infer_note(struct mbt_replay *r, const char *fmt, ...) MBT_PRINTF(2, 3);

#endif
