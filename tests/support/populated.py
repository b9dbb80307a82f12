"""A populated tenant driven through the RealWorld API of a real stack, API snapshots to compare, and a reader
that checks every read while a tenant moves."""
import threading
import uuid

import requests

from tests.media import samples
from tests.support.client import Site
from tests.support.stack import unique


class PopulatedSite(Site):
    """A tenant with content (`populate`), the tokens of its users, and snapshots of what readers see."""

    def __init__(self, stack, slug):
        super().__init__(stack, slug)
        self.tokens, self.articles, self.media = {}, [], []

    def register(self, username=None, email=None):
        user = super().register(username, email)
        self.tokens[user["username"]] = user["token"]
        return user

    def post_article(self, token, title, tags=()):
        body = {"article": {"title": title, "description": "about " + title, "body": f"# {title}\n\ntext",
                            "tagList": list(tags)}}
        return self.call("POST", "/api/articles", token, json=body)

    def populate(self, articles=6):
        """Users, articles with tags, comments, follows, favourites and a media upload."""
        alice, bob, carol = (self.register(unique(n, 4))["token"] for n in ("alice", "bob", "carol"))
        names = list(self.tokens)
        for i in range(articles):
            token = (alice, bob)[i % 2]
            response = self.post_article(token, f"Article {i} {uuid.uuid4().hex[:6]}", tags=[f"tag{i % 3}", "all"])
            assert response.status_code == 201, response.text
            slug = response.json()["article"]["slug"]
            self.articles.append(slug)
            for commenter in (bob, carol):
                response = self.call("POST", f"/api/articles/{slug}/comments", commenter,
                                     json={"comment": {"body": f"comment on {i}"}})
                assert response.status_code == 201, response.text
            if i % 2 == 0:
                assert self.call("POST", f"/api/articles/{slug}/favorite", carol).status_code == 200
        assert self.call("POST", f"/api/profiles/{names[0]}/follow", carol).status_code == 200
        assert self.call("POST", f"/api/profiles/{names[1]}/follow", alice).status_code == 200
        response = self.upload(samples.png(), "pixel.png", "image/png", token=alice)
        assert response.status_code == 201, response.text
        self.media.append(response.json()["media"]["id"])
        return self

    def snapshot(self):
        """What readers see: articles list, each article and its comments, profiles, tags, feed, media bytes."""
        carol = next(t for n, t in self.tokens.items() if n.startswith("carol"))
        shot = {"articles": self.read("/api/articles?limit=100"), "tags": self.read("/api/tags"),
                "feed": self.read("/api/articles/feed?limit=100", carol)}
        for slug in self.articles:
            shot[slug] = self.read(f"/api/articles/{slug}", carol)
            shot[slug + "/comments"] = self.read(f"/api/articles/{slug}/comments")
        for name in self.tokens:
            shot["profile/" + name] = self.read(f"/api/profiles/{name}", carol)
        for media_id in self.media:
            response = self.call("GET", f"/api/media/{media_id}/file")
            assert response.status_code == 200
            shot["media/" + media_id] = response.content.hex()
        return shot

    def reads(self, paths):
        """{path: body} of anonymous reads, the snapshot a Hammer compares every read during a move against."""
        shot = {path: self.read(path) for path in paths}
        assert shot and all(value for body in shot.values() for value in body.values()), shot  # nothing empty
        return shot

    def read(self, path, token=None):
        response = self.call("GET", path, token)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()


class Hammer:
    """A thread reading a tenant over HTTP until stopped; every read must be a 200 whose body equals `expected`.

    `expected` maps each path to the body read before the move. Anything else — another status, a different body
    (an empty list is a 200 too), a connection error or an exception in the thread — is recorded as a failure,
    never lost with a dead thread.
    """

    def __init__(self, stack, slug, expected):
        self.stack, self.slug, self.expected = stack, slug, expected
        self.statuses, self.failures, self.reads = [], [], 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _read(self, session, path):
        response = session.get(self.stack.url(path), headers={"Host": f"{self.slug}.localhost"}, timeout=30)
        self.statuses.append(response.status_code)
        if response.status_code != 200:
            self.failures.append((path, response.status_code, response.text[:300]))
        elif response.json() != self.expected[path]:
            self.failures.append((path, 200, f"body differs from the snapshot: {response.text[:300]}"))
        self.reads += 1

    def _run(self):
        session = requests.Session()
        while not self._stop.is_set():
            for path in self.expected:
                try:
                    self._read(session, path)
                except Exception as exc:  # recorded, and the reader goes on: a dead thread would hide the rest
                    self.failures.append((path, None, repr(exc)))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(60)
        assert not self.thread.is_alive(), "the reader thread did not stop"

    def assert_every_read_matched(self, minimum=2):
        """At least `minimum` reads happened during the move, and each was a 200 with the snapshot's body."""
        assert not self.failures, self.failures[:5]
        assert self.reads >= minimum and set(self.statuses) == {200}, (self.reads, sorted(set(self.statuses)))
