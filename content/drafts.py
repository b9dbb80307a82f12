"""The caller's own unpublished articles: GET /api/user/drafts, GET /api/user/scheduled (the author's profile lists
them; nobody else's are ever listed), and GET /api/site/scheduled (every author's scheduled articles, for owners)."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.roles import is_owner
from conduit.api import PAGE_PARAMS, AuthenticatedApi, page
from content import selectors
from content.apis import ARTICLES_RESPONSE
from content.models import Article
from content.services import Forbidden

SCHEDULED_ORDER = "a.publish_at ASC, a.id ASC"  # next to go out first


def draft_list(*, user, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """A page of `user`'s drafts, newest first, as list items (no body), and the total count."""
    if selectors._is_mongodb():  # spike 14
        from content import selectors_orm
        return selectors_orm.draft_list(user=user, limit=limit, offset=offset)
    _ids, items, count = selectors._page(["a.status = %s", "a.author_id = %s"], [Article.Status.DRAFT, user.pk],
                                         user=user, limit=limit, offset=offset)
    return items, count


def scheduled_list(*, user, everyone: bool = False, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """A page of scheduled articles, the next due first: `user`'s own, or every author's (`everyone`)."""
    if selectors._is_mongodb():  # spike 14
        from content import selectors_orm
        return selectors_orm.scheduled_list(user=user, everyone=everyone, limit=limit, offset=offset)
    where, params = ["a.status = %s"], [Article.Status.SCHEDULED]
    if not everyone:
        where.append("a.author_id = %s")
        params.append(user.pk)
    _ids, items, count = selectors._page(where, params, user=user, limit=limit, offset=offset, order=SCHEDULED_ORDER)
    return items, count


class UserDraftsApi(AuthenticatedApi):
    """The logged-in user's drafts, newest first (published articles are listed by GET /api/articles)."""

    @extend_schema(operation_id="GetUserDrafts", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        articles, count = draft_list(user=request.user, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})


class UserScheduledApi(AuthenticatedApi):
    """The logged-in user's scheduled articles, the next due first (each with its `publishAt`)."""

    @extend_schema(operation_id="GetUserScheduled", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        articles, count = scheduled_list(user=request.user, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})


class SiteScheduledApi(AuthenticatedApi):
    """Every scheduled article of the site, the next due first: site owners only (403 for anyone else)."""

    @extend_schema(operation_id="GetSiteScheduled", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        if not is_owner(request.user):
            raise Forbidden("site")
        articles, count = scheduled_list(user=request.user, everyone=True, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})
