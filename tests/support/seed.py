"""Fill a tenant fast, straight through the ORM (bulk_create) in a process of the stack:

    python -m tests.support.seed <slug> <articles> <comments>   (with the stack's environment)

Users, articles with 2 tags each, comments, favourites and follows: the shape bench/move.py measures."""
import sys
from datetime import timedelta


def seed(slug, articles, comments, users=200, body_words=30, comment_words=5, spread_microseconds=True):
    """`spread_microseconds`: published_at differ in microseconds, which MongoDB cannot keep (moves must verify)."""
    from django.utils import timezone

    from accounts.models import User
    from content.models import Article, Comment, Favorite, Follow, Tag
    from tenants.context import tenant_context
    from tenants.db import tenant_atomic

    now = timezone.now()
    with tenant_context(slug), tenant_atomic():
        people = User.objects.bulk_create(
            User(username=f"user{i}", email=f"user{i}@example.com", password="!", bio=f"bio {i}") for i in range(users))
        tags = Tag.objects.bulk_create(Tag(name=f"tag{i}") for i in range(50))
        rows = Article.objects.bulk_create(
            (Article(slug=f"article-{i}", title=f"Article {i}", description="d" * 80, body="lorem ipsum " * body_words,
                     author=people[i % users], published_at=now - timedelta(microseconds=i * 7919 if spread_microseconds else 0))
             for i in range(articles)), batch_size=2000)  # µs that MongoDB cannot keep
        through = Article.tags.through
        through.objects.bulk_create((through(article_id=a.pk, tag_id=tags[(a.pk + k) % 50].pk)
                                     for a in rows for k in (0, 1)), batch_size=5000)
        Comment.objects.bulk_create((Comment(article=rows[i % articles], author=people[i % users],
                                             body=f"comment {i} " * comment_words) for i in range(comments)), batch_size=5000)
        Favorite.objects.bulk_create((Favorite(user=people[i % users], article=rows[i]) for i in range(articles)),
                                     batch_size=5000)
        Follow.objects.bulk_create(Follow(follower=people[i], followee=people[(i + 1) % users]) for i in range(users))


if __name__ == "__main__":
    import django

    django.setup()
    seed(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
