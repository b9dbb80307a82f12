"""manage.py reindex <slug>… | --all: rebuild search indexes from the tenant databases, with progress."""
from django.core.management.base import BaseCommand, CommandError

from search.services import search_reindex
from tenants.selectors import TenantNotFound, tenant_list


class Command(BaseCommand):
    help = "Rebuild the search index (text first, then vectors) of the given tenants, or of every tenant with --all."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*")
        parser.add_argument("--all", action="store_true", help="every tenant that is not deleted")

    def handle(self, *args, slugs, all, **options):
        if bool(slugs) == bool(all):
            raise CommandError("give tenant slugs or --all (not both)")
        slugs = slugs or [t.slug for t in tenant_list(include_deleted=False)]
        for slug in slugs:
            try:
                result = search_reindex(tenant=slug, progress=lambda line: self.stdout.write(line))
            except TenantNotFound as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self.style.SUCCESS(
                f"{slug}: {result['documents']} documents, {result['vectors']} vectors embedded, "
                f"{result['pending']} pending"
            ))
