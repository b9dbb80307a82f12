"""django-mongodb-backend with integer AutoFields: ids come from a `$inc` counters collection (spike for issue 14)."""
