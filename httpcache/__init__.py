"""Edge-ready HTTP caching of the public tenant API: a per-tenant content version, validators, a shared cache of
anonymous answers, surrogate keys and CDN purges (docs/caching.md)."""
