"""Operators' admin: tenants with lifecycle actions (through the audited services), domains, audit log."""
from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from tenants.apis import request_actor
from tenants.models import AuditLog, Domain, Tenant, TenantMove
from tenants.provisioning import redact
from tenants.services import TenantError, tenant_delete, tenant_resume, tenant_suspend
from tenants.transfer.moving import move_latest, move_start


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
                       "created_at", "updated_at", "last_move"]
    inlines = [DomainInline]
    actions = [
        _lifecycle_action(tenant_suspend, "Suspend"),
        _lifecycle_action(tenant_resume, "Resume"),
        _lifecycle_action(lambda **kw: tenant_delete(purge=False, **kw), "Soft delete"),
    ]

    @admin.display(description="database")
    def database(self, obj):
        return redact(obj.database_url)

    @admin.display(description="move")
    def last_move(self, obj):
        return move_summary(obj)

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


def move_summary(tenant):
    """The tenant's latest move (status, step, message) and a link to start a new one."""
    start = reverse("admin:tenants_tenantmove_add") + f"?tenant={tenant.pk}"
    move = move_latest(slug=tenant.slug) if tenant.pk else None
    if move is None:
        return format_html('<a href="{}">Move to another database…</a>', start)
    change = reverse("admin:tenants_tenantmove_change", args=[move.pk])
    return format_html('<a href="{}">#{} {}</a> at {}: {} {} &nbsp; <a href="{}">Move to another database…</a>',
                       change, move.pk, move.status, move.step or "start", move.progress.get("message", ""),
                       move.error, start)


class TenantMoveForm(forms.ModelForm):
    """Starting a move is the form's job: clean() validates and launches it, so errors show on the form."""

    class Meta:
        model = TenantMove
        fields = ["tenant", "target_url", "drop_source"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.started = move_start(slug=data["tenant"].slug, target_url=data["target_url"],
                                      actor=request_actor(self.request), drop_source=data.get("drop_source", False))
        except TenantError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(TenantMove)
class TenantMoveAdmin(admin.ModelAdmin):
    """Moves with their progress and outcome; "add" starts a move in the background."""

    form = TenantMoveForm
    list_display = ["id", "tenant", "status", "step", "message", "target", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["tenant__slug"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["tenant", "target_url", "drop_source"]
        return ["tenant", "status", "step", "message", "target", "error", "progress", "actor", "created_at",
                "heartbeat_at", "finished_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description="progress")
    def message(self, obj):
        return obj.progress.get("message", "")

    @admin.display(description="target")
    def target(self, obj):
        return redact(obj.target_url)

    def save_model(self, request, obj, form, change):
        if not change:  # the form already started it; show that record
            obj.pk = form.started.pk
            obj.refresh_from_db()

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # a move record is read-only

    def has_delete_permission(self, request, obj=None):
        return False
