"""Operators' admin: tenants with lifecycle actions (through the audited services), domains, audit log."""
from django.contrib import admin, messages

from tenants.apis import request_actor
from tenants.models import AuditLog, Domain, Tenant
from tenants.provisioning import redact
from tenants.services import TenantError, tenant_delete, tenant_resume, tenant_suspend


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


def _lifecycle_action(service, label):
    def action(modeladmin, request, queryset):
        for tenant in queryset:
            try:
                service(slug=tenant.slug, actor=request_actor(request))
                modeladmin.message_user(request, f"{label}: {tenant.slug}", messages.SUCCESS)
            except TenantError as exc:
                modeladmin.message_user(request, f"{tenant.slug}: {exc}", messages.WARNING)

    action.short_description = f"{label} selected tenants"
    action.__name__ = f"{label.lower().replace(' ', '_')}_tenants"
    return action


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "status", "read_only", "database", "schema_version", "created_at"]
    list_filter = ["status", "read_only"]
    search_fields = ["slug", "name", "domains__domain"]
    readonly_fields = ["slug", "status", "database_url", "read_only", "schema_version", "migrated_at",
                       "created_at", "updated_at"]
    inlines = [DomainInline]
    actions = [
        _lifecycle_action(tenant_suspend, "Suspend"),
        _lifecycle_action(tenant_resume, "Resume"),
        _lifecycle_action(lambda **kw: tenant_delete(purge=False, **kw), "Soft delete"),
    ]

    @admin.display(description="database")
    def database(self, obj):
        return redact(obj.database_url)

    def has_add_permission(self, request):
        return False  # created with create_tenant or the control API, which provision the database

    def has_delete_permission(self, request, obj=None):
        return False  # purge is a deliberate command-line or API action


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "tenant", "is_primary"]
    search_fields = ["domain", "tenant__slug"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "privilege", "actor", "action", "target", "source_ip"]
    list_filter = ["action", "privilege"]
    search_fields = ["actor", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
