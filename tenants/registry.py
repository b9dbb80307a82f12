"""Host → tenant resolution with an in-process cache that every process drops within a second of a change."""
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.db.models import F

from conduit.conf import conduit_settings
from tenants.models import Domain, RegistryVersion, Tenant

CONTROL = object()  # marker: the host is the control plane
_MAX_HOSTS = 50_000


class TenantRegistry:
    """Caches host lookups (hits and misses); polls RegistryVersion at most every REGISTRY_REFRESH_SECONDS."""

    def __init__(self):
        self._lock = threading.Lock()
        self._hosts = OrderedDict()
        self._generation = 0
        self._version = None
        self._checked_at = 0.0

    def _refresh(self):
        now = time.monotonic()
        if now - self._checked_at < conduit_settings.REGISTRY_REFRESH_SECONDS:
            return
        version = RegistryVersion.objects.values_list("version", flat=True).first() or 0
        with self._lock:
            self._checked_at = now
            if version != self._version:
                self._clear()
                self._version = version

    def _clear(self):
        self._hosts.clear()
        self._generation += 1  # lookups that started before this must not write their stale answer back

    def invalidate(self):
        with self._lock:
            self._clear()
            self._checked_at = 0.0

    def resolve(self, host, header_slug=None):
        """Return CONTROL, a TenantInfo, or None (unknown host)."""
        self._refresh()
        key = (host, header_slug)
        with self._lock:
            if key in self._hosts:
                self._hosts.move_to_end(key)
                return self._hosts[key]
            generation = self._generation
        result = self._lookup(host, header_slug)
        with self._lock:
            if generation == self._generation:
                self._hosts[key] = result
                if len(self._hosts) > _MAX_HOSTS:
                    self._hosts.popitem(last=False)
        return result

    def _lookup(self, host, header_slug):
        base = settings.BASE_DOMAIN
        if host in settings.CONTROL_HOSTS:
            return self._by_slug(header_slug) if header_slug else CONTROL
        if host.endswith("." + base):
            label = host[: -len(base) - 1]
            if "." not in label:
                return self._by_slug(label)
        domain = Domain.objects.select_related("tenant").filter(domain=host).first()
        return domain.tenant.info() if domain else None

    @staticmethod
    def _by_slug(slug):
        tenant = Tenant.objects.filter(slug=slug).first()
        return tenant.info() if tenant else None


registry = TenantRegistry()


def registry_changed():
    """Tell every server process (within REGISTRY_REFRESH_SECONDS) that tenants or domains changed."""
    if not RegistryVersion.objects.update(version=F("version") + 1):
        RegistryVersion.objects.create(version=1)
    registry.invalidate()
