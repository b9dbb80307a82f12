"""A registration that loses a race past the service's check is a 409 on the field whose constraint refused it."""
import pytest


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("field", ["username", "email"])
@pytest.mark.parametrize("spelling", ["exact", "other case"])
def test_a_lost_race_is_a_conflict_named_by_the_constraint(engine, field, spelling, make_tenant, pg_tenant_url):
    from accounts.models import User
    from accounts.services import _save
    from conduit.exceptions import Conflict
    from tenants.context import tenant_context

    tenant = make_tenant(**({"database_url": pg_tenant_url} if engine == "postgres" else {}))
    with tenant_context(tenant):
        User.objects.create(username="Racer", email="racer@example.com")
        taken = "Racer" if field == "username" else "racer@example.com"
        user = User(username="other", email="other@example.com")
        setattr(user, field, taken if spelling == "exact" else taken.swapcase())
        with pytest.raises(Conflict) as caught:
            _save(user)
    assert (caught.value.field, caught.value.status) == (field, 409)


def test_every_write_path_keeps_the_keys(make_tenant):
    """createsuperuser's create_superuser, bulk_create and a save of named fields all write the keys."""
    from accounts.models import User
    from tenants.context import tenant_context

    with tenant_context(make_tenant()):
        boss = User.objects.create_superuser("Boss", "Boss@Example.COM", "pw")
        User.objects.bulk_create([User(username="ＢＵＬＫ", email="Bulk@example.com")])
        boss.username, boss.email = "Renamed", "Renamed@Example.COM"
        boss.save(update_fields=["username", "email"])
        keys = set(User.objects.values_list("username_key", "email_key"))
    assert keys == {("renamed", "renamed@example.com"), ("bulk", "bulk@example.com")}
