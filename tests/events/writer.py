"""`python -m tests.events.writer SLUG N [--delete] [--crash-before-publish]`: save N articles in tenant SLUG
through the ORM (a subprocess). --crash-before-publish kills the process (SIGKILL) right after the first commit,
before the outbox publish runs: a fault injected here, in test code production never imports."""
import os
import signal
import sys
import uuid

import django


def crash_before_publish():
    """Replace the after-commit publish with a SIGKILL: the commit stands, the publish never happens."""
    from events import outbox

    def die(tenant):
        os.kill(os.getpid(), signal.SIGKILL)

    outbox._publish_after_commit = die  # outbox_record looks the callback up at call time


def main(slug, count, delete=False, crash=False):
    django.setup()
    from accounts.models import User
    from content.models import Article
    from tenants.context import tenant_context
    from tenants.db import tenant_atomic

    if crash:
        crash_before_publish()
    with tenant_context(slug):
        author, _ = User.objects.get_or_create(username="writer", defaults={"email": "writer@example.com"})
        for _ in range(count):
            with tenant_atomic():
                article = Article.objects.create(slug=uuid.uuid4().hex, title="T", body="B", author=author)
            print(f"saved {article.pk}", flush=True)
            if delete:
                article.delete()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), "--delete" in sys.argv, "--crash-before-publish" in sys.argv)
