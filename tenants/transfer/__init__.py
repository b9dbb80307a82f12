"""Moving a tenant between databases and backing it up, with engine-neutral table copies and checksums."""
