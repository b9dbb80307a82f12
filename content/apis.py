"""The RealWorld tenant API: one API class per operation, on a shared `TenantApi` base."""
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conduit.auth import INVALID_TOKEN_CHALLENGE, InvalidTokenFailed, TenantJWTAuthentication
from conduit.errors import error_response
from conduit.messages import MESSAGES
from conduit.parsers import JSONParser
from content import selectors, services
from content.models import Article
from content.selectors import NotFound
from content.serializers import (
    ArticleListItemOut, ArticleOut, Choice, CommentOut, Input, ProfileOut, TagList, Text, article_out, comment_out,
    profile_out,
)
from content.services import Conflict, Forbidden, Invalid


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = MESSAGES["too_large"]


class TenantApi(APIView):
    """Base of every tenant API view: token auth, JSON bodies, no CSRF, domain errors as RealWorld 4xx JSON.

    A presented token that fails verification (garbage, bad signature, retired key, expired, another site's, user
    gone) is a 401 where the view needs a user; where it does not, the request is answered as if it carried no
    token, with `WWW-Authenticate: Token error="invalid_token"` telling the client to refresh or log out.
    """

    authentication_classes = [TenantJWTAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or 0
        try:
            too_big = int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        except ValueError:
            too_big = True
        if too_big:
            raise PayloadTooLarge({"body": [MESSAGES["too_large"]]})
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request):
        try:
            request.user
        except InvalidTokenFailed:
            if not self._anonymous_allowed(request):
                raise
            request.user, request.auth = AnonymousUser(), None  # exactly what no token gives
            request.invalid_token = True

    def _anonymous_allowed(self, request):
        """Would this request pass the view's permissions with no user? (Permissions decide, not each view.)"""
        request.user, request.auth = AnonymousUser(), None
        return all(permission.has_permission(request, self) for permission in self.get_permissions())

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(request, "invalid_token", False):
            response["WWW-Authenticate"] = INVALID_TOKEN_CHALLENGE
        return response

    def handle_exception(self, exc):
        if isinstance(exc, NotFound):
            return error_response(status.HTTP_404_NOT_FOUND, exc.resource, MESSAGES["not_found"])
        if isinstance(exc, Forbidden):
            return error_response(status.HTTP_403_FORBIDDEN, exc.resource, MESSAGES["forbidden"])
        if isinstance(exc, Conflict):
            return error_response(status.HTTP_409_CONFLICT, exc.field, exc.message)
        if isinstance(exc, Invalid):
            return error_response(status.HTTP_422_UNPROCESSABLE_ENTITY, exc.field, exc.message)
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages})
        if isinstance(exc, InvalidTokenFailed):  # the view needs a user (see perform_authentication)
            response = super().handle_exception(exc)
            response["WWW-Authenticate"] = f'{self.get_authenticate_header(self.request)}, error="invalid_token"'
            return response
        if isinstance(exc, exceptions.NotAuthenticated):
            response = error_response(status.HTTP_401_UNAUTHORIZED, "token", MESSAGES["token_missing"])
            response["WWW-Authenticate"] = self.get_authenticate_header(self.request)
            return response
        return super().handle_exception(exc)


class AuthenticatedApi(TenantApi):
    permission_classes = [IsAuthenticated]


def validated(serializer_class, data, key=None):
    """Validate `data` (or `data[key]` of a RealWorld-wrapped body) and return the clean values."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data[key] if key else serializer.validated_data


def wrapped(name, key, inner):
    return inline_serializer(name=name, fields={key: inner})


PROFILE_RESPONSE = wrapped("ProfileResponse", "profile", ProfileOut())
ARTICLE_RESPONSE = wrapped("SingleArticleResponse", "article", ArticleOut())
COMMENT_RESPONSE = wrapped("SingleCommentResponse", "comment", CommentOut())
ARTICLES_RESPONSE = inline_serializer(
    name="MultipleArticlesResponse",
    fields={"articles": ArticleListItemOut(many=True), "articlesCount": serializers.IntegerField()},
)
STATUS = Choice(choices=Article.Status.values, required=False)


class ProfileApi(TenantApi):
    """A profile by username."""

    @extend_schema(operation_id="GetProfileByUsername", tags=["Profile"], responses={200: PROFILE_RESPONSE})
    def get(self, request, username):
        user = selectors.user_get(username=username)
        return Response({"profile": profile_out(user, selectors.is_following(follower=request.user, followee=user))})


class ProfileFollowApi(AuthenticatedApi):
    """Follow or unfollow a user."""

    @extend_schema(operation_id="FollowUserByUsername", tags=["Profile"], request=None,
                   responses={200: PROFILE_RESPONSE})
    def post(self, request, username):
        user = selectors.user_get(username=username)
        services.profile_follow(follower=request.user, followee=user)
        return Response({"profile": profile_out(user, True)})

    @extend_schema(operation_id="UnfollowUserByUsername", tags=["Profile"], responses={200: PROFILE_RESPONSE})
    def delete(self, request, username):
        user = selectors.user_get(username=username)
        services.profile_unfollow(follower=request.user, followee=user)
        return Response({"profile": profile_out(user, False)})


def query_int(params, name, default, low, high):
    """An integer query parameter in [low, high] (a serializer per request costs more than the query it guards)."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [MESSAGES["not_an_integer"]]}) from None
    if not low <= value <= high:
        raise exceptions.ValidationError({name: [MESSAGES["between"].format(low=low, high=high)]})
    return value


def query_text(params, name):
    value = params.get(name, "")
    if len(value) > 200 or "\x00" in value:
        raise exceptions.ValidationError({name: [MESSAGES["invalid"]]})
    return value or None


def page(params):
    return {"limit": query_int(params, "limit", 20, 1, 1000), "offset": query_int(params, "offset", 0, 0, 2**31)}


PAGE_PARAMS = [OpenApiParameter("limit", int, default=20), OpenApiParameter("offset", int, default=0)]
FILTER_PARAMS = [
    OpenApiParameter(name, str, description=f"Filter by {name}") for name in ("tag", "author", "favorited")
]


class ArticleListCreateApi(TenantApi):
    """Recent published articles, filtered and paged; or create an article (a draft with `status: draft`)."""

    class NewArticleRequest(Input):
        class NewArticle(Input):
            title = Text(max_length=255)
            description = Text(max_length=1000)
            body = Text()
            tagList = TagList(required=False, default=list)  # noqa: N815
            status = STATUS

        article = NewArticle()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(operation_id="GetArticles", tags=["Articles"], parameters=[*FILTER_PARAMS, *PAGE_PARAMS],
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        params = request.query_params
        filters = {name: query_text(params, name) for name in ("tag", "author", "favorited")}
        articles, count = selectors.article_list(user=request.user, **filters, **page(params))
        return Response({"articles": articles, "articlesCount": count})

    @extend_schema(operation_id="CreateArticle", tags=["Articles"], request=NewArticleRequest,
                   responses={201: ARTICLE_RESPONSE})
    def post(self, request):
        data = validated(self.NewArticleRequest, request.data, "article")
        article = services.article_create(
            author=request.user, title=data["title"], description=data["description"], body=data["body"],
            tags=data["tagList"], status=data.get("status", Article.Status.PUBLISHED),
        )
        out = article_out(article, favorited=False, following=False, tags=sorted(data["tagList"]))
        return Response({"article": out}, status=status.HTTP_201_CREATED)


class ArticleFeedApi(AuthenticatedApi):
    """Recent articles by followed users."""

    @extend_schema(operation_id="GetArticlesFeed", tags=["Articles"], parameters=PAGE_PARAMS,
                   responses={200: ARTICLES_RESPONSE})
    def get(self, request):
        articles, count = selectors.article_list(user=request.user, feed=True, **page(request.query_params))
        return Response({"articles": articles, "articlesCount": count})


def article_response(article, user):
    out = article_out(
        article, favorited=selectors.article_is_favorited(article=article, user=user),
        following=selectors.is_following(follower=user, followee=article.author),
    )
    return Response({"article": out})


class ArticleDetailApi(TenantApi):
    """One article by slug (its author also sees it as a draft); update or delete it (author only)."""

    class UpdateArticleRequest(Input):
        class UpdateArticle(Input):
            title = Text(max_length=255, required=False)
            description = Text(max_length=1000, required=False)
            body = Text(required=False)
            tagList = TagList(required=False)  # noqa: N815
            status = STATUS

        article = UpdateArticle()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(operation_id="GetArticle", tags=["Articles"], responses={200: ARTICLE_RESPONSE})
    def get(self, request, slug):
        return Response({"article": selectors.article_detail(slug=slug, user=request.user)})

    @extend_schema(operation_id="UpdateArticle", tags=["Articles"], request=UpdateArticleRequest,
                   responses={200: ARTICLE_RESPONSE})
    def put(self, request, slug):
        article = selectors.article_get(slug=slug, user=request.user)
        data = validated(self.UpdateArticleRequest, request.data, "article")
        article = services.article_update(article=article, user=request.user, data=data)
        return article_response(article, request.user)

    @extend_schema(operation_id="DeleteArticle", tags=["Articles"], responses={204: None})
    def delete(self, request, slug):
        services.article_delete(article=selectors.article_get(slug=slug, user=request.user), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArticleFavoriteApi(AuthenticatedApi):
    """Favorite or unfavorite an article."""

    @extend_schema(operation_id="CreateArticleFavorite", tags=["Favorites"], request=None,
                   responses={200: ARTICLE_RESPONSE})
    def post(self, request, slug):
        article = services.article_favorite(article=selectors.article_get(slug=slug, user=request.user),
                                            user=request.user)
        return article_response(article, request.user)

    @extend_schema(operation_id="DeleteArticleFavorite", tags=["Favorites"], responses={200: ARTICLE_RESPONSE})
    def delete(self, request, slug):
        article = services.article_unfavorite(article=selectors.article_get(slug=slug, user=request.user),
                                              user=request.user)
        return article_response(article, request.user)


class CommentListCreateApi(TenantApi):
    """Comments of an article; add one."""

    class NewCommentRequest(Input):
        class NewComment(Input):
            body = Text()

        comment = NewComment()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(operation_id="GetArticleComments", tags=["Comments"],
                   responses={200: wrapped("MultipleCommentsResponse", "comments", CommentOut(many=True))})
    def get(self, request, slug):
        article = selectors.article_get(slug=slug, user=request.user)
        comments, following = selectors.comment_list(article=article, user=request.user)
        return Response({"comments": [comment_out(c, following=c.author_id in following) for c in comments]})

    @extend_schema(operation_id="CreateArticleComment", tags=["Comments"], request=NewCommentRequest,
                   responses={201: COMMENT_RESPONSE})
    def post(self, request, slug):
        article = selectors.article_get(slug=slug, user=request.user)
        data = validated(self.NewCommentRequest, request.data, "comment")
        comment = services.comment_create(article=article, author=request.user, body=data["body"])
        return Response({"comment": comment_out(comment, following=False)}, status=status.HTTP_201_CREATED)


class CommentDeleteApi(AuthenticatedApi):
    """Delete a comment (its author only)."""

    @extend_schema(operation_id="DeleteArticleComment", tags=["Comments"], responses={204: None})
    def delete(self, request, slug, id):
        article = selectors.article_get(slug=slug, user=request.user)
        services.comment_delete(comment=selectors.comment_get(article=article, comment_id=id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TagListApi(TenantApi):
    """Tags used by published articles."""

    @extend_schema(operation_id="GetTags", tags=["Tags"],
                   responses={200: wrapped("TagsResponse", "tags", serializers.ListField(child=Text()))})
    def get(self, request):
        return Response({"tags": selectors.tag_list()})
