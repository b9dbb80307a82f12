"""The caller's own drafts: GET /api/user/drafts (the author's profile lists them; nobody else's are ever listed)."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from conduit.api import PAGE_PARAMS, AuthenticatedApi, page
from content import selectors
from content.apis import ARTICLES_RESPONSE
from content.models import Article


def draft_list(*, user, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """A page of `user`'s drafts, newest first, as list items (no body), and the total count."""
    _ids, items, count = selectors._page(["a.status = %s", "a.author_id = %s"], [Article.Status.DRAFT, user.pk],
                                         user=user, limit=limit, offset=offset)
    return items, count


class UserDraftsApi(AuthenticatedApi):
    """The logged-in user's drafts, newest first (published articles are listed by GET /api/articles)."""

    @extend_schema(operation_id="GetUserDrafts", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        articles, count = draft_list(user=request.user, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})
