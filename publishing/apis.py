"""The site API (issue 13): settings (public read, owners write), owners, and the site's audit log."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.audit import audit_list, audit_out
from accounts.roles import IsSiteOwner, owner_email_apply
from conduit.api import PAGE_PARAMS, TenantApi, page, query_text, validated, wrapped
from conduit.fields import Input, Text
from publishing import selectors, services
from publishing.serializers import AuditEntryOut, OwnerOut, SiteOut, owner_out, site_out
from publishing.validation import AccentColor, Language, Logo, TimeZone

TAGS = ["Site"]
SITE_RESPONSE = wrapped("SiteResponse", "site", SiteOut())
OWNER_RESPONSE = wrapped("OwnerResponse", "owner", OwnerOut())
OWNERS_RESPONSE = inline_serializer(name="OwnersResponse", fields={"owners": OwnerOut(many=True)})
AUDIT_RESPONSE = inline_serializer(
    name="SiteAuditResponse",
    fields={"entries": AuditEntryOut(many=True), "entriesCount": serializers.IntegerField()},
)


def _site_response(request, site):
    return {"site": site_out(site, logo_exists=selectors.site_logo_exists(site),
                             base_url=request.build_absolute_uri("/"))}


class OwnerApi(TenantApi):
    permission_classes = [IsSiteOwner]


class SiteApi(TenantApi):
    """The site's settings: anyone reads them (frontends, feeds); its owners change them."""

    class UpdateSiteRequest(Input):
        class UpdateSite(Input):
            title = Text(max_length=200, required=False)
            description = Text(max_length=1000, required=False, allow_blank=True)
            logo = Logo(required=False)
            accentColor = AccentColor(required=False)
            language = Language(required=False)
            timezone = TimeZone(required=False)

        site = UpdateSite()

    def get_permissions(self):
        return super().get_permissions() if self.request.method == "GET" else [IsSiteOwner()]

    @extend_schema(operation_id="GetSite", tags=TAGS, responses={200: SITE_RESPONSE})
    def get(self, request):
        return Response(_site_response(request, selectors.site_get()))

    @extend_schema(operation_id="UpdateSite", tags=TAGS, request=UpdateSiteRequest, responses={200: SITE_RESPONSE})
    def put(self, request):
        data = validated(self.UpdateSiteRequest, request.data, "site")
        site = services.site_update(actor=request.user, data=data)
        return Response(_site_response(request, site))


class SiteOwnerListApi(OwnerApi):
    """The site's owners (owners only); grant the role to one of the site's users."""

    class GrantOwnerRequest(Input):
        class GrantOwner(Input):
            username = Text(max_length=150)

        owner = GrantOwner()

    @extend_schema(operation_id="GetSiteOwners", tags=TAGS, responses={200: OWNERS_RESPONSE})
    def get(self, request):
        owner_email_apply()  # the tenant's named first owner, if they registered before anyone looked
        return Response({"owners": [owner_out(u) for u in selectors.owner_list()]})

    @extend_schema(operation_id="GrantSiteOwner", tags=TAGS, request=GrantOwnerRequest,
                   responses={200: OWNER_RESPONSE, 201: OWNER_RESPONSE})
    def post(self, request):
        data = validated(self.GrantOwnerRequest, request.data, "owner")
        user, granted = services.owner_grant(actor=request.user, username=data["username"])
        return Response({"owner": owner_out(user)}, status=status.HTTP_201_CREATED if granted else status.HTTP_200_OK)


class SiteOwnerApi(OwnerApi):
    """Revoke a user's owner role (never the last owner's)."""

    @extend_schema(operation_id="RevokeSiteOwner", tags=TAGS, responses={204: None})
    def delete(self, request, username):
        services.owner_revoke(actor=request.user, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SiteAuditApi(OwnerApi):
    """What was done to the site and by whom, newest first (owners only)."""

    @extend_schema(operation_id="GetSiteAudit", tags=TAGS, responses={200: AUDIT_RESPONSE},
                   parameters=[OpenApiParameter("action", str, description="only this action, e.g. owner.grant"),
                               *PAGE_PARAMS])
    def get(self, request):
        paging = page(request.query_params)
        rows = audit_list(action=query_text(request.query_params, "action"))
        entries = rows[paging["offset"]:paging["offset"] + paging["limit"]]
        return Response({"entries": [audit_out(e) for e in entries], "entriesCount": rows.count()})
