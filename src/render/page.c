// SPDX-License-Identifier: MIT
/*
 * page.c - the SVG document and the HTML page around the map.
 *
 * The SVG's height is known only once the lanes, legend and summary are
 * drawn, so the body is written to memory first.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

static const char svg_style[] =
	"svg{font-family:'DejaVu Sans',Verdana,Arial,sans-serif}"
	".title{font-size:20px;font-weight:700;fill:#1d2430}"
	".subtitle{font-size:12px;fill:#5b6573;font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}"
	".lane{font-size:13px;font-weight:700;fill:#1d2430}"
	".sub{font-size:11px;fill:#6b7480}"
	".tag{font-size:13px;font-weight:700}.t0{fill:#2b6cb0}.t1{fill:#c05621}"
	".track{fill:#edf0f4}"
	".hole{fill:#ffffff}"
	".brk{stroke:#8b95a1;stroke-width:1.6;fill:none}"
	".blk .pc,.agg .pc{stroke:#ffffff;stroke-opacity:.75;stroke-width:.6}"
	".blk:hover .pc,.agg:hover .pc{stroke:#1d2430;stroke-opacity:1;stroke-width:1.2}"
	".lbl{font-size:11px;text-anchor:middle;pointer-events:none}"
	".addr{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:10px;fill:#4a5361}"
	".tick{stroke:#c3cad3;stroke-width:1}"
	".leg text{font-size:12px;fill:#2d3540}.leg{cursor:pointer}"
	".mark{fill:none;stroke-width:2.5;pointer-events:none}"
	".m-added{stroke:#1a9850}.m-removed{stroke:#d73027;stroke-dasharray:4 2}"
	".m-moved{stroke:#f08a24}.sw.m-added,.sw.m-removed,.sw.m-moved{stroke-width:2.5}"
	".h{font-size:13px;font-weight:700;fill:#1d2430}"
	".s{font-size:11.5px;fill:#2d3540}.n{font-family:'DejaVu Sans Mono',Menlo,monospace}"
	".dim{opacity:.22}";

static const char page_style[] =
	"body{margin:0;background:#f4f6f8;color:#1d2430;"
	"font-family:'DejaVu Sans',Verdana,Arial,sans-serif}"
	"header{padding:16px 24px 4px}h1{font-size:20px;margin:0}"
	".subtitle{color:#5b6573;font-size:12px;margin:4px 0 0;"
	"font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}"
	"main{display:flex;gap:16px;padding:10px 16px 16px;align-items:flex-start}"
	".card{background:#fff;border:1px solid #dfe4ea;border-radius:8px;"
	"box-shadow:0 1px 3px rgba(20,30,40,.06)}"
	".mapcard{flex:none;padding:4px 4px 10px}"
	"#info{margin:0 14px;padding:8px 10px;min-height:48px;font-size:11.5px;background:#f7f8fa;"
	"border-radius:6px;white-space:pre-wrap;font-family:'DejaVu Sans Mono',Menlo,monospace}"
	"aside{flex:1;min-width:360px;max-width:480px;padding:4px 16px 12px}"
	"aside h2{font-size:12px;margin:14px 0 6px;text-transform:uppercase;letter-spacing:.05em;"
	"color:#5b6573}aside h2.view{color:#1d2430;font-size:13px;text-transform:none}"
	"table{border-collapse:collapse;width:100%;font-size:12px}"
	"td{padding:2px 0;vertical-align:top;white-space:nowrap}td[colspan]{white-space:normal}"
	"td.n{text-align:right;white-space:nowrap;padding-left:10px;"
	"font-family:'DejaVu Sans Mono',Menlo,monospace}"
	".sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}"
	".leg.sel text{font-weight:700}";

/* No '<' or '&' so the page stays well-formed XML without CDATA. */
static const char page_script[] =
	"(function(){var info=document.getElementById('info');"
	"document.querySelectorAll('.blk,.agg').forEach(function(b){"
	"b.addEventListener('mouseenter',function(){var t=b.querySelector('title');"
	"if(t){info.textContent=t.textContent;}});});"
	"document.querySelectorAll('.leg').forEach(function(l){"
	"l.addEventListener('click',function(){var k=l.getAttribute('data-kind');"
	"var on=!l.classList.contains('sel');"
	"document.querySelectorAll('.leg').forEach(function(x){x.classList.remove('sel');});"
	"document.querySelectorAll('.blk').forEach(function(b){"
	"b.classList.toggle('dim',on?b.getAttribute('data-kind')!==k:false);});"
	"if(on){l.classList.add('sel');}});});"
	"document.documentElement.setAttribute('data-ready','1');})();";

static int prepare(struct mbr_canvas *c, const struct mbr_map *a, const struct mbr_map *b)
{
	memset(c, 0, sizeof(*c));
	c->nr_views = b ? 2 : 1;
	if (mbri_view_prepare(&c->views[0], a) || (b && mbri_view_prepare(&c->views[1], b)))
		return -MB_ENOMEM;
	if (b)
		mbri_diff_mark(&c->views[0], &c->views[1]);
	return mbri_canvas_layout(c);
}

static void svg_header(struct mbr_canvas *c, FILE *out, double height)
{
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mbmap\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" data-views=\"%d\">\n",
		c->width, height, c->width, height, c->nr_views);
	fprintf(out,
		"<style>%s</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		svg_style);
}

static void svg_title(struct mbr_canvas *c, const struct mbr_map *a, const struct mbr_map *b)
{
	fputs("<text class=\"title\" x=\"14\" y=\"30\">", c->out);
	mbri_put_escaped(c->out, b ? "memblock diff" : a->title);
	fputs("</text>\n<text class=\"subtitle\" x=\"14\" y=\"50\">", c->out);
	if (b) {
		fputs("A: ", c->out);
		mbri_put_escaped(c->out, a->title);
		fputs("   B: ", c->out);
		mbri_put_escaped(c->out, b->title);
	} else {
		mbri_put_escaped(c->out, a->subtitle);
	}
	fputs("</text>\n", c->out);
}

/* The SVG body (everything inside <svg>) into memory; its height out. */
static int svg_body(struct mbr_canvas *c, const struct mbr_map *a, const struct mbr_map *b,
		    bool standalone, char **buf, size_t *len, double *height)
{
	FILE *mem = open_memstream(buf, len);
	double y;
	int ret;

	if (!mem)
		return -MB_ENOMEM;
	c->out = mem;
	if (standalone)
		svg_title(c, a, b);
	ret = mbri_draw_map(c, standalone ? 70 : 18);
	y = mbri_draw_legend(c, c->height);
	if (standalone)
		y = mbri_draw_svg_summary(c, y + 6);
	*height = y + 14;
	if (fclose(mem) && !ret)
		ret = -MB_ENOMEM;
	return ret;
}

static int write_svg(struct mbr_canvas *c, const struct mbr_map *a, const struct mbr_map *b,
		     FILE *out, bool standalone)
{
	char *body = NULL;
	size_t len = 0;
	double height;
	int ret = svg_body(c, a, b, standalone, &body, &len, &height);

	if (!ret) {
		if (standalone)
			fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
		svg_header(c, out, height);
		fwrite(body, 1, len, out);
		fputs("</svg>\n", out);
	}
	free(body);
	return ret;
}

static int write_html(struct mbr_canvas *c, const struct mbr_map *a, const struct mbr_map *b,
		      FILE *out)
{
	int ret;

	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>memblock map: ",
	      out);
	mbri_put_escaped(out, a->title);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>", page_style);
	mbri_put_escaped(out, b ? "memblock diff" : a->title);
	fputs("</h1><p class=\"subtitle\">", out);
	if (b) {
		fputs("A: ", out);
		mbri_put_escaped(out, a->title);
		fputs(" | B: ", out);
		mbri_put_escaped(out, b->title);
	} else {
		mbri_put_escaped(out, a->subtitle);
	}
	fputs("</p></header>\n<main>\n<section class=\"card mapcard\">\n", out);
	ret = write_svg(c, a, b, out, false);
	fputs("<pre id=\"info\">Hover a block for its range, flags, node, kind and caller; "
	      "click a legend entry to highlight that kind.</pre>\n</section>\n"
	      "<aside class=\"card summary\">\n",
	      out);
	c->out = out;
	c->html = true;
	mbri_write_html_summary(c);
	fprintf(out, "</aside>\n</main>\n<script>%s</script>\n</body>\n</html>\n", page_script);
	return ret;
}

static int write_any(const struct mbr_map *a, const struct mbr_map *b, FILE *out,
		     enum mbr_format fmt)
{
	struct mbr_canvas *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -MB_ENOMEM;
	ret = prepare(c, a, b);
	if (!ret)
		ret = fmt == MBR_HTML ? write_html(c, a, b, out) : write_svg(c, a, b, out, true);
	mbri_canvas_release(c);
	free(c);
	if (!ret && ferror(out))
		ret = -MB_EINVAL;
	return ret;
}

int mbr_write(const struct mbr_map *map, FILE *out, enum mbr_format fmt)
{
	return write_any(map, NULL, out, fmt);
}

int mbr_write_diff(const struct mbr_map *a, const struct mbr_map *b, FILE *out, enum mbr_format fmt)
{
	return write_any(a, b, out, fmt);
}

int mbr_write_file(const struct mbr_map *a, const struct mbr_map *b, const char *path,
		   enum mbr_format fmt, char *err, size_t errlen)
{
	FILE *out = fopen(path, "w");
	int ret;

	if (!out) {
		if (err)
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -MB_EINVAL;
	}
	ret = write_any(a, b, out, fmt);
	if (fclose(out) && !ret)
		ret = -MB_EINVAL;
	if (ret && err)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 ret == -MB_ENOMEM ? "out of memory" : "write error");
	return ret;
}
