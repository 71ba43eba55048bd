// SPDX-License-Identifier: MIT
/*
 * lines.c - from a raw log to logical kernel lines: prefixes (syslog,
 * journalctl, levels, timestamps, caller ids, mail quoting), unified
 * diffs (only the new side is kept) and lines a mail client wrapped.
 */
#include <string.h>

#include "trace_internal.h"

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* @s is inside the text and holds @ch. */
static bool at(const char *s, const char *end, char ch)
{
	return s < end && *s == ch;
}

/* Past the run of @ch that starts at @s. */
static const char *skip_run(const char *s, const char *end, char ch)
{
	while (at(s, end, ch))
		s++;
	return s;
}

/* Past the digits that start at @s. */
static const char *skip_digits(const char *s, const char *end)
{
	while (s < end && is_digit(*s))
		s++;
	return s;
}

/*
 * Past one or more digits at @s and then @close; NULL when either is
 * missing. The prefixes below all end this way.
 */
static const char *digits_then(const char *s, const char *end, char close)
{
	const char *after = skip_digits(s, end);

	if (after == s || !at(after, end, close))
		return NULL;
	return after + 1;
}

/* "[    0.000000]" at @p: returns its length (with trailing blanks) or 0. */
static size_t timestamp_len(const char *p, const char *end)
{
	const char *s;

	if (!at(p, end, '['))
		return 0;
	s = digits_then(skip_run(p + 1, end, ' '), end, '.');
	if (s)
		s = digits_then(s, end, ']');
	return s ? (size_t)(s - p) : 0;
}

/* "[    T0]" / "[T0]" / "[C1]" caller ids (CONFIG_PRINTK_CALLER). */
static size_t callerid_len(const char *p, const char *end)
{
	const char *s;

	if (!at(p, end, '['))
		return 0;
	s = skip_run(p + 1, end, ' ');
	if (!at(s, end, 'T') && !at(s, end, 'C'))
		return 0;
	s = digits_then(s + 1, end, ']');
	return s ? (size_t)(s - p) : 0;
}

/* "<6>" printk level. */
static size_t level_len(const char *p, const char *end)
{
	const char *s;

	if (!at(p, end, '<'))
		return 0;
	s = digits_then(p + 1, end, '>');
	return s ? (size_t)(s - p) : 0;
}

static bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Exactly @n digits at @s: past them, or NULL. */
static const char *n_digits(const char *s, const char *end, int n)
{
	for (int i = 0; i < n; i++, s++)
		if (s >= end || !is_digit(*s))
			return NULL;
	return s;
}

/* "hh:mm:ss" at @s: past it, or NULL. */
static const char *clock_time(const char *s, const char *end)
{
	s = n_digits(s, end, 2);
	if (s && at(s, end, ':'))
		s = n_digits(s + 1, end, 2);
	else
		s = NULL;
	if (s && at(s, end, ':'))
		s = n_digits(s + 1, end, 2);
	else
		s = NULL;
	return s;
}

/* dmesg -T: "[Tue Dec  5 22:32:38 2023]" (ctime() text in brackets). */
static size_t walltime_len(const char *p, const char *end)
{
	const char *s = p + 1;

	if (!at(p, end, '[') || end - p < 25)
		return 0;
	for (int i = 0; i < 3; i++)
		if (!is_alpha(s[i]) || !is_alpha(s[i + 4]))
			return 0;
	if (s[3] != ' ' || s[7] != ' ')
		return 0;
	s = skip_run(s + 8, end, ' ');
	s = skip_digits(s, end);
	if (!at(s, end, ' ') || !(s = clock_time(s + 1, end)) || !at(s, end, ' '))
		return 0;
	s = skip_digits(s + 1, end);
	return at(s, end, ']') ? (size_t)(s + 1 - p) : 0;
}

/*
 * dmesg --time-format iso: "2023-12-05T22:32:38,123456+00:00" (also with
 * '.', 'Z' or +hhmm), followed by a blank.
 */
static size_t iso_len(const char *p, const char *end)
{
	const char *s = n_digits(p, end, 4);

	if (s && at(s, end, '-'))
		s = n_digits(s + 1, end, 2);
	else
		return 0;
	if (s && at(s, end, '-'))
		s = n_digits(s + 1, end, 2);
	else
		return 0;
	if (!s || !at(s, end, 'T') || !(s = clock_time(s + 1, end)))
		return 0;
	if (at(s, end, ',') || at(s, end, '.'))
		s = skip_digits(s + 1, end);
	if (at(s, end, 'Z')) {
		s++;
	} else if (at(s, end, '+') || at(s, end, '-')) {
		s++;
		while (s < end && (is_digit(*s) || *s == ':'))
			s++;
	}
	return s < end && is_blank(*s) ? (size_t)(s - p) : 0;
}

/* dmesg -x: "kern  :info  : " (facility and level, padded). */
static size_t facility_len(const char *p, const char *end)
{
	static const char *const levels[] = { "emerg", "alert", "crit", "err",
					      "warn",  "notice", "info", "debug" };
	const char *s = p, *w;

	while (s < end && (is_alpha(*s) || is_digit(*s)))
		s++;
	if (s == p || s - p > 8)
		return 0;
	s = skip_run(s, end, ' ');
	if (!at(s, end, ':'))
		return 0;
	w = ++s;
	while (s < end && is_alpha(*s))
		s++;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if ((size_t)(s - w) != strlen(levels[i]) || memcmp(w, levels[i], (size_t)(s - w)))
			continue;
		s = skip_run(s, end, ' ');
		if (!at(s, end, ':'))
			return 0;
		return (size_t)(s + 1 - p);
	}
	return 0;
}

/*
 * syslog / journalctl: "Nov 25 10:00:00 host kernel: ", "2026-11-25T10:00:00+0000
 * host kernel: ", or after a monotonic timestamp "host kernel: ".
 */
static size_t syslog_len(const char *p, const char *end)
{
	static const char tag[] = " kernel: ";
	size_t n = (size_t)(end - p), max = n < 96 ? n : 96;
	unsigned int words = 0;

	for (size_t i = 0; i + sizeof(tag) - 1 <= max; i++) {
		if (p[i] == '[' || p[i] == '=')
			return 0;
		if (p[i] == ' ')
			words++;
		if (p[i] == ' ' && !memcmp(p + i, tag, sizeof(tag) - 1))
			return words <= 5 ? i + sizeof(tag) - 1 : 0;
	}
	return 0;
}

const char *mbt_strip_prefixes(const char *line, size_t len, size_t *out_len)
{
	const char *p = line, *end = line + len;
	size_t n;
	bool again = true;

	while (end > p && (end[-1] == '\r' || end[-1] == '\n' || is_blank(end[-1])))
		end--;
	for (int round = 0; again && round < 8; round++) {
		again = false;
		while (p < end && (is_blank(*p) || *p == '>')) {
			p++;
			again = true;
		}
		n = level_len(p, end);
		if (!n)
			n = timestamp_len(p, end);
		if (!n)
			n = walltime_len(p, end);
		if (!n)
			n = iso_len(p, end);
		if (!n)
			n = facility_len(p, end);
		if (!n)
			n = callerid_len(p, end);
		if (!n)
			n = syslog_len(p, end);
		if (n) {
			p += n;
			again = true;
		}
	}
	*out_len = (size_t)(end - p);
	return p;
}

/* ---- the line reader ---- */

static bool line_starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

static void detect_diff(struct mbt_parser *p)
{
	const char *s = p->buf, *end = p->buf + p->len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		if (line_starts(s, le, "@@ -") || line_starts(s, le, "+memblock_") ||
		    line_starts(s, le, "+MEMBLOCK") || line_starts(s, le, "-memblock_")) {
			p->diff_mode = true;
			return;
		}
		s = le + 1;
	}
}

void mbt_parser_init(struct mbt_parser *p, const char *buf, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->buf = buf;
	p->len = len;
	detect_diff(p);
}

/*
 * Serial captures: terminal escape sequences (colours, cursor moves) and
 * control characters go; a carriage return inside the line means the text
 * before it was overwritten on the terminal, so only what follows counts.
 * The cleaned line is copied to p->clean; a clean line is left in place.
 */
static void clean_line(struct mbt_parser *p, const char **start, const char **end)
{
	const char *s = *start, *e = *end;
	size_t n = 0;

	while (e > s && (e[-1] == '\r' || e[-1] == '\n'))
		e--;
	for (const char *q = s; q < e; q++)
		if (*q == '\r')
			s = q + 1;
	for (const char *q = s; q < e; q++)
		if ((unsigned char)*q < 0x20 && *q != '\t')
			goto dirty;
	*start = s;
	*end = e;
	return;
dirty:
	for (const char *q = s; q < e && n < sizeof(p->clean); q++) {
		if (*q == 0x1b && q + 1 < e && q[1] == '[') {
			q += 2;
			while (q < e && !(*q >= 0x40 && *q <= 0x7e))
				q++;
			continue;
		}
		if (*q == 0x1b) {
			q++; /* ESC and the one character it introduces */
			continue;
		}
		if ((unsigned char)*q < 0x20 && *q != '\t')
			continue;
		p->clean[n++] = *q;
	}
	*start = p->clean;
	*end = p->clean + n;
}

/* Next physical line at p->pos: [*start, *end); advances pos and lineno. */
static bool read_line(struct mbt_parser *p, const char **start, const char **end)
{
	const char *s, *nl;

	if (p->pos >= p->len)
		return false;
	s = p->buf + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	*start = s;
	*end = nl ? nl : p->buf + p->len;
	p->pos = nl ? (size_t)(nl - p->buf) + 1 : p->len;
	p->lineno++;
	return true;
}

enum diff_class { DIFF_KEEP, DIFF_DROP, DIFF_CONT };

/* Diff mode: '+' and ' ' lines are the new side, '-' and '@@' go. */
static enum diff_class diff_classify(struct mbt_parser *p, const char **s, const char *end)
{
	if (!p->diff_mode || *s >= end)
		return p->skip_old_side && *s < end ? DIFF_DROP : DIFF_KEEP;
	switch (**s) {
	case '+':
	case ' ':
		p->skip_old_side = false;
		(*s)++;
		return DIFF_KEEP;
	case '-':
		p->skip_old_side = true;
		return DIFF_DROP;
	case '@':
		if (line_starts(*s, end, "@@"))
			return DIFF_DROP;
		break;
	default:
		break;
	}
	return p->skip_old_side ? DIFF_DROP : DIFF_CONT;
}

/* Could this physical line be the wrapped tail of the previous one? */
static bool may_continue(struct mbt_parser *p, const char *s, const char *end)
{
	const char *q = s;

	if (s >= end)
		return false;
	if (p->diff_mode && (*s == '+' || *s == '-' || *s == ' ' || *s == '@'))
		return false;
	while (q < end && (*q == '>' || is_blank(*q)))
		q++;
	if (q >= end || timestamp_len(q, end) || level_len(q, end) || walltime_len(q, end) ||
	    iso_len(q, end) || facility_len(q, end) || syslog_len(q, end))
		return false;
	return true;
}

/* A lone "symbol+0xoff/0xsize" or "0x..." token: a wrapped %pS caller. */
static bool looks_like_caller(const char *m, size_t len)
{
	bool plus = false, slash = false;

	for (size_t i = 0; i < len; i++) {
		if (is_blank(m[i]))
			return false;
		plus |= m[i] == '+';
		slash |= m[i] == '/';
	}
	return (plus && slash) || (len > 2 && m[0] == '0' && m[1] == 'x');
}

struct join_point {
	size_t pos;
	unsigned int lineno;
	bool skip_old_side;
};

static void join_save(const struct mbt_parser *p, struct join_point *jp)
{
	jp->pos = p->pos;
	jp->lineno = p->lineno;
	jp->skip_old_side = p->skip_old_side;
}

static void join_restore(struct mbt_parser *p, const struct join_point *jp)
{
	p->pos = jp->pos;
	p->lineno = jp->lineno;
	p->skip_old_side = jp->skip_old_side;
}

/*
 * The record at hand is incomplete: try to append up to two following
 * physical lines. Keep the longest join that parses into a usable record
 * (complete first, else caller-less); otherwise leave the lines alone.
 */
static void try_join(struct mbt_parser *p, const char *msg, size_t len, struct mbt_record *rec,
		     enum mbt_parse_result res)
{
	struct join_point start, best;
	struct mbt_record joined, usable;
	bool have_usable = false;
	size_t used = len;

	join_save(p, &start);
	if (len >= sizeof(p->join))
		goto out;
	memcpy(p->join, msg, len);
	for (int k = 1; k <= 2; k++) {
		const char *s, *e, *m;
		size_t mlen;
		enum mbt_parse_result jr;

		if (!read_line(p, &s, &e))
			break;
		clean_line(p, &s, &e);
		if (!may_continue(p, s, e))
			break;
		m = mbt_strip_prefixes(s, (size_t)(e - s), &mlen);
		if (!mlen || used + 1 + mlen >= sizeof(p->join))
			break;
		if ((res == MBT_PARSE_PARTIAL || have_usable) && !looks_like_caller(m, mlen))
			break;
		p->join[used++] = ' ';
		memcpy(p->join + used, m, mlen);
		used += mlen;
		jr = mbt_parse_message(p->join, used, &joined);
		if (joined.kind == MBT_NOISE)
			break;
		joined.line = rec->line;
		joined.lines = (unsigned int)k + 1;
		if (jr == MBT_PARSE_COMPLETE) {
			if (joined.kind == MBT_MALFORMED)
				break;
			*rec = joined;
			return;
		}
		if (jr == MBT_PARSE_PARTIAL) {
			usable = joined;
			have_usable = true;
			join_save(p, &best);
			continue;
		}
		if (joined.why && strcmp(joined.why, "truncated line"))
			break;
	}
out:
	if (have_usable) {
		join_restore(p, &best);
		*rec = usable;
		return;
	}
	join_restore(p, &start);
	if (res == MBT_PARSE_PARTIAL)
		return; /* usable as it is: only the caller is missing */
	rec->kind = MBT_MALFORMED;
	if (!rec->why)
		rec->why = "truncated line";
}

bool mbt_parser_next(struct mbt_parser *p, struct mbt_record *rec)
{
	const char *s, *e, *msg;
	size_t len;
	enum mbt_parse_result res;

	while (read_line(p, &s, &e)) {
		clean_line(p, &s, &e);
		if (diff_classify(p, &s, e) == DIFF_DROP)
			continue;
		msg = mbt_strip_prefixes(s, (size_t)(e - s), &len);
		if (!len)
			continue;
		res = mbt_parse_message(msg, len, rec);
		if (rec->kind == MBT_NOISE)
			continue;
		rec->line = p->lineno;
		rec->lines = 1;
		if (res != MBT_PARSE_COMPLETE)
			try_join(p, msg, len, rec, res);
		return true;
	}
	return false;
}
