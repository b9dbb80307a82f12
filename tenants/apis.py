"""Staff-only control API for the tenant lifecycle (one API class per operation)."""
import os
import tempfile

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from conduit.exceptions import NotFound
from conduit.net import client_ip
from conduit.throttling import OperatorBasicAuthentication
from tenants.models import Tenant
from tenants.provisioning import redact
from tenants.selectors import audit_list, tenant_get, tenant_list
from tenants.services import Actor, tenant_create, tenant_delete, tenant_resume, tenant_suspend
from tenants.transfer.archive import tenant_export
from tenants.transfer.moving import move_latest, move_start


def request_actor(request):
    return Actor(name=request.user.get_username(), source_ip=client_ip(request))


class TenantOutput(serializers.ModelSerializer):
    domains = serializers.SerializerMethodField()
    database = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = ["slug", "name", "owner_email", "status", "domains", "database", "schema_version", "read_only",
                  "created_at", "updated_at"]

    def get_domains(self, obj) -> list[str]:
        return [d.domain for d in obj.domains.all()]

    def get_database(self, obj) -> str:
        return redact(obj.database_url)


class LifecycleApi(APIView):
    """Operators only (a staff session, or HTTP Basic throttled on failures); the services' errors render themselves."""

    authentication_classes = [SessionAuthentication, OperatorBasicAuthentication]


class TenantListCreateApi(LifecycleApi):
    class InputSerializer(serializers.Serializer):
        slug = serializers.CharField(max_length=63)
        name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        domains = serializers.ListField(child=serializers.CharField(max_length=253), required=False, default=list)
        database_url = serializers.CharField(max_length=500, required=False, allow_null=True, default=None)
        owner_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="",
                                             help_text="the site's first owner: its user with this email")

    @extend_schema(responses=TenantOutput(many=True))
    def get(self, request):
        return Response(TenantOutput(tenant_list(status=request.query_params.get("status")), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: TenantOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = tenant_create(actor=request_actor(request), **data.validated_data)
        return Response(TenantOutput(tenant_get(slug=tenant.slug)).data, status=status.HTTP_201_CREATED)


class TenantDetailApi(LifecycleApi):
    @extend_schema(responses=TenantOutput)
    def get(self, request, slug):
        return Response(TenantOutput(tenant_get(slug=slug)).data)

    @extend_schema(responses={204: None}, description="Soft delete; `?purge=true` drops database, media and index.")
    def delete(self, request, slug):
        purge = request.query_params.get("purge", "").lower() in {"1", "true", "yes"}
        tenant_delete(slug=slug, actor=request_actor(request), purge=purge)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TenantSuspendApi(LifecycleApi):
    @extend_schema(request=None, responses=TenantOutput)
    def post(self, request, slug):
        return Response(TenantOutput(tenant_suspend(slug=slug, actor=request_actor(request))).data)


class TenantResumeApi(LifecycleApi):
    @extend_schema(request=None, responses=TenantOutput)
    def post(self, request, slug):
        return Response(TenantOutput(tenant_resume(slug=slug, actor=request_actor(request))).data)


class AuditListApi(LifecycleApi):
    class OutputSerializer(serializers.Serializer):
        at = serializers.DateTimeField()
        actor = serializers.CharField()
        action = serializers.CharField()
        target = serializers.CharField()
        source_ip = serializers.CharField()
        privilege = serializers.CharField()
        detail = serializers.JSONField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        rows = audit_list(target=request.query_params.get("target"))[:500]
        return Response(self.OutputSerializer(rows, many=True).data)


class TenantMoveApi(LifecycleApi):
    """Move a tenant to another database in the background (POST) and follow its progress (GET)."""

    class InputSerializer(serializers.Serializer):
        database_url = serializers.CharField(max_length=500)
        drop_source = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        step = serializers.CharField()
        progress = serializers.JSONField()
        error = serializers.CharField()
        source = serializers.SerializerMethodField()
        target = serializers.SerializerMethodField()
        created_at = serializers.DateTimeField()
        heartbeat_at = serializers.DateTimeField()
        finished_at = serializers.DateTimeField()

        def get_source(self, obj) -> str:
            return redact(obj.source_url)

        def get_target(self, obj) -> str:
            return redact(obj.target_url)

    @extend_schema(responses=OutputSerializer)
    def get(self, request, slug):
        tenant_get(slug=slug)
        move = move_latest(slug=slug)
        if move is None:
            raise NotFound("move", f"tenant '{slug}' has never been moved")
        return Response(self.OutputSerializer(move).data)

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer})
    def post(self, request, slug):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        move = move_start(slug=slug, target_url=data.validated_data["database_url"], actor=request_actor(request),
                          drop_source=data.validated_data["drop_source"])
        return Response(self.OutputSerializer(move).data, status=status.HTTP_202_ACCEPTED)


class TenantExportApi(LifecycleApi):
    """Download a tenant archive (`?media=true` includes its media files)."""

    @extend_schema(responses={(200, "application/gzip"): bytes})
    def get(self, request, slug):
        tenant_get(slug=slug)
        media = request.query_params.get("media", "").lower() in {"1", "true", "yes"}
        fd, path = tempfile.mkstemp(suffix=".tar.gz")
        try:
            tenant_export(slug=slug, path=path, actor=request_actor(request), media=media)
            handle = open(path, "rb")
        finally:
            os.close(fd)
            os.unlink(path)  # the open handle keeps the data until the response is sent
        name = f"{slug}-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/gzip")
