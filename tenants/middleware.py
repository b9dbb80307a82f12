"""Route each request: control host → control URLs; tenant host → tenant URLs inside tenant_context."""
from django.contrib.sessions.middleware import SessionMiddleware
from conduit.conf import conduit_settings
from conduit.errors import error_json
from conduit.exceptions import NotFound, Unavailable
from tenants.context import TenantInfo, _current
from tenants.registry import CONTROL, registry

CONTROL_URLCONF = "conduit.urls_control"
TENANT_URLCONF = "conduit.urls_tenant"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# The one site served when routing is switched off; its data lives in the control database ("default").
SINGLE_SITE = TenantInfo(id=0, slug="single", name="single site", status="active", database_url="")


def request_host(request):
    """The Host header (or X-Forwarded-Host when a trusted proxy is configured), lowercased, without port."""
    from django.conf import settings

    host = request.META.get("HTTP_X_FORWARDED_HOST") if settings.USE_X_FORWARDED_HOST else None
    host = (host or request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")).split(",")[-1].strip()
    if host.startswith("["):
        return host[: host.find("]") + 1].lower()
    return host.rsplit(":", 1)[0].lower().rstrip(".")


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        if not conduit_settings.ROUTING_ENABLED:  # single-database mode (benchmarks, one-site installs)
            request.urlconf = TENANT_URLCONF
            return self._serve(request, SINGLE_SITE)
        header = request.META.get("HTTP_X_TENANT") if conduit_settings.TENANT_HEADER_ENABLED else None
        target = registry.resolve(request_host(request), header.strip().lower() if header else None)
        if target is CONTROL:
            request.urlconf = CONTROL_URLCONF
            return self.get_response(request)
        if target is None or target.status == "deleted":
            return error_json(NotFound("tenant", "No Conduit site is served at this address."))
        if target.status == "suspended":
            message = f"The site '{target.slug}' is suspended. Contact the platform operator."
            return error_json(Unavailable("tenant", message))
        if target.read_only and request.method not in SAFE_METHODS:
            return error_json(Unavailable(
                "tenant", f"The site '{target.slug}' is read-only while it is being moved; retry shortly.",
                headers={"Retry-After": "30"},
            ))
        request.urlconf = TENANT_URLCONF
        return self._serve(request, target)

    def _serve(self, request, tenant):
        request.tenant = tenant
        token = _current.set(tenant)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class TenantSessionMiddleware(SessionMiddleware):
    """Sessions belong to the control plane: on a tenant host no session cookie is read, saved or deleted.

    The tenant API authenticates by token only; an operator's cookie sent to a tenant host must neither resolve
    against the tenant's users nor be flushed from the control database. Tenant hosts get an empty, unsaved session.
    """

    def process_request(self, request):
        if getattr(request, "tenant", None) is not None:
            request.session = self.SessionStore()
            return
        super().process_request(request)

    def process_response(self, request, response):
        if getattr(request, "tenant", None) is not None:
            return response
        return super().process_response(request, response)
