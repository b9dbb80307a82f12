from django.urls import path

from media import apis

urlpatterns = [
    path("media", apis.MediaListCreateApi.as_view(), name="media"),
    path("media/<str:media_id>", apis.MediaDetailApi.as_view(), name="media-detail"),
    path("media/<str:media_id>/file", apis.MediaFileApi.as_view(), name="media-file"),
]
