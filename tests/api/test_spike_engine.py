"""Spike 14: prove which engine the `site` tenant lives on."""


def test_site_engine(site):
    row = site.stack.tenant_row(site.slug)
    print("\nTENANT DATABASE URL:", row.get("database_url") or row)
