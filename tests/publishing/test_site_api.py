"""The site API (issue 13): settings, owners and audit, through the full middleware stack, on SQLite and PostgreSQL."""
import uuid

import pytest

from accounts.models import SiteAuditEntry, User
from conduit.messages import MESSAGES
from events.models import OutboxEvent
from media.models import Media
from tenants.context import tenant_context


def errors(response, status):
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()["errors"]


def audit(site, action=None):
    with tenant_context(site.tenant):
        rows = SiteAuditEntry.objects.all()
        return list(rows.filter(action=action) if action else rows)


def site_events(site):
    with tenant_context(site.tenant):
        return list(OutboxEvent.objects.filter(type="site.updated").values_list("entity", "entity_id"))


def test_the_site_is_public_with_defaults(site):
    response = site.get("/api/site", token=False)
    assert response.status_code == 200
    assert response.json() == {"site": {
        "title": "Bakers' Corner", "description": "", "logo": None, "logoUrl": None, "accentColor": "#5cb85c",
        "language": "en", "timezone": "UTC", "updatedAt": None,
    }}


def test_only_owners_change_the_site(site, owner):
    body = {"site": {"title": "Crumbs"}}
    assert errors(site.put("/api/site", body, token=False), 401) == {"token": [MESSAGES["token_missing"]]}
    assert errors(site.user().put("/api/site", body), 403) == {"user": [MESSAGES["owner_only"]]}
    response = owner.put("/api/site", body)
    assert response.status_code == 200, response.content
    assert response.json()["site"]["title"] == "Crumbs"
    assert site.get("/api/site").json()["site"]["title"] == "Crumbs"


def test_a_partial_update_is_one_event_and_one_audit_row(site, owner):
    body = {"site": {"description": "Bread, mostly.", "accentColor": "#AA00FF", "language": "pt-br",
                     "timezone": "Europe/Lisbon"}}
    got = owner.put("/api/site", body).json()["site"]
    assert (got["title"], got["description"], got["accentColor"], got["language"], got["timezone"]) == (
        "Bakers' Corner", "Bread, mostly.", "#aa00ff", "pt-BR", "Europe/Lisbon")
    assert got["updatedAt"]
    assert site_events(site) == [("site", "site")]
    (row,) = audit(site, "site.update")
    assert row.actor == "boss" and row.target == "site"
    assert row.detail["changed"]["accentColor"] == {"from": "#5cb85c", "to": "#aa00ff"}
    assert set(row.detail["changed"]) == {"description", "accentColor", "language", "timezone"}
    owner.put("/api/site", {"site": {"timezone": "Europe/Lisbon"}})  # no change: no event, no audit row
    assert len(site_events(site)) == 1 and len(audit(site, "site.update")) == 1
    owner.put("/api/site", {"site": {"title": "Crumbs"}})
    assert owner.get("/api/site").json()["site"]["description"] == "Bread, mostly."  # absent fields kept


BAD_VALUES = [
    ("accentColor", "red", "hex_color"),
    ("accentColor", "#12345g", "hex_color"),
    ("accentColor", "#1234567", "hex_color"),
    ("language", "english!", "language_tag"),
    ("language", "e", "language_tag"),
    ("language", "en-", "language_tag"),
    ("timezone", "Mars/Olympus_Mons", "time_zone"),
    ("timezone", "../../etc/passwd", "time_zone"),
    ("timezone", "", "blank"),
    ("logo", "not-a-uuid", "image_media"),
    ("logo", str(uuid.uuid4()), "image_media"),
    ("logo", "x" * 5000, "image_media"),
    ("title", "", "blank"),
    ("title", "x" * 201, "too_long"),
    ("description", "x" * 1001, "too_long"),
    ("title", ["x"], None),
    ("language", {"tag": "en"}, None),
]


def test_bad_values_are_422_with_the_tables_words(site, owner):
    """One tenant for the whole table (a tenant per case costs a database each)."""
    for field, value, message in BAD_VALUES:
        got = errors(owner.put("/api/site", {"site": {field: value}}), 422)
        assert set(got) == {field}, (field, value, got)
        if message:
            assert got[field][0].startswith(MESSAGES[message].split("{")[0]), (field, value, got)
    assert site.get("/api/site").json()["site"]["updatedAt"] is None  # nothing written
    assert site_events(site) == [] and audit(site, "site.update") == []


def test_a_malformed_body_is_422(site, owner):
    for body in ({}, {"site": "x"}, {"site": None}, []):
        errors(owner.put("/api/site", body), 422)
    response = owner.call("PUT", "/api/site", None)
    assert response.status_code == 422, response.content


def test_the_logo_is_an_image_of_the_site(site, owner):
    with tenant_context(site.tenant):
        boss = User.objects.get(username="boss")
        image = Media.objects.create(owner=boss, key=f"k/{uuid.uuid4()}", kind="image", content_type="image/png",
                                     size=10)
        audio = Media.objects.create(owner=boss, key=f"k/{uuid.uuid4()}", kind="audio", content_type="audio/mpeg",
                                     size=10)
    got = owner.put("/api/site", {"site": {"logo": str(image.pk)}}).json()["site"]
    assert got["logo"] == str(image.pk)
    assert got["logoUrl"] == f"http://{site.host}/api/media/{image.pk}/file"
    assert errors(owner.put("/api/site", {"site": {"logo": str(audio.pk)}}), 422) == {"logo": [MESSAGES["image_media"]]}
    with tenant_context(site.tenant):
        Media.objects.filter(pk=image.pk).delete()
    assert site.get("/api/site").json()["site"]["logo"] is None  # the media went: no dangling logo
    assert owner.put("/api/site", {"site": {"logo": None}}).status_code == 200


def test_owners_grant_and_revoke_never_the_last(site, owner):
    bob = site.user("bob")
    assert errors(bob.get("/api/site/owners"), 403) == {"user": [MESSAGES["owner_only"]]}
    errors(site.get("/api/site/owners", token=False), 401)
    assert owner.get("/api/site/owners").json() == {"owners": [{"username": "boss", "bio": None, "image": None}]}

    granted = owner.post("/api/site/owners", {"owner": {"username": "BOB"}})
    assert granted.status_code == 201 and granted.json()["owner"]["username"] == "bob"
    assert owner.post("/api/site/owners", {"owner": {"username": "bob"}}).status_code == 200  # already one
    assert errors(owner.post("/api/site/owners", {"owner": {"username": "nobody"}}), 422) == {
        "username": [MESSAGES["not_found"]]}
    errors(owner.post("/api/site/owners", {"owner": {}}), 422)
    assert [o["username"] for o in bob.get("/api/site/owners").json()["owners"]] == ["bob", "boss"]
    assert bob.put("/api/site", {"site": {"title": "Bob's"}}).status_code == 200

    assert bob.delete("/api/site/owners/boss").status_code == 204
    assert errors(owner.get("/api/site/owners"), 403)  # boss is a user again
    assert errors(bob.delete("/api/site/owners/bob"), 409) == {"owner": [MESSAGES["last_owner"]]}
    assert errors(bob.delete("/api/site/owners/boss"), 404) == {"owner": [MESSAGES["not_an_owner"]]}
    assert errors(bob.delete("/api/site/owners/nobody"), 404) == {"owner": [MESSAGES["not_found"]]}
    assert [(r.actor, r.action, r.target) for r in audit(site) if r.action.startswith("owner.")] == [
        ("bob", "owner.revoke", "user:boss"), ("boss", "owner.grant", "user:bob"),
        ("system", "owner.claim", "boss@example.com")]


def test_the_audit_log_is_for_owners_newest_first_and_paged(site, owner):
    for title in ("One", "Two", "Three"):
        owner.put("/api/site", {"site": {"title": title}})
    errors(site.get("/api/site/audit", token=False), 401)
    errors(site.user().get("/api/site/audit"), 403)
    body = owner.get("/api/site/audit?limit=2&offset=0&action=site.update").json()
    assert body["entriesCount"] == 3
    assert [e["detail"]["changed"]["title"]["to"] for e in body["entries"]] == ["Three", "Two"]
    entry = body["entries"][0]
    assert set(entry) == {"id", "at", "actor", "action", "target", "detail"} and entry["actor"] == "boss"
    rest = owner.get("/api/site/audit?limit=2&offset=2&action=site.update").json()["entries"]
    assert [e["detail"]["changed"]["title"]["to"] for e in rest] == ["One"]
    assert owner.get("/api/site/audit").json()["entriesCount"] == 4  # and the owner-email claim
    errors(owner.get("/api/site/audit?limit=0"), 422)


def test_the_owner_email_waits_for_registration(site):
    early = site.user("early")
    assert errors(early.put("/api/site", {"site": {"title": "x"}}), 403)
    boss = site.user("boss", "boss@example.com")
    assert boss.put("/api/site", {"site": {"title": "Mine"}}).status_code == 200


def test_any_json_for_any_field_is_200_or_422(site, owner):
    """Generated values (any JSON, and near-misses of each format) never make the site API answer 5xx."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                               lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                               max_leaves=5)
    near_misses = st.from_regex(r"\A#?[0-9a-zA-Z]{0,8}\Z") | st.from_regex(r"\A[a-zA-Z0-9]{1,9}(-[a-zA-Z0-9]{0,9}){0,3}\Z")
    fields = st.sampled_from(["title", "description", "logo", "accentColor", "language", "timezone", "other"])

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(body=st.dictionaries(fields, json_values | near_misses, max_size=4))
    def check(body):
        response = owner.put("/api/site", {"site": body})
        assert response.status_code in (200, 422), (body, response.status_code, response.content)

    check()
    assert site.get("/api/site").status_code == 200
