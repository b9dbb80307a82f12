"""Login throttles whose counts every process shares: the `throttle` cache (a directory under DATA_DIR, or Redis).

Tenant logins count every attempt per tenant and client address (accounts.apis.LoginThrottle). Operator logins on
the control plane (the admin form and HTTP Basic on the control API) count failures per client address, and refuse
every attempt, right password or not, once the limit is reached. Both use CONDUIT_LOGIN_RATE.
"""
import fcntl
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.dispatch import receiver
from django.http import JsonResponse
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from conduit.conf import conduit_settings
from conduit.net import client_ip


@contextmanager
def _counting():
    """One check-and-count at a time on this machine, so concurrent workers never both read the same count."""
    with open(settings.DATA_DIR / "throttle.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class SharedRateThrottle(SimpleRateThrottle):
    """DRF's sliding-window throttle on the shared `throttle` cache, at CONDUIT_LOGIN_RATE."""

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return conduit_settings.LOGIN_RATE

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        with _counting():
            return super().allow_request(request, view)


class OperatorLoginFailures(SharedRateThrottle):
    """Failed operator logins per client address; `wait` is None while more attempts are allowed."""

    def get_cache_key(self, request, view=None):
        return f"throttle:control:operator-login:{self.get_ident(request)}"

    def _history(self, request):
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        return [at for at in self.cache.get(self.key, []) if at > self.now - self.duration]

    def blocked_for(self, request) -> float | None:
        self.history = self._history(request)
        return self.wait() if len(self.history) >= self.num_requests else None

    def record(self, request) -> None:
        with _counting():
            history = self._history(request)
            self.cache.set(self.key, [self.now, *history], self.duration)


@receiver(user_login_failed, dispatch_uid="conduit-operator-login-failed")
def _operator_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "tenant", None) is None:  # the control plane's users only
        OperatorLoginFailures().record(request)


def too_many_failures(wait: float) -> JsonResponse:
    seconds = max(1, round(wait))
    response = JsonResponse(
        {"errors": {"login": [f"too many failed logins from this address; retry in {seconds} s"]}}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def throttled_login(view):
    """Wrap the admin's login view: a POST from an address over the failure limit is a 429, not a password check."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            wait = OperatorLoginFailures().blocked_for(request)
            if wait is not None:
                return too_many_failures(wait)
        return view(request, *args, **kwargs)

    return wrapper


class OperatorBasicAuthentication(BasicAuthentication):
    """HTTP Basic for scripts on the control API, refused (429) once the client address has too many failures."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if header and header[0].lower() == b"basic":
            wait = OperatorLoginFailures().blocked_for(request)
            if wait is not None:
                raise exceptions.Throttled(max(1, round(wait)))
        return super().authenticate(request)


class OperatorBasicScheme(BasicScheme):
    """OpenAPI: the control API's HTTP Basic is plain `basicAuth` in the schema."""

    target_class = OperatorBasicAuthentication
