"""Highlighted snippets from tantivy, as HTML-escaped text with <mark> around the matched terms."""
from html import escape

import tantivy

TITLE_CHARS = 300
BODY_CHARS = 200


def _marked(snippet) -> str:
    """tantivy's highlight ranges are byte offsets into the UTF-8 fragment."""
    raw = snippet.fragment().encode("utf-8")
    out, cursor = [], 0
    for span in sorted(snippet.highlighted(), key=lambda r: r.start):
        out.append(escape(raw[cursor : span.start].decode("utf-8", "replace")))
        out.append(f"<mark>{escape(raw[span.start : span.end].decode('utf-8', 'replace'))}</mark>")
        cursor = span.end
    out.append(escape(raw[cursor:].decode("utf-8", "replace")))
    return "".join(out)


class Highlighter:
    """Snippet generators for title and body, made once per search and applied to each hit."""

    def __init__(self, searcher, schema, query):
        self.generators = {}
        for field, size in (("title", TITLE_CHARS), ("body", BODY_CHARS)):
            generator = tantivy.SnippetGenerator.create(searcher, query, schema, field)
            generator.set_max_num_chars(size)
            self.generators[field] = (generator, size)

    def __call__(self, doc) -> dict:
        """{"title": ..., "body": ...}: a title without a match is returned whole (tantivy's snippet would be empty)."""
        result = {}
        for field, (generator, size) in self.generators.items():
            snippet = generator.snippet_from_doc(doc)
            if snippet.fragment() and snippet.highlighted():
                result[field] = _marked(snippet)
            else:
                text = doc.get_first(field) or ""
                result[field] = escape(text if field == "title" else text[:size])
        return result
