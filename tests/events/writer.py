"""`python -m tests.events.writer SLUG N [--delete]`: save N articles in tenant SLUG through the ORM (a subprocess)."""
import sys
import uuid

import django


def main(slug, count, delete=False):
    django.setup()
    from accounts.models import User
    from content.models import Article
    from tenants.context import tenant_context
    from tenants.db import tenant_atomic

    with tenant_context(slug):
        author, _ = User.objects.get_or_create(username="writer", defaults={"email": "writer@example.com"})
        for _ in range(count):
            with tenant_atomic():
                article = Article.objects.create(slug=uuid.uuid4().hex, title="T", body="B", author=author)
            print(f"saved {article.pk}", flush=True)
            if delete:
                article.delete()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), "--delete" in sys.argv)
