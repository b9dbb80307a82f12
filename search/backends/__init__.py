"""The search backend of this process, chosen by CONDUIT_SEARCH_URL ("embedded" or an Elasticsearch URL)."""
import threading

from conduit.conf import conduit_settings
from search.backends.base import SearchBackend

_backends: dict[str, SearchBackend] = {}
_lock = threading.Lock()


def backend_for(url: str) -> SearchBackend:
    with _lock:
        if url not in _backends:
            if url == "embedded":
                from search.backends.embedded import EmbeddedBackend

                _backends[url] = EmbeddedBackend()
            elif url.startswith(("http://", "https://")):
                from search.backends.elastic import ElasticsearchBackend

                _backends[url] = ElasticsearchBackend(url, prefix=conduit_settings.SEARCH_INDEX_PREFIX)
            else:
                raise ValueError(f"CONDUIT_SEARCH_URL must be 'embedded' or an http(s):// URL, not {url!r}")
        return _backends[url]


def get_backend() -> SearchBackend:
    return backend_for(conduit_settings.SEARCH_URL)
