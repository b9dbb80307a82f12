"""What the index stores about an article: enough to filter, rank and highlight without the database."""
from dataclasses import dataclass, field
from datetime import datetime

from search.enrichment import document_text, extract_keywords, reading_time_minutes, text_hash


@dataclass(frozen=True)
class SearchDocument:
    id: int
    slug: str
    title: str
    description: str
    body: str
    author: str
    created_at: datetime
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    reading_time: int = 1
    text_hash: str = ""

    @property
    def text(self) -> str:
        return document_text(title=self.title, description=self.description, body=self.body)


def document_from_article(article, *, tags) -> SearchDocument:
    """Build the document of a published article (its author fetched with it) with its tag names."""
    text = document_text(title=article.title, description=article.description, body=article.body)
    return SearchDocument(
        id=article.id,
        slug=article.slug,
        title=article.title,
        description=article.description,
        body=article.body,
        author=article.author.username,
        created_at=article.created_at,
        tags=tuple(sorted(tags)),
        keywords=tuple(extract_keywords(text)),
        reading_time=reading_time_minutes(text),
        text_hash=text_hash(text),
    )


@dataclass(frozen=True)
class Filters:
    tag: str | None = None
    author: str | None = None

    def __bool__(self):
        return bool(self.tag or self.author)


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    highlights: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)  # enrichment kept in the index: readingTime, keywords


@dataclass(frozen=True)
class HitPage:
    hits: list[Hit]
    total: int
