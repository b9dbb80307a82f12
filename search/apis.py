"""The search API: GET /api/search and GET /api/articles/<slug>/related (RealWorld list items plus score)."""
import time

from rest_framework import serializers, status
from rest_framework.response import Response

from conduit.errors import error_response
from conduit.metrics import SEARCH_LATENCY
from content.apis import TenantApi
from content.selectors import NotFound
from search import engine
from search.backends import get_backend
from search.documents import Filters
from search.query import MAX_QUERY_LENGTH, parse
from search.selectors import articles_by_id
from tenants.context import require_tenant


def _page(hits, *, user):
    """Hydrate hits from the tenant DB in a few queries, keeping the ranking; ids gone from the DB are skipped."""
    items = articles_by_id(ids=[h.id for h in hits], user=user)
    return [{**items[h.id], "score": round(h.score, 6), **({"highlights": h.highlights} if h.highlights else {})}
            for h in hits if h.id in items]


class SearchApi(TenantApi):
    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=MAX_QUERY_LENGTH)
        mode = serializers.ChoiceField(choices=engine.MODES, default="hybrid")
        tag = serializers.CharField(max_length=100, required=False)
        author = serializers.CharField(max_length=150, required=False)
        limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
        offset = serializers.IntegerField(min_value=0, max_value=10_000, default=0)

    def get(self, request):
        started = time.perf_counter()
        serializer = self.InputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        params = serializer.validated_data
        try:
            result = engine.search(
                tenant=require_tenant().slug, query=parse(params["q"]), mode=params["mode"],
                filters=Filters(tag=params.get("tag"), author=params.get("author")),
                limit=params["limit"], offset=params["offset"],
            )
        except engine.EmbeddingUnavailable:
            response = error_response(status.HTTP_503_SERVICE_UNAVAILABLE, "q", "semantic search is warming up, retry")
            response["Retry-After"] = "5"
            return response
        body = {
            "articles": _page(result.hits, user=request.user),
            "articlesCount": result.total,
            "mode": result.mode,
            "degraded": result.degraded,
        }
        SEARCH_LATENCY.labels(mode=params["mode"]).observe(time.perf_counter() - started)
        return Response(body)


class RelatedArticlesApi(TenantApi):
    class InputSerializer(serializers.Serializer):
        limit = serializers.IntegerField(min_value=1, max_value=20, default=5)

    def get(self, request, slug):
        serializer = self.InputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        tenant = require_tenant().slug
        found = get_backend().lookup(tenant, slug)
        if found is None:
            raise NotFound("article")
        article_id, vector = found
        if vector is None:  # text indexed, meaning not embedded yet
            return Response({"articles": [], "articlesCount": 0, "degraded": True})
        hits = engine.related(tenant=tenant, article_id=article_id, vector=vector, limit=serializer.validated_data["limit"])
        articles = _page(hits, user=request.user)
        return Response({"articles": articles, "articlesCount": len(articles), "degraded": False})
