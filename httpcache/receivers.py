"""Writes outside requests bump the content version too: any model saved or deleted in a tenant's database (the
worker's scheduled publishing and moderation, manage.py commands, imports) bumps it when its transaction commits.
Bulk writes that send no signals (QuerySet.update, bulk_create, raw SQL) are covered by the request middleware
(inside requests) and by the events subscriber (httpcache.purge.on_events) when they record an event.
"""
from functools import partial

from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from conduit.context import current_tenant
from httpcache import version
from tenants.signals import tenant_purged

M2M_WRITES = frozenset({"post_add", "post_remove", "post_clear"})


def _changed(using, **kwargs):
    tenant = current_tenant()
    if tenant is None or (using != tenant.alias and tenant.id != 0):  # control-DB writes; 0: the single site
        return
    connection = connections[using]
    in_transaction = connection.in_atomic_block or getattr(connection, "in_atomic_block_mongo", False)  # MongoDB
    if in_transaction and any(getattr(pending[1], "httpcache_slug", None) == tenant.slug
                              for pending in connection.run_on_commit):
        return  # one bump per transaction
    bump = partial(version.bump, tenant.slug)
    bump.httpcache_slug = tenant.slug
    transaction.on_commit(bump, using=using)


def _saved(sender, using, **kwargs):
    _changed(using)


def _m2m(sender, action, using, **kwargs):
    if action in M2M_WRITES:
        _changed(using)


def _purged(sender, tenant, **kwargs):
    version.bump(tenant.slug)


def connect():
    post_save.connect(_saved, dispatch_uid="httpcache-saved")
    post_delete.connect(_saved, dispatch_uid="httpcache-deleted")
    m2m_changed.connect(_m2m, dispatch_uid="httpcache-m2m")
    tenant_purged.connect(_purged, dispatch_uid="httpcache-purged")
