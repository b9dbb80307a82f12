"""JWT auth for the tenant API: a key ring with `kid`s, and tokens bound to their tenant by claim and by key."""
import hashlib
import hmac
import logging
from functools import lru_cache

import jwt
from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.tokens import AccessToken

from conduit.conf import conduit_settings
from conduit.context import current_tenant, current_tenant_slug
from conduit.logging import current_request_id
from conduit.messages import MESSAGES

TENANT_CLAIM = "tenant"
SINGLE_SITE = "-"  # the tenant claim when routing is off (one site served from the control database)
INVALID_TOKEN_CHALLENGE = 'Token error="invalid_token"'
log = logging.getLogger("conduit.auth")


class TokenRejected(TokenError):
    """A token that fails verification; `reason` names why, for the log only (never the response)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InvalidTokenFailed(exceptions.AuthenticationFailed):
    """401 for a presented token that fails verification; the body is the same whatever `reason` is."""

    def __init__(self, reason: str):
        super().__init__({"token": [MESSAGES["token_invalid"]]})
        self.reason = reason


def _decode_reason(exc: BaseException) -> str:
    """Why PyJWT refused a token, from the cause chain simplejwt wraps it in."""
    while exc is not None:
        if isinstance(exc, (jwt.ExpiredSignatureError, ExpiredTokenError)):
            return "expired"
        if isinstance(exc, jwt.InvalidSignatureError):
            return "bad_signature"
        if isinstance(exc, jwt.InvalidAlgorithmError):
            return "bad_algorithm"
        if isinstance(exc, jwt.DecodeError):
            return "malformed"
        if isinstance(exc, jwt.InvalidTokenError):
            return f"invalid_claims:{type(exc).__name__}"
        exc = exc.__cause__
    return "invalid"


def parse_key_ring(value: str, secret_key: str) -> dict[str, str]:
    """`"kid1:secret1,kid2:secret2"` → ordered {kid: secret}; empty → one key derived from SECRET_KEY."""
    ring = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        kid, sep, secret = item.strip().partition(":")
        if not sep or not kid or not secret:
            raise ValueError("CONDUIT_JWT_KEYS must look like 'kid1:secret1,kid2:secret2'")
        ring[kid] = secret
    if not ring:
        ring["k0"] = hmac.new(secret_key.encode(), b"conduit-jwt", hashlib.sha256).hexdigest()
    return ring


def key_ring() -> dict[str, str]:
    return _ring(conduit_settings.JWT_KEYS, settings.SECRET_KEY)


@lru_cache(maxsize=8)
def _ring(value, secret_key):
    return parse_key_ring(value, secret_key)


@lru_cache(maxsize=4096)
def tenant_backend(kid: str, secret: str, site: str) -> TokenBackend:
    """A simplejwt backend whose HS256 key is HMAC-SHA256(ring secret, "tenant:<id>:<slug>")."""
    derived = hmac.new(secret.encode(), f"tenant:{site}".encode(), hashlib.sha256).hexdigest()
    return KidTokenBackend("HS256", signing_key=derived, kid=kid)


class KidTokenBackend(TokenBackend):
    """simplejwt's backend, writing its key id into the JWT header."""

    def __init__(self, *args, kid: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kid = kid

    def encode(self, payload):
        return jwt.encode(payload, self.prepared_signing_key, algorithm=self.algorithm, headers={"kid": self.kid})


class TenantAccessToken(AccessToken):
    """An access token signed with the current tenant's key; verification picks the key by the header's `kid`."""

    def get_token_backend(self):
        ring = key_ring()
        if self.token is None:  # a new token: sign with the first (current) key
            kid = next(iter(ring))
        else:
            try:
                kid = jwt.get_unverified_header(self.token).get("kid")
            except jwt.InvalidTokenError as exc:
                raise TokenRejected("malformed") from exc
            if not isinstance(kid, str) or kid not in ring:
                raise TokenRejected("unknown_kid")  # never issued here, or its key was retired by a rotation
        return tenant_backend(kid, ring[kid], _site_key())

    def __init__(self, token=None, verify=True):
        try:
            super().__init__(token, verify=verify)
        except TokenRejected:
            raise
        except TokenError as exc:
            raise TokenRejected(_decode_reason(exc)) from exc

    def verify(self):
        super().verify()
        if self.payload.get(TENANT_CLAIM) != (current_tenant_slug() or SINGLE_SITE):
            raise TokenRejected("wrong_tenant")

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[TENANT_CLAIM] = current_tenant_slug() or SINGLE_SITE
        return token


def _site_key() -> str:
    """The tenant's identity in its signing key: id and slug, so a purged slug created again gets a new key."""
    tenant = current_tenant()
    return f"{tenant.id}:{tenant.slug}" if tenant else SINGLE_SITE


def token_for(user) -> str:
    return str(TenantAccessToken.for_user(user))


class TenantJWTAuthentication(JWTAuthentication):
    """`Authorization: Token <jwt>` (or `Bearer`), valid only on the tenant that issued it.

    Every way a presented token can fail raises `InvalidTokenFailed` with one body, and logs its reason at DEBUG
    with the request id; the tenant-API base decides whether that is a 401 or an anonymous answer.
    """

    def authenticate_header(self, request):
        return 'Token realm="api"'

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except InvalidTokenFailed as exc:
            self._log_rejection(exc.reason)
            raise
        except exceptions.AuthenticationFailed as exc:  # a malformed Authorization header ("Token" and no value)
            self._log_rejection("bad_header")
            raise InvalidTokenFailed("bad_header") from exc

    def get_validated_token(self, raw_token):
        try:
            return TenantAccessToken(raw_token)
        except TokenRejected as exc:
            raise InvalidTokenFailed(exc.reason) from exc
        except TokenError as exc:
            raise InvalidTokenFailed("invalid") from exc

    def get_user(self, validated_token):
        try:
            return super().get_user(validated_token)
        except exceptions.AuthenticationFailed as exc:
            code = str(exc.detail.get("code", "")) if isinstance(exc.detail, dict) else ""  # simplejwt's detail dict
            reason = {"user_not_found": "unknown_user", "user_inactive": "inactive_user"}.get(code, "no_user_claim")
            raise InvalidTokenFailed(reason) from exc

    @staticmethod
    def _log_rejection(reason):
        log.debug("token rejected: %s", reason, extra={"reason": reason, "request_id": current_request_id()})


class TenantJWTScheme(OpenApiAuthenticationExtension):
    """OpenAPI: the RealWorld `Token` security scheme (`Authorization: Token <jwt>`)."""

    target_class = TenantJWTAuthentication
    name = "Token"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <jwt>` (or `Bearer <jwt>`) from POST /api/users or /api/users/login."}
