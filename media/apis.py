"""The media API: upload (multipart `file`), list, get, delete, and the tenant-scoped file download."""
from django.http import FileResponse, HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from conduit.api import TenantApi
from conduit.exceptions import Invalid, PayloadTooLarge
from conduit.fields import Integer, iso
from conduit.messages import MESSAGES
from media.selectors import media_file_url, media_get, media_list
from media.services import MediaNotFound, MediaOutsideTenant, media_create, media_delete, media_tenant_key
from media.storage import is_local, media_storage
from media.uploads import MediaUploadGuard
from media.validation import human, largest_limit

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file


class MediaOut(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField()
    kind = serializers.ChoiceField(choices=["image", "audio", "video"])
    contentType = serializers.CharField()  # noqa: N815
    size = serializers.IntegerField()
    createdAt = serializers.DateTimeField()  # noqa: N815


MEDIA_RESPONSE = inline_serializer(name="SingleMediaResponse", fields={"media": MediaOut()})
MEDIA_LIST_RESPONSE = inline_serializer(
    name="MultipleMediaResponse", fields={"media": MediaOut(many=True), "mediaCount": serializers.IntegerField()}
)
UPLOAD_REQUEST = {"multipart/form-data": inline_serializer(name="MediaUpload", fields={"file": serializers.FileField()})}
ERRORS = {
    401: OpenApiResponse(description="missing or invalid token"),
    404: OpenApiResponse(description="no such media on this site"),
}


def media_out(media, request) -> dict:
    return {
        "id": str(media.id),
        "url": media_file_url(media=media, base_url=request.build_absolute_uri("/")),
        "kind": media.kind,
        "contentType": media.content_type,
        "size": media.size,
        "createdAt": iso(media.created_at),
    }


def get_or_404(media_id):
    """The media item, if it exists on this tenant and its key lies under this tenant's prefix."""
    media = media_get(media_id=media_id)
    if media is None:
        raise MediaNotFound()
    media_tenant_key(media)
    return media


def in_tenant(media) -> bool:
    try:
        media_tenant_key(media)
    except MediaOutsideTenant:
        return False
    return True


class MediaApi(TenantApi):
    """Media views: a user is required; the errors (media.services, media.validation) render themselves."""

    permission_classes = [IsAuthenticated]


class MediaListCreateApi(MediaApi):
    parser_classes = [MultiPartParser]

    class FilterSerializer(serializers.Serializer):
        limit = Integer(min_value=1, max_value=100, default=20)
        offset = Integer(min_value=0, max_value=2**31, default=0)

    def initial(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().initial(request, *args, **kwargs)
        # Uploads are capped by the largest per-kind limit, not TenantApi's JSON body cap; refused before reading.
        APIView.initial(self, request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > largest_limit() + MULTIPART_OVERHEAD:
            raise PayloadTooLarge("file", MESSAGES["upload_too_large"].format(limit=human(largest_limit())))

    @extend_schema(operation_id="ListMedia", tags=["Media"], parameters=[FilterSerializer],
                   responses={200: MEDIA_LIST_RESPONSE, 401: ERRORS[401]})
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        items, count = media_list(owner=request.user, **filters.validated_data)
        return Response({"media": [media_out(m, request) for m in items if in_tenant(m)], "mediaCount": count})

    @extend_schema(operation_id="UploadMedia", tags=["Media"], request=UPLOAD_REQUEST, responses={
        201: MEDIA_RESPONSE, 401: ERRORS[401], 413: OpenApiResponse(description="over the kind's size limit"),
        415: OpenApiResponse(description="not an accepted image, audio or video type (judged by content)"),
        422: OpenApiResponse(description="no file, or an empty one"),
        503: OpenApiResponse(description="the media storage is unreachable")})
    def post(self, request):
        request.upload_handlers.insert(0, MediaUploadGuard(request))
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid("file", MESSAGES["file_required"])
        media = media_create(owner=request.user, upload=upload)
        return Response({"media": media_out(media, request)}, status=status.HTTP_201_CREATED)


class MediaDetailApi(MediaApi):
    @extend_schema(operation_id="GetMedia", tags=["Media"], responses={200: MEDIA_RESPONSE, **ERRORS})
    def get(self, request, media_id):
        return Response({"media": media_out(get_or_404(media_id), request)})

    @extend_schema(operation_id="DeleteMedia", tags=["Media"], responses={
        204: None, 403: OpenApiResponse(description="not the owner"), **ERRORS})
    def delete(self, request, media_id):
        media_delete(media=get_or_404(media_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MediaFileApi(MediaApi):
    """The bytes: streamed from local storage, or a redirect to a fresh presigned URL (S3). Public, like the URL."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="GetMediaFile", tags=["Media"], auth=[], responses={
        (200, "*/*"): OpenApiTypes.BINARY, 302: OpenApiResponse(description="to a presigned URL"), 404: ERRORS[404]})
    def get(self, request, media_id):
        media = get_or_404(media_id)
        key, storage = media_tenant_key(media), media_storage()
        if not is_local(storage):
            return HttpResponseRedirect(storage.url(key))
        try:
            handle = storage.open(key)
        except FileNotFoundError:  # the row outlived its file (e.g. removed by hand): gone, not a server error
            raise MediaNotFound() from None
        response = FileResponse(handle, content_type=media.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
