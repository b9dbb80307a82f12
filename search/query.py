"""The user's query language: words (ranked, any may match), "quoted phrases" and prefix* terms (both required)."""
import re
from dataclasses import dataclass

import tantivy

MAX_QUERY_LENGTH = 500
_analyzer = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.remove_long(40))
    .filter(tantivy.Filter.lowercase())
    .build()
)
_PART = re.compile(r'"([^"]*)"|(\S+)')


def analyze(text: str) -> list[str]:
    """Tokens exactly as the embedded index's `default` tokenizer produces them."""
    return _analyzer.analyze(text)


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefixes)


def parse(raw: str) -> ParsedQuery:
    terms, phrases, prefixes = [], [], []
    for quoted, word in _PART.findall(raw):
        if quoted:
            tokens = analyze(quoted)
            if len(tokens) > 1:
                phrases.append(tuple(tokens))
            else:
                terms.extend(tokens)
        elif word.endswith("*") and len(analyze(word)) == 1:
            prefixes.append(analyze(word)[0])
        else:
            terms.extend(analyze(word))
    dedup = lambda items: tuple(dict.fromkeys(items))  # noqa: E731
    return ParsedQuery(raw=raw, terms=dedup(terms), phrases=dedup(phrases), prefixes=dedup(prefixes))
