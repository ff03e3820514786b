"""The ``html`` format: a self-contained page for the report and the timeline.

The page needs no network: its style and its small script are inline, and
its Content-Security-Policy allows only those two, by their SHA-256 hashes,
so that nothing else could run even if some text escaped its escaping.  The
script sorts a table when its heading is clicked, and filters the rows by
verdict and by source; without it the page reads the same, unsorted and
unfiltered.  On a narrow screen each row becomes a card whose cells are
labelled with their headings.

Every piece of ledger text is made `visible` and HTML-escaped; links are
written only for http(s) addresses.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

from ._layout import NOTE, Cell, Document, Line, Section, Span, escaped
from ._text import HTML, visible

__all__ = ["SCRIPT", "STYLE", "page"]

STYLE = """\
:root { --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d0d0d0; --band: #f6f6f6; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 84em; padding: 1em; color: var(--ink); line-height: 1.45; }
h1 { font-size: 1.45em; margin: .2em 0 .4em; }
h2 { font-size: 1.15em; margin: 1.8em 0 .5em; padding-left: .5em;
     border-left: .35em solid var(--rule); }
.summary { color: var(--muted); margin: .2em 0; }
nav.filters { display: flex; flex-wrap: wrap; gap: .5em 1.2em; align-items: center;
              margin: 1em 0; padding: .6em .8em; background: var(--band); border-radius: .4em; }
nav.filters[hidden] { display: none; }
figure.graph { margin: 0; overflow-x: auto; }
figure.graph svg { max-width: 100%; height: auto; }
nav.filters label { display: flex; align-items: center; gap: .4em; min-width: 0;
                    max-width: 100%; }
nav.filters select { font: inherit; padding: .15em .3em; min-width: 0; max-width: 24em; }
.shown, #f-count { color: var(--muted); font-weight: normal; font-size: .9em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--rule); padding: .4em .5em; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--band); white-space: nowrap; }
th button { font: inherit; font-weight: bold; border: 0; background: none; padding: 0;
            cursor: pointer; color: inherit; }
th button::after { content: " \\2195"; color: var(--muted); font-weight: normal; }
th[aria-sort="ascending"] button::after { content: " \\2191"; }
th[aria-sort="descending"] button::after { content: " \\2193"; }
td.id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em;
        white-space: nowrap; overflow-wrap: normal; }
td.date { white-space: nowrap; }
section#established h2 { border-color: #2e7d32; }
section#reported h2 { border-color: #b26a00; }
section#disputed h2 { border-color: #6a1b9a; }
section#refuted h2 { border-color: #c62828; }
section#unsupported h2 { border-color: #757575; }
.m-excluded { color: #8a1c1c; background: #fdecec; border-radius: .3em; padding: 0 .25em; }
.m-corrects { color: #0d47a1; background: #e8f0fe; border-radius: .3em; padding: 0 .25em; }
.m-denies { font-weight: bold; }
.m-missing { color: var(--muted); }
.m-quote { font-style: italic; }
details.note { color: var(--muted); font-size: .9em; margin-top: .3em; }
details.note summary { cursor: pointer; }
a { color: #0b57d0; }
@media (max-width: 44em) {
  body { padding: .6em; }
  table, thead, tbody, tr, th, td { display: block; }
  thead tr { display: flex; flex-wrap: wrap; gap: .3em; }
  thead th { border: 0; padding: .2em .4em; border-radius: .3em; }
  tbody tr { border: 1px solid var(--rule); border-radius: .4em; margin: .6em 0;
             padding: .3em .5em; }
  tbody tr[hidden] { display: none; }
  td { border: 0; padding: .15em 0; }
  td::before { content: attr(data-label) ": "; font-weight: bold; color: var(--muted); }
  td.id { white-space: normal; overflow-wrap: anywhere; }
}"""

SCRIPT = """\
(function () {
  "use strict";
  var doc = document;
  var status = doc.getElementById("f-status");
  var source = doc.getElementById("f-source");
  function each(list, f) { Array.prototype.forEach.call(list, f); }
  function apply() {
    var shown = 0, total = 0;
    each(doc.querySelectorAll("tbody tr[data-status]"), function (tr) {
      var ok = (!status.value || tr.getAttribute("data-status") === status.value) &&
        (!source.value || tr.getAttribute("data-sources").split(" ").indexOf(source.value) >= 0);
      tr.hidden = !ok;
      total += 1;
      shown += ok ? 1 : 0;
    });
    each(doc.querySelectorAll("section[data-filtered]"), function (section) {
      var all = section.querySelectorAll("tbody tr").length;
      var visible = section.querySelectorAll("tbody tr:not([hidden])").length;
      section.hidden = visible === 0;
      section.querySelector(".shown").textContent =
        visible === all ? "" : visible + " of " + all + " shown";
    });
    doc.getElementById("f-count").textContent =
      shown === total ? "" : shown + " of " + total + " rows shown";
  }
  function sort(th) {
    var body = th.closest("table").tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-sort") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    each(th.parentNode.children, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-key");
      var y = b.cells[index].getAttribute("data-key");
      var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    each(rows, function (tr) { body.appendChild(tr); });
  }
  each(doc.querySelectorAll("th[data-sort] button"), function (button) {
    button.addEventListener("click", function () { sort(button.parentNode); });
  });
  if (status && source) {
    status.addEventListener("change", apply);
    source.addEventListener("change", apply);
    doc.getElementById("filters").hidden = false;
  }
}());"""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# The hashes cover the elements' whole text, the line breaks around it included.
_CSP = (
    f"default-src 'none'; style-src {_hash(chr(10) + STYLE + chr(10))};"
    f" script-src {_hash(chr(10) + SCRIPT + chr(10))}"
)


def _attr(text: str) -> str:
    return html.escape(visible(text), quote=True)


def _classes(mark: str) -> str:
    return " ".join("m-" + re.sub(r"[^a-z0-9-]", "-", word) for word in mark.lower().split())


def _span(span: Span) -> str:
    text = escaped(span.text, HTML.text)
    if span.mark == NOTE:
        return f'<details class="note"><summary>note</summary>{text}</details>'
    title = f' title="{_attr(span.title)}"' if span.title else ""
    if span.url and re.match(r"https?://", span.url, re.IGNORECASE):
        text = f'<a href="{_attr(span.url)}"{title} rel="noopener noreferrer">{text}</a>'
    elif title:
        text = f"<span{title}>{text}</span>"
    if span.mark:
        text = f'<span class="{_classes(span.mark)}">{text}</span>'
    return text


def _line(line: Line) -> str:
    return "".join(_span(span) for span in line)


def _cell(cell: Cell) -> str:
    return "<br>".join(filter(None, (_line(line) for line in cell)))


# Cells that read better on one line: ids (copied whole into commands) and dates.
_CLASSES = {"Id": "id", "Proposition": "id", "Date": "date"}


def _table(section: Section) -> str:
    heads = []
    for i, header in enumerate(section.headers):
        kind = section.sort[i] if i < len(section.sort) else ""
        if kind:
            heads.append(
                f'<th data-sort="{kind}"><button type="button">{HTML.text(header)}</button></th>'
            )
        else:
            heads.append(f"<th>{HTML.text(header)}</th>")
    body = []
    for r, row in enumerate(section.rows):
        data = "".join(f' data-{name}="{_attr(value)}"' for name, value in row.data)
        keys = section.keys[r] if r < len(section.keys) else ()
        cells = []
        for i, (header, cell) in enumerate(zip(section.headers, row.cells, strict=True)):
            key = f' data-key="{_attr(keys[i])}"' if i < len(keys) else ""
            css = f' class="{_CLASSES[header]}"' if header in _CLASSES else ""
            cells.append(f'<td data-label="{_attr(header)}"{css}{key}>{_cell(cell)}</td>')
        body.append(f"<tr{data}>" + "".join(cells) + "</tr>")
    return (
        "<table>\n<thead>\n<tr>"
        + "".join(heads)
        + "</tr>\n</thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def _options(values: list[tuple[str, str]]) -> str:
    return "".join(f'<option value="{_attr(v)}">{HTML.text(label)}</option>' for v, label in values)


def _filters(document: Document) -> str:
    statuses: dict[str, None] = {}
    sources: dict[str, None] = {}
    for section in document.sections:
        for row in section.rows:
            data = dict(row.data)
            if "status" in data:
                statuses.setdefault(data["status"])
                for source in data.get("sources", "").split():
                    sources.setdefault(source)
    if not statuses:
        return ""
    names = {value: label for value, label in document.choices}
    status_options = _options([("", "all"), *((s, s) for s in statuses)])
    source_options = _options([("", "all"), *((s, names.get(s, s)) for s in sources)])
    return (
        '<nav class="filters" id="filters" hidden>\n'
        f'<label>Verdict <select id="f-status">{status_options}</select></label>\n'
        f'<label>Source <select id="f-source">{source_options}</select></label>\n'
        '<span id="f-count" aria-live="polite"></span>\n</nav>'
    )


def _section(section: Section) -> str:
    filtered = any("status" in dict(row.data) for row in section.rows)
    attribute = " data-filtered" if filtered else ""
    shown = ' <span class="shown"></span>' if filtered else ""
    return (
        f'<section id="{_attr(section.name)}"{attribute}>\n'
        f"<h2>{HTML.text(section.heading)}{shown}</h2>\n{_table(section)}\n</section>"
    )


def page(document: Document, kind: str, figure: str | None = None) -> str:
    """`document` as a complete HTML page; `kind` names it in a class (``report``).

    `figure` is an ``<svg>`` element drawn by Graphviz from escaped text
    (`provenance.interop.graph.svg`), placed after the sections, folded.
    """
    title = HTML.text(document.title)
    summary = "".join(f'<p class="summary">{HTML.text(line)}</p>\n' for line in document.summary)
    links = "".join(
        f'<p class="summary">{_span(span)}</p>\n' for span in document.links if span.url
    )
    sections = "\n".join(_section(section) for section in document.sections)
    if figure:
        sections += (
            '\n<section id="graph">\n<h2>Who said what, through whom</h2>\n'
            f'<details><summary>graph</summary>\n<figure class="graph">\n{figure}\n'
            "</figure>\n</details>\n</section>"
        )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
        f'<body class="{_attr(kind)}">\n<header>\n<h1>{title}</h1>\n{summary}{links}</header>\n'
        f"{_filters(document)}\n<main>\n{sections}\n</main>\n"
        f"<script>\n{SCRIPT}\n</script>\n</body>\n</html>"
    )
