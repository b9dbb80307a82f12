"""The caller's own unpublished articles: GET /api/user/drafts, GET /api/user/scheduled (the author's profile lists
them; nobody else's are ever listed), and GET /api/site/scheduled (every author's scheduled articles, for owners)."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.roles import is_owner
from conduit.api import PAGE_PARAMS, AuthenticatedApi, page
from content import selectors
from content.apis import ARTICLES_RESPONSE
from content.services import Forbidden


class UserDraftsApi(AuthenticatedApi):
    """The logged-in user's drafts, newest first (published articles are listed by GET /api/articles)."""

    @extend_schema(operation_id="GetUserDrafts", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        articles, count = selectors.draft_list(user=request.user, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})


class UserScheduledApi(AuthenticatedApi):
    """The logged-in user's scheduled articles, the next due first (each with its `publishAt`)."""

    @extend_schema(operation_id="GetUserScheduled", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        articles, count = selectors.scheduled_list(user=request.user, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})


class SiteScheduledApi(AuthenticatedApi):
    """Every scheduled article of the site, the next due first: site owners only (403 for anyone else)."""

    @extend_schema(operation_id="GetSiteScheduled", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        if not is_owner(request.user):
            raise Forbidden("site")
        articles, count = selectors.scheduled_list(user=request.user, everyone=True, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})
