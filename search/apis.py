"""The search API: GET /api/search and GET /api/articles/<slug>/related (RealWorld list items plus score)."""
import time

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from conduit.api import TenantApi
from conduit.exceptions import NotFound
from conduit.fields import Choice, Integer, Text
from conduit.metrics import SEARCH_LATENCY
from content.selectors import ArticleListItemOut
from search import engine
from search.backends import get_backend
from search.documents import Filters
from search.query import MAX_QUERY_LENGTH, parse
from search.selectors import articles_by_id
from tenants.context import require_tenant


def _page(hits, *, user):
    """Hydrate hits from the tenant DB in a few queries, keeping the ranking; ids gone from the DB are skipped."""
    items = articles_by_id(ids=[h.id for h in hits], user=user)
    return [{**items[h.id], "score": round(h.score, 6), **({"highlights": h.highlights} if h.highlights else {}),
             **h.details} for h in hits if h.id in items]


class SearchHitOut(ArticleListItemOut):
    score = serializers.FloatField()
    highlights = inline_serializer(name="SearchHighlights", required=False, fields={
        "title": serializers.CharField(), "body": serializers.CharField(),
    })
    readingTime = serializers.IntegerField(required=False)  # noqa: N815
    keywords = serializers.ListField(child=serializers.CharField(), required=False)


SEARCH_RESPONSE = inline_serializer(name="SearchResponse", fields={
    "articles": SearchHitOut(many=True), "articlesCount": serializers.IntegerField(),
    "mode": serializers.ChoiceField(choices=engine.MODES), "degraded": serializers.BooleanField(),
})
RELATED_RESPONSE = inline_serializer(name="RelatedArticlesResponse", fields={
    "articles": SearchHitOut(many=True), "articlesCount": serializers.IntegerField(),
    "degraded": serializers.BooleanField(),
})


class SearchApi(TenantApi):
    """Published articles of this site matching a query: by words (BM25), by meaning, or both (hybrid)."""

    class InputSerializer(serializers.Serializer):
        q = Text(max_length=MAX_QUERY_LENGTH)
        mode = Choice(choices=engine.MODES, default="hybrid")
        tag = Text(max_length=100, required=False)
        author = Text(max_length=150, required=False)
        limit = Integer(min_value=1, max_value=100, default=20)
        offset = Integer(min_value=0, max_value=10_000, default=0)

    @extend_schema(operation_id="SearchArticles", tags=["Search"], parameters=[InputSerializer],
                   responses={200: SEARCH_RESPONSE, 422: None})
    def get(self, request):
        started = time.perf_counter()
        serializer = self.InputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        params = serializer.validated_data
        result = engine.search(
            tenant=require_tenant().slug, query=parse(params["q"]), mode=params["mode"],
            filters=Filters(tag=params.get("tag"), author=params.get("author")),
            limit=params["limit"], offset=params["offset"],
        )
        body = {
            "articles": _page(result.hits, user=request.user),
            "articlesCount": result.total,
            "mode": result.mode,
            "degraded": result.degraded,
        }
        SEARCH_LATENCY.labels(mode=params["mode"]).observe(time.perf_counter() - started)
        return Response(body)


class RelatedArticlesApi(TenantApi):
    """Published articles nearest in meaning to one article (itself excluded)."""

    class InputSerializer(serializers.Serializer):
        limit = Integer(min_value=1, max_value=20, default=5)

    @extend_schema(operation_id="GetRelatedArticles", tags=["Search"], parameters=[InputSerializer],
                   responses={200: RELATED_RESPONSE, 404: None, 422: None})
    def get(self, request, slug):
        started = time.perf_counter()
        serializer = self.InputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        tenant = require_tenant().slug
        found = get_backend().lookup(tenant, slug)
        if found is None:
            raise NotFound("article")
        article_id, vector = found
        if vector is None:  # text indexed, meaning not embedded yet
            return Response({"articles": [], "articlesCount": 0, "degraded": True})
        limit = serializer.validated_data["limit"]
        hits = engine.related(tenant=tenant, article_id=article_id, vector=vector, limit=limit)
        articles = _page(hits, user=request.user)
        SEARCH_LATENCY.labels(mode="related").observe(time.perf_counter() - started)
        return Response({"articles": articles, "articlesCount": len(articles), "degraded": False})
