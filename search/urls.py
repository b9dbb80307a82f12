from django.urls import path

from search import apis

urlpatterns = [
    path("search", apis.SearchApi.as_view(), name="search"),
    path("articles/<str:slug>/related", apis.RelatedArticlesApi.as_view(), name="article-related"),
]
