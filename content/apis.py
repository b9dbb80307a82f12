"""The RealWorld tenant API: one API class per operation, on a shared `TenantApi` base."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from conduit.api import PAGE_PARAMS, AuthenticatedApi, TenantApi, page, query_text, validated, wrapped
from conduit.fields import Choice, Input, Text
from content import selectors, services
from content.models import Article
from content.serializers import (
    ArticleListItemOut, ArticleOut, CommentOut, ProfileOut, PublishAt, TagList, article_out, comment_out, profile_out,
)

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


FILTER_PARAMS = [
    OpenApiParameter(name, str, description=f"Filter by {name}") for name in ("tag", "author", "favorited")
]


class ArticleListCreateApi(TenantApi):
    """Recent published articles, filtered and paged; or create an article (a draft with `status: draft`, scheduled
    with `status: scheduled` and a future `publishAt`)."""

    class NewArticleRequest(Input):
        class NewArticle(Input):
            title = Text(max_length=255)
            description = Text(max_length=1000)
            body = Text()
            tagList = TagList(required=False, default=list)  # noqa: N815
            status = STATUS
            publishAt = PublishAt(required=False)  # noqa: N815

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
            tags=data["tagList"], status=data.get("status", Article.Status.PUBLISHED), publish_at=data.get("publishAt"),
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
    """One article by slug (its author, and site owners, also see drafts and scheduled ones); update or delete it
    (author only; a site owner may unpublish any article with `{"status": "draft"}`, audited)."""

    class UpdateArticleRequest(Input):
        class UpdateArticle(Input):
            title = Text(max_length=255, required=False)
            description = Text(max_length=1000, required=False)
            body = Text(required=False)
            tagList = TagList(required=False)  # noqa: N815
            status = STATUS
            publishAt = PublishAt(required=False)  # noqa: N815

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
    """Delete a comment (its author, or a site owner: moderation, audited)."""

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
