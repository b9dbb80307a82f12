"""Operators' view of the event pipeline: dead letters (requeue), workers, and the ingestion dashboard."""
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from events import selectors
from events.failures import failures_requeue
from events.models import DirtyTenant, FailedEvent, WorkerStatus

CHART_W, CHART_H, BARS_H, PAD, MINUTES = 720, 220, 60, 8, 60
LINES = [("text", "p50", "#2e7d32"), ("text", "p95", "#f9a825"), ("text", "p99", "#c62828"),
         ("vector", "p99", "#1565c0")]


@admin.register(FailedEvent)
class FailedEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "tenant", "type", "status", "attempts", "next_attempt_at", "updated_at"]
    list_filter = ["status", "type"]
    search_fields = ["event_id", "tenant"]
    readonly_fields = [f.name for f in FailedEvent._meta.fields]
    actions = ["requeue"]

    @admin.action(description="Requeue selected events (a fresh round of attempts)")
    def requeue(self, request, queryset):
        count = failures_requeue(ids=queryset.values_list("id", flat=True))
        self.message_user(request, f"Requeued {count} events.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(WorkerStatus)
class WorkerStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "bus", "heartbeat_at", "lag", "embedding_backlog", "consumed", "started_at"]
    readonly_fields = [f.name for f in WorkerStatus._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DirtyTenant)
class DirtyTenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "marked_at"]
    readonly_fields = ["slug", "marked_at"]

    def has_add_permission(self, request):
        return False


def _chart(latency: dict) -> dict:
    """Server-rendered SVG of per-minute percentiles over the last hour, and a strip of events per minute."""
    peak = max([s[p] for stage, p, _ in LINES for s in latency[stage]["series"] if s[p] is not None] or [1.0])
    x = lambda minute: round(PAD + minute * (CHART_W - 2 * PAD) / (MINUTES - 1), 1)  # noqa: E731
    y = lambda ms: round(CHART_H - PAD - ms * (CHART_H - 2 * PAD) / peak, 1)  # noqa: E731
    lines = []
    for stage, pct, colour in LINES:
        points = [(x(s["minute"]), y(s[pct])) for s in latency[stage]["series"] if s[pct] is not None]
        lines.append({"label": f"{stage} {pct}", "colour": colour, "points": points,
                      "polyline": " ".join(f"{px},{py}" for px, py in points)})
    grid = [{"y": y(peak * f), "label": f"{peak * f:.0f} ms"} for f in (0.25, 0.5, 0.75, 1.0)]
    counts = {s["minute"]: s["count"] for s in latency["text"]["series"]}
    busiest = max(counts.values() or [1])
    bar_w = max(1.0, (CHART_W - 2 * PAD) / MINUTES - 1)
    bars = [{"x": x(m) - bar_w / 2, "w": round(bar_w, 1), "h": round(n * (BARS_H - 4) / busiest, 1), "n": n,
             "minute": MINUTES - 1 - m} for m, n in counts.items()]
    return {"width": CHART_W, "height": CHART_H, "pad": PAD, "peak_ms": peak, "lines": lines, "grid": grid,
            "bars": bars, "bars_h": BARS_H, "busiest": busiest}


def ingestion_dashboard(request):
    """Staff-only (wrapped in admin_view): lag, throughput, save-to-searchable percentiles, failures, backlog."""
    data = selectors.dashboard()
    context = {**admin.site.each_context(request), "title": "Ingestion", "data": data,
               "chart": _chart(data["latency"]), "stages": ["text", "vector"]}
    return TemplateResponse(request, "admin/ingestion.html", context)
