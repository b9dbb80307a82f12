import json

from tenants.management.commands._base import TenantCommand
from tenants.selectors import tenant_list


class Command(TenantCommand):
    help = "List tenants with status, domains and migration state."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--status", choices=["active", "suspended", "deleted"])

    def handle(self, format, status, **options):
        from tenants.provisioning import redact, schema_fingerprint

        current = schema_fingerprint()
        rows = [
            {
                "id": t.pk, "slug": t.slug, "name": t.name, "status": t.status,
                "domains": [d.domain for d in t.domains.all()],
                "database": redact(t.database_url),
                "migrations": "current" if t.schema_version == current else "pending",
                "created_at": t.created_at.isoformat(),
            }
            for t in tenant_list(status=status)
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        columns = ["slug", "status", "migrations", "domains", "database"]
        table = [[r[c] if not isinstance(r[c], list) else ",".join(r[c]) or "-" for c in columns] for r in rows]
        widths = [max([len(c)] + [len(str(row[i])) for row in table]) for i, c in enumerate(columns)]
        self.stdout.write("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths)))
        for row in table:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
        self.stdout.write(f"{len(rows)} tenant(s)")
