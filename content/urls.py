from django.urls import path

from content import apis, drafts

urlpatterns = [
    path("profiles/<str:username>", apis.ProfileApi.as_view(), name="profile"),
    path("profiles/<str:username>/follow", apis.ProfileFollowApi.as_view(), name="profile-follow"),
    path("articles", apis.ArticleListCreateApi.as_view(), name="articles"),
    path("articles/feed", apis.ArticleFeedApi.as_view(), name="articles-feed"),
    path("articles/<str:slug>", apis.ArticleDetailApi.as_view(), name="article"),
    path("articles/<str:slug>/favorite", apis.ArticleFavoriteApi.as_view(), name="article-favorite"),
    path("articles/<str:slug>/comments", apis.CommentListCreateApi.as_view(), name="article-comments"),
    path("articles/<str:slug>/comments/<int:id>", apis.CommentDeleteApi.as_view(), name="article-comment"),
    path("tags", apis.TagListApi.as_view(), name="tags"),
    path("user/drafts", drafts.UserDraftsApi.as_view(), name="user-drafts"),
    path("user/scheduled", drafts.UserScheduledApi.as_view(), name="user-scheduled"),
    path("site/scheduled", drafts.SiteScheduledApi.as_view(), name="site-scheduled"),
]
