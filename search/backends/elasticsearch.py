"""The Elasticsearch backend, through elasticsearch-dsl (`elasticsearch.dsl`).

Index layout: concrete indices named `<prefix>-<timestamp>` behind the alias `<prefix>`.
Reads and single-document writes go through the alias; `rebuild()` loads a new index in
bulk, then moves the alias in one atomic `_aliases` call and deletes the old index, so
searches keep answering from the old index until the swap.

Failures (connection refused, timeouts, API errors) surface as `SearchUnavailable`;
the search page then answers from the embedded backend. Timeouts are short on purpose:
a slow cluster must not make the page slow.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import Q, Search

from portal import versions
from search import content, text
from search.backends.base import (
    PAGE_SIZE,
    Hit,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    Suggestion,
    build_facets,
    clean_filters,
    hit_url,
)
from search.documents import (
    FACET_FIELDS,
    HIGHLIGHT_FIELDS,
    SEARCH_FIELDS,
    PortalDocument,
    index_definition,
)

logger = logging.getLogger(__name__)

PRE, POST = "\ue000", "\ue001"  # private-use markers, escaped away before <mark> is added
ENGINE_ERRORS = (TransportError, ApiError, OSError)

_clients: dict = {}


def _as_datetime(value):
    if isinstance(value, str):
        return parse_datetime(value)
    return value


_clients_lock = threading.Lock()


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _client_for(url: str, options: dict) -> Elasticsearch:
    key = (url, tuple(sorted(options.items(), key=lambda kv: kv[0])))
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Elasticsearch(url, **options)
        return _clients[key]


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch,
        *,
        alias: str = "mulighetsportalen",
        search_timeout: float = 2.0,
        write_timeout: float = 10.0,
    ):
        self.client = client
        self.alias = alias
        self.search_timeout = search_timeout
        self.write_timeout = write_timeout
        self._alias_checked = False

    @classmethod
    def for_url(cls, url: str) -> ElasticsearchBackend:
        """The backend for `url`, with a shared client.

        `settings.ELASTICSEARCH_CLIENT_OPTIONS` is passed to the client (e.g. `api_key`,
        `ca_certs`, or a `node_class`); timeouts default to a couple of seconds.
        """
        options = {
            "request_timeout": getattr(settings, "ELASTICSEARCH_TIMEOUT", 2.0),
            "max_retries": 1,
            "retry_on_timeout": False,
            **getattr(settings, "ELASTICSEARCH_CLIENT_OPTIONS", {}),
        }
        return cls(
            _client_for(url, options),
            alias=getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "mulighetsportalen"),
            search_timeout=float(options["request_timeout"]),
        )

    # -- plumbing --------------------------------------------------------------------

    def _reader(self) -> Elasticsearch:
        # A visitor is waiting: one short try, then the page answers from the embedded
        # backend. Retrying belongs to index updates, which run in the task worker.
        return self.client.options(
            request_timeout=self.search_timeout, max_retries=0, retry_on_timeout=False
        )

    def _writer(self) -> Elasticsearch:
        return self.client.options(request_timeout=self.write_timeout)

    def _new_index_name(self) -> str:
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def _indices_behind_alias(self) -> list[str]:
        response = self._writer().options(ignore_status=404).indices.get_alias(name=self.alias)
        if response.meta.status == 404:
            return []
        return sorted(response.body)

    def ensure_index(self) -> None:
        """Create a first versioned index behind the alias, if there is none yet."""
        if self._alias_checked:
            return
        try:
            if not self._indices_behind_alias():
                name = self._new_index_name()
                index_definition(name).create(using=self._writer())
                self._writer().indices.update_aliases(
                    actions=[{"add": {"index": name, "alias": self.alias}}]
                )
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(str(exc)) from exc
        self._alias_checked = True

    # -- writing ---------------------------------------------------------------------

    def _actions(self, docs: Iterable[content.SearchDocument], index: str):
        for doc in docs:
            source = PortalDocument.from_search_document(doc).to_dict(include_meta=False)
            yield {"_op_type": "index", "_index": index, "_id": doc.doc_id, "_source": source}

    def index_documents(self, docs: list[content.SearchDocument]) -> None:
        if not docs:
            return
        self.ensure_index()
        try:
            helpers.bulk(self._writer(), self._actions(docs, self.alias), refresh="wait_for")
        except (*ENGINE_ERRORS, helpers.BulkIndexError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        finally:
            versions.bump(versions.SEARCH)  # cached result pages (search.views)

    def delete(self, *, model_label: str, pk: int) -> None:
        type_ = content.TYPE_BY_LABEL.get(model_label)
        if type_ is None:
            return
        try:
            self._writer().options(ignore_status=404).delete(
                index=self.alias, id=f"{type_}-{pk}", refresh="wait_for"
            )
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(str(exc)) from exc
        finally:
            versions.bump(versions.SEARCH)

    def rebuild(self, progress=None) -> int:
        new = self._new_index_name()
        writer = self._writer()
        loaded = 0
        try:
            index_definition(new).create(using=writer)
            try:
                for batch in content.all_public_documents():
                    helpers.bulk(writer, self._actions(batch, new))
                    loaded += len(batch)
                    if progress:
                        progress(loaded)
                writer.indices.refresh(index=new)
                old = self._indices_behind_alias()
                # One request: the alias never points at nothing, nor at both.
                actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
                actions.append({"add": {"index": new, "alias": self.alias}})
                writer.indices.update_aliases(actions=actions)
            except BaseException:
                writer.options(ignore_status=404).indices.delete(index=new)
                raise
            for name in old:
                writer.options(ignore_status=404).indices.delete(index=name)
        except (*ENGINE_ERRORS, helpers.BulkIndexError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        self._alias_checked = True
        versions.bump(versions.SEARCH)
        return loaded

    def count(self) -> int:
        try:
            return self._reader().count(index=self.alias)["count"]
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(str(exc)) from exc

    def stored_documents(self, batch_size: int = 1000) -> Iterator[content.SearchDocument]:
        # Paged with search_after (no scroll context to keep open or clean up).
        after = None
        while True:
            page = {"search_after": after} if after is not None else {}
            try:
                response = self._writer().search(
                    index=self.alias,
                    query={"match_all": {}},
                    sort=[{"type": "asc"}, {"pk": "asc"}],
                    size=batch_size,
                    **page,
                )
            except ENGINE_ERRORS as exc:
                raise SearchUnavailable(str(exc)) from exc
            hits = response["hits"]["hits"]
            if not hits:
                return
            after = hits[-1]["sort"]
            for hit in hits:
                source = hit["_source"]
                facets = {
                    facet: list(_as_list(source.get(facet)))
                    for facet in FACET_FIELDS
                    if source.get(facet) not in (None, "", [])
                }
                yield content.SearchDocument(
                    type=source.get("type", ""),
                    pk=int(source.get("pk", 0)),
                    title=source.get("title", ""),
                    summary=source.get("summary", ""),
                    body=source.get("body", ""),
                    comments=source.get("comments", ""),
                    reference=source.get("reference", ""),
                    url=source.get("url", ""),
                    status=source.get("status", ""),
                    published_at=_as_datetime(source.get("published_at")),
                    support_count=source.get("support_count", 0) or 0,
                    comment_count=source.get("comment_count", 0) or 0,
                    facets=facets,
                )

    # -- reading ---------------------------------------------------------------------

    def _search(self) -> Search:
        return Search(using=self._reader(), index=self.alias)

    def _execute(self, search: Search):
        try:
            return search.execute()
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(str(exc)) from exc

    @staticmethod
    def _still_public(pairs: list[tuple[str, int]]) -> set[tuple[str, int]]:
        """Defence in depth: which of these (type, pk) are public in the database now."""
        public: set[tuple[str, int]] = set()
        idea_ids = [pk for type_, pk in pairs if type_ == content.IDEA]
        page_ids = [pk for type_, pk in pairs if type_ == content.CHALLENGE]
        if idea_ids:
            found = content.public_ideas().filter(pk__in=idea_ids).values_list("pk", flat=True)
            public |= {(content.IDEA, pk) for pk in found}
        if page_ids:
            found = content.public_challenges().filter(pk__in=page_ids).values_list("pk", flat=True)
            public |= {(content.CHALLENGE, pk) for pk in found}
        return public

    def search(
        self,
        query: str = "",
        filters=None,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> SearchResults:
        query = (query or "").strip()[:200]
        filters = clean_filters(filters)
        page = max(1, int(page or 1))
        s = self._search()
        if query:
            s = s.query(
                "multi_match",
                query=query,
                fields=SEARCH_FIELDS,
                type="cross_fields",
                operator="and",
            )
        for facet, keys in filters.items():
            s = s.filter("terms", **{facet: keys})
        for facet in FACET_FIELDS:
            s.aggs.bucket(facet, "terms", field=facet, size=50)
        s = s.highlight_options(
            pre_tags=[PRE], post_tags=[POST], fragment_size=200, number_of_fragments=1
        )
        s = s.highlight("title", number_of_fragments=0).highlight(*HIGHLIGHT_FIELDS)
        order = {
            "newest": [{"published_at": "desc"}, {"pk": "desc"}],
            "support": [{"support_count": "desc"}, {"published_at": "desc"}, {"pk": "desc"}],
        }.get(sort, ["_score", {"published_at": "desc"}, {"pk": "desc"}])
        s = s.sort(*order).extra(track_total_hits=True)
        if query:
            s = s.suggest(
                "did_you_mean", query, term={"field": "title.plain", "suggest_mode": "missing"}
            )
        s = s[(page - 1) * page_size : page * page_size]
        response = self._execute(s)

        raw = list(response.hits)
        public = self._still_public([(h.type, int(h.pk)) for h in raw])
        hits = []
        for h in raw:
            if (h.type, int(h.pk)) not in public:
                continue
            highlights = getattr(h.meta, "highlight", None)
            hl = highlights.to_dict() if highlights else {}
            title_html = (
                text.marked_to_html(hl["title"][0], PRE, POST) if "title" in hl else escape(h.title)
            )
            snippet = next(
                (text.marked_to_html(hl[f][0], PRE, POST) for f in HIGHLIGHT_FIELDS if f in hl),
                None,
            )
            if snippet is None:
                summary = getattr(h, "summary", "") or ""
                snippet = text.highlight(summary, set())
            hits.append(
                Hit(
                    type=h.type,
                    pk=int(h.pk),
                    title=h.title,
                    title_html=mark_safe(title_html),  # escaped above
                    url=hit_url(h.type, getattr(h, "reference", ""), getattr(h, "url", "")),
                    snippet=snippet,
                    status=getattr(h, "status", ""),
                    reference=getattr(h, "reference", "") or "",
                    published_at=_as_datetime(getattr(h, "published_at", None)),
                    support_count=getattr(h, "support_count", 0) or 0,
                    comment_count=getattr(h, "comment_count", 0) or 0,
                    score=h.meta.score or 0.0,
                )
            )
        aggregations = response.aggregations.to_dict() if "aggregations" in response else {}
        facets = build_facets(
            (
                (facet, bucket["key"], bucket["doc_count"])
                for facet in FACET_FIELDS
                for bucket in aggregations.get(facet, {}).get("buckets", [])
            ),
            filters,
        )
        total = response.hits.total.value
        did_you_mean = ""
        if total == 0 and query:
            did_you_mean = self._did_you_mean(response)
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            page=page,
            page_size=page_size,
            facets=facets,
            did_you_mean=did_you_mean,
            backend=self.name,
        )

    @staticmethod
    def _did_you_mean(response) -> str:
        suggest = response.to_dict().get("suggest", {}).get("did_you_mean", [])
        changed = False
        words = []
        for entry in suggest:
            options = entry.get("options") or []
            if options:
                words.append(options[0]["text"])
                changed = True
            else:
                words.append(entry["text"])
        return " ".join(words) if changed else ""

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        prefix = (prefix or "").strip()[:100]
        if len(prefix) < 2:
            return []
        s = self._search().query(
            "multi_match",
            query=prefix,
            type="bool_prefix",
            operator="and",
            fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
        )
        s = s.source(["type", "pk", "title", "reference", "url"])[: limit * 2]
        response = self._execute(s)
        raw = list(response.hits)
        public = self._still_public([(h.type, int(h.pk)) for h in raw])
        return [
            Suggestion(
                text=h.title,
                url=hit_url(h.type, getattr(h, "reference", ""), getattr(h, "url", "")),
                type=h.type,
            )
            for h in raw
            if (h.type, int(h.pk)) in public
        ][:limit]

    def similar_ideas(self, text: str, limit: int = 5, *, exclude: int | None = None) -> list:
        if not (text or "").strip():
            return []
        query = Q(
            "more_like_this",
            fields=["title", "summary", "body"],
            like=text[:5000],
            min_term_freq=1,
            min_doc_freq=1,
            max_query_terms=25,
            minimum_should_match="1",
        )
        s = self._search().query(query).filter("term", type=content.IDEA)
        if exclude is not None:
            s = s.exclude("ids", values=[f"{content.IDEA}-{exclude}"])
        s = s.source(["pk"])[: limit * 2]
        try:
            response = self._execute(s)
        except SearchUnavailable:
            # Duplicate hints are a nicety on the idea form: never break the form.
            logger.warning("Elasticsearch unavailable for similar ideas; using the database")
            from search.backends.database import DatabaseBackend

            return DatabaseBackend().similar_ideas(text, limit, exclude=exclude)
        ids = [int(h.pk) for h in response.hits]
        return self._ideas_in_order(ids)[:limit]
