"""Lets the Elasticsearch 8 client talk to osmem-server, the in-memory stand-in.

Test-only: production talks to real Elasticsearch, which understands the client's
compatibility media type and identifies itself as Elasticsearch.
"""

from __future__ import annotations

from elastic_transport import HttpHeaders, Urllib3HttpNode

COMPAT = "application/vnd.elasticsearch+json; compatible-with=8"
NDJSON_COMPAT = "application/vnd.elasticsearch+x-ndjson; compatible-with=8"


class OsmemCompatNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = HttpHeaders(headers or {})
        for name in ("accept", "content-type"):
            value = headers.get(name) or self._headers.get(name)
            if value == COMPAT:
                headers[name] = "application/json"
            elif value == NDJSON_COMPAT:
                headers[name] = "application/x-ndjson"
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        meta = response.meta
        # The client refuses to talk to anything that does not say it is Elasticsearch.
        meta.headers["x-elastic-product"] = "Elasticsearch"
        if meta.headers.get("content-type", "").startswith("application/json"):
            pass
        return response
