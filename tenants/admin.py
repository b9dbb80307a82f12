"""Operators' admin: tenants (created and changed through the audited services), domains, audit log, moves."""
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.html import format_html

from tenants.apis import request_actor
from tenants.models import AuditLog, Domain, Tenant, TenantMove
from tenants.provisioning import redact
from tenants.services import (TenantError, tenant_create, tenant_delete, tenant_resume, tenant_suspend,
                              validate_domain)
from tenants.transfer.moving import move_latest, move_start


class DomainForm(forms.ModelForm):
    """A domain is checked by the service's own validator (hostname, not the platform's, not taken)."""

    class Meta:
        model = Domain
        fields = ["tenant", "domain", "is_primary"]

    def clean_domain(self):
        value = self.cleaned_data["domain"]
        if self.instance.pk and value.strip().lower().rstrip(".") == self.instance.domain:
            return self.instance.domain  # unchanged: it is "already registered" to this very tenant
        try:
            return validate_domain(value)
        except TenantError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DomainInline(admin.TabularInline):
    model = Domain
    form = DomainForm
    extra = 0


class TenantCreateForm(forms.ModelForm):
    """Adding a tenant is the form's job: clean() runs tenant_create, so the service's errors show on the form."""

    slug = forms.CharField(max_length=200, help_text=f"Lowercase letters, digits and hyphens; the site is served at "
                                                    f"&lt;slug&gt;.{settings.BASE_DOMAIN}.")
    name = forms.CharField(max_length=200, required=False, help_text="Display name; defaults to the slug.")
    domains = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Optional custom domains, one per line (or comma-separated); the first is the primary one.")
    database_url = forms.CharField(
        label="Database URL", required=False, max_length=500, widget=forms.TextInput(attrs={"size": 80}),
        help_text="Optional: where the site's database goes (postgres://… or sqlite:///…). Empty: the platform's "
                  "default (CONDUIT_TENANT_DATABASE_URL). Either way it is cloned from the migrated template.")
    owner_email = forms.EmailField(
        label="Owner email", required=False, max_length=254,
        help_text="Optional: the site's first owner — its user with this email becomes an owner when they register "
                  "(they edit the site's settings and grant the role to others).")

    class Meta:
        model = Tenant
        fields = ["slug", "name"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        domains = [d for d in re.split(r"[\s,]+", data.get("domains", "")) if d]
        try:
            tenant = tenant_create(slug=data["slug"], name=data.get("name", ""), domains=domains,
                                   database_url=data.get("database_url") or None, owner_email=data.get("owner_email"),
                                   actor=request_actor(self.request))
        except TenantError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, str(exc))
            return data
        self.instance = tenant  # the admin saves nothing more: the service registered and audited it
        return {**data, "slug": tenant.slug, "name": tenant.name}


def tenant_site_urls(tenant, request):
    """The tenant's addresses as the operator reaches them: the admin's scheme and port, each of its hosts."""
    port = split_domain_port(request.get_host())[1]
    suffix = f":{port}" if port else ""
    hosts = [f"{tenant.slug}.{settings.BASE_DOMAIN}",
             *(d.domain for d in sorted(tenant.domains.all(), key=lambda d: (not d.is_primary, d.domain)))]
    return [f"{request.scheme}://{host}{suffix}/" for host in hosts]


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
    change_fields = ["slug", "name", "owner_email", "status", "database", "read_only", "last_move", "schema_version",
                     "migrated_at", "created_at", "updated_at"]
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

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TenantCreateForm
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_fields(self, request, obj=None):
        return ["slug", "name", "domains", "database_url", "owner_email"] if obj is None else self.change_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [f for f in self.change_fields if f != "name"]

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines  # on "add", domains are a field of the service's form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # on "add" the form's clean() already created, registered and audited the tenant through tenant_create

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["tenant_sites"] = tenant_site_urls(obj, request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # purge is a deliberate command-line or API action


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    form = DomainForm
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
