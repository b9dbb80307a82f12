"""Operators' view of webhooks. Endpoints and deliveries live in each tenant's database, which the control admin does
not browse (no tenant model is in it); what operators need across tenants is here: the endpoints the sender
auto-disabled (owners see the same as `active: false` + `disabledReason` in the API) and the tenants with
deliveries due."""
from django.contrib import admin

from webhooks.models import DisabledEndpoint, WebhookDue


@admin.register(DisabledEndpoint)
class DisabledEndpointAdmin(admin.ModelAdmin):
    list_display = ["tenant", "endpoint_id", "url", "reason", "disabled_at"]
    search_fields = ["tenant", "url"]
    readonly_fields = [f.name for f in DisabledEndpoint._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDue)
class WebhookDueAdmin(admin.ModelAdmin):
    list_display = ["slug", "due_at", "version"]
    readonly_fields = ["slug", "due_at", "version"]

    def has_add_permission(self, request):
        return False
