"""Engine `tenants.engines.mongodb`: django-mongodb-backend with integer AutoFields (ids from a `$inc` counters
collection, compiler.py), one client per server (base.py) and tenant URL validation (urls.py): docs/mongodb.md."""
