"""The Elasticsearch backend, through elasticsearch-dsl (`elasticsearch.dsl`).

Index layout: concrete indices named `<prefix>-<timestamp>` behind the alias `<prefix>`.
Reads and single-document writes go through the alias; `rebuild()` loads a new index in
bulk, then moves the alias in one atomic `_aliases` call and deletes the old index, so
searches keep answering from the old index until the swap. While a rebuild loads, its
index is also behind `<prefix>-building`, and every write goes there as well as to the
live index, so nothing written during the rebuild is missing after the swap (see
`IndexRebuild`).

A challenge's status depends on the day: the index keeps its dates and the editor's
override, and every search derives the status for today (filter, facet counts and the
status shown), mirroring `challenges.models.status_q`. Nothing needs re-indexing when a
deadline passes.

Failures (connection refused, timeouts, API errors) surface as `SearchUnavailable`;
the search page then answers from the embedded backend. Timeouts are short on purpose:
a slow cluster must not make the page slow.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import AttrDict, Q, Search

from challenges.models import ChallengeStatus, derive_status
from portal import versions
from search import content, text
from search.backends.base import (
    Hit,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    Suggestion,
    build_facets,
    hit_url,
)
from search.backends.elasticsearch_rebuild import ENGINE_ERRORS, IndexRebuild
from search.documents import (
    FACET_FIELDS,
    HIGHLIGHT_FIELDS,
    SEARCH_FIELDS,
    PortalDocument,
    index_definition,
)

logger = logging.getLogger(__name__)

CHALLENGE_STATUS_AGG = "challenge_status"
PRE, POST = "\ue000", "\ue001"  # private-use markers, escaped away before <mark> is added

_clients: dict = {}


def _as_datetime(value):
    if isinstance(value, str):
        return parse_datetime(value)
    return value


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def challenge_status_query(status: str, day: datetime.date) -> Q:
    """Challenges whose status on `day` is `status`: `challenges.models.status_q` for the
    index (a test holds the two to the same answers)."""
    derived = {
        ChallengeStatus.UPCOMING: Q("range", opens_on={"gt": day.isoformat()}),
        ChallengeStatus.OPEN: Q("range", opens_on={"lte": day.isoformat()})
        & Q("range", closes_on={"gte": day.isoformat()}),
        ChallengeStatus.EVALUATION: Q("range", closes_on={"lt": day.isoformat()}),
        # Only an editor concludes a challenge; dates alone never do.
        ChallengeStatus.CONCLUDED: Q("match_none"),
    }.get(status, Q("match_none"))
    by_dates = Q("bool", must_not=[Q("exists", field="status_override")], filter=[derived])
    return Q(
        "bool",
        filter=[Q("term", type=content.CHALLENGE)],
        should=[Q("term", status_override=status), by_dates],
        minimum_should_match=1,
    )


def status_filter(keys: list[str], day: datetime.date) -> Q:
    """Documents with any of these statuses: ideas by their stored status, challenges by
    the status their dates give on `day`."""
    challenge_keys = [key for key in keys if key in ChallengeStatus.values]
    should = [
        Q("bool", must_not=[Q("term", type=content.CHALLENGE)], filter=[Q("terms", status=keys)])
    ]
    should += [challenge_status_query(key, day) for key in challenge_keys]
    return Q("bool", should=should, minimum_should_match=1)


_clients_lock = threading.Lock()


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _client_for(url: str, options: dict) -> Elasticsearch:
    key = (url, tuple(sorted(options.items(), key=lambda kv: kv[0])))
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Elasticsearch(url, **options)
        return _clients[key]


# How each sort orders the hits; relevance for anything else.
SORT_ORDERS = {
    "newest": [{"published_at": "desc"}, {"pk": "desc"}],
    "support": [{"support_count": "desc"}, {"published_at": "desc"}, {"pk": "desc"}],
}
RELEVANCE_ORDER = ["_score", {"published_at": "desc"}, {"pk": "desc"}]


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

    @property
    def building_alias(self) -> str:
        """Points at the index a rebuild is loading, until its swap."""
        return f"{self.alias}-building"

    def _indices_behind(self, alias: str) -> list[str]:
        response = self._writer().options(ignore_status=404).indices.get_alias(name=alias)
        if response.meta.status == 404:
            return []
        return sorted(response.body)

    def _indices_behind_alias(self) -> list[str]:
        return self._indices_behind(self.alias)

    def _write_targets(self) -> list[str]:
        """Where a write must go: the live index, and the index a rebuild is loading.

        Asked on every write, never remembered: a rebuild may start in another process
        at any moment, and a write it does not see would be lost at its swap. (An index
        is never behind both aliases: the swap moves it from one to the other at once.)
        """
        return [self.alias, *self._indices_behind(self.building_alias)]

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
            actions = [
                action for target in self._write_targets() for action in self._actions(docs, target)
            ]
            helpers.bulk(self._writer(), actions, refresh="wait_for")
        except (*ENGINE_ERRORS, helpers.BulkIndexError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        finally:
            versions.bump(versions.SEARCH)  # cached result pages (search.views)

    def delete(self, *, model_label: str, pk: int) -> None:
        type_ = content.TYPE_BY_LABEL.get(model_label)
        if type_ is None:
            return
        try:
            for target in self._write_targets():
                self._writer().options(ignore_status=404).delete(
                    index=target, id=f"{type_}-{pk}", refresh="wait_for"
                )
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(str(exc)) from exc
        finally:
            versions.bump(versions.SEARCH)

    def begin_rebuild(self) -> IndexRebuild:
        """Start a rebuild: a new index that every write reaches from now on (see
        `IndexRebuild` for the steps)."""
        build = IndexRebuild(self)
        try:
            build.start()
        except BaseException:
            build.abort()
            raise
        return build

    def rebuild(self, progress=None) -> int:
        build = self.begin_rebuild()
        try:
            build.load(content.all_public_documents(), progress=progress)
            build.finish()
        except BaseException:
            build.abort()
            raise
        return build.loaded

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
            today = timezone.localdate()
            for hit in hits:
                yield self._stored_document(hit["_source"], today)

    def _stored_document(self, source: dict, today: datetime.date) -> content.SearchDocument:
        facets = {
            facet: list(_as_list(source.get(facet)))
            for facet in FACET_FIELDS
            if source.get(facet) not in (None, "", [])
        }
        return content.SearchDocument(
            type=source.get("type", ""),
            pk=int(source.get("pk", 0)),
            title=source.get("title", ""),
            summary=source.get("summary", ""),
            body=source.get("body", ""),
            comments=source.get("comments", ""),
            reference=source.get("reference", ""),
            url=source.get("url", ""),
            status=self._status(AttrDict(source), today),
            published_at=_as_datetime(source.get("published_at")),
            support_count=source.get("support_count", 0) or 0,
            comment_count=source.get("comment_count", 0) or 0,
            facets=facets,
            opens_on=_as_date(source.get("opens_on")),
            closes_on=_as_date(source.get("closes_on")),
            status_override=source.get("status_override") or "",
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
        for type_, public_objects in (
            (content.IDEA, content.public_ideas),
            (content.CHALLENGE, content.public_challenges),
            (content.PROJECT, content.public_projects),
            (content.SOLUTION, content.public_solutions),
        ):
            if pks := [pk for kind, pk in pairs if kind == type_]:
                found = public_objects().filter(pk__in=pks).values_list("pk", flat=True)
                public |= {(type_, pk) for pk in found}
        return public

    def run_search(
        self,
        *,
        query: str,
        filters: dict[str, list[str]],
        sort: str,
        page: int,
        page_size: int,
        today: datetime.date,
    ) -> SearchResults:
        s = self._query(query, filters, today)
        s = self._with_aggregations(s, today)
        s = s.highlight_options(
            pre_tags=[PRE], post_tags=[POST], fragment_size=200, number_of_fragments=1
        )
        s = s.highlight("title", number_of_fragments=0).highlight(*HIGHLIGHT_FIELDS)
        s = s.sort(*SORT_ORDERS.get(sort, RELEVANCE_ORDER)).extra(track_total_hits=True)
        if query:
            s = s.suggest(
                "did_you_mean", query, term={"field": "title.plain", "suggest_mode": "missing"}
            )
        response = self._execute(s[(page - 1) * page_size : page * page_size])

        raw = list(response.hits)
        public = self._still_public([(h.type, int(h.pk)) for h in raw])
        hits = [self._hit(h, today) for h in raw if (h.type, int(h.pk)) in public]
        total = response.hits.total.value
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            page=page,
            page_size=page_size,
            facets=self._facets(response, filters),
            did_you_mean=self._did_you_mean(response) if total == 0 and query else "",
            backend=self.name,
        )

    def _query(self, query: str, filters: dict[str, list[str]], today: datetime.date) -> Search:
        """The matching documents: every word of the query, within the chosen filters."""
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
            if facet == "status":
                s = s.filter(status_filter(keys, today))
            else:
                s = s.filter("terms", **{facet: keys})
        return s

    @staticmethod
    def _with_aggregations(s: Search, today: datetime.date) -> Search:
        for facet in FACET_FIELDS:
            # Only ideas have a stored status; challenges are counted just below.
            s.aggs.bucket(facet, "terms", field=facet, size=50)
        s.aggs.bucket(
            CHALLENGE_STATUS_AGG,
            "filters",
            filters={key: challenge_status_query(key, today) for key in ChallengeStatus.values},
        )
        return s

    @staticmethod
    def _highlighted(h) -> tuple[str, str]:
        """The hit's title as HTML (escaped, matches marked) and its snippet."""
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
            snippet = text.highlight(getattr(h, "summary", "") or "", set())
        return title_html, snippet

    def _hit(self, h, today: datetime.date) -> Hit:
        title_html, snippet = self._highlighted(h)
        return Hit(
            type=h.type,
            pk=int(h.pk),
            title=h.title,
            title_html=mark_safe(title_html),  # escaped above
            url=hit_url(h.type, getattr(h, "reference", ""), getattr(h, "url", "")),
            snippet=snippet,
            status=self._status(h, today),
            reference=getattr(h, "reference", "") or "",
            published_at=_as_datetime(getattr(h, "published_at", None)),
            support_count=getattr(h, "support_count", 0) or 0,
            comment_count=getattr(h, "comment_count", 0) or 0,
            score=h.meta.score or 0.0,
        )

    @staticmethod
    def _facets(response, filters: dict[str, list[str]]) -> list:
        aggregations = response.aggregations.to_dict() if "aggregations" in response else {}
        challenge_statuses = aggregations.get(CHALLENGE_STATUS_AGG, {}).get("buckets", {})
        stored = [
            (facet, bucket["key"], bucket["doc_count"])
            for facet in FACET_FIELDS
            for bucket in aggregations.get(facet, {}).get("buckets", [])
        ]
        derived = [
            ("status", key, bucket["doc_count"])
            for key, bucket in challenge_statuses.items()
            if bucket["doc_count"]
        ]
        return build_facets(stored + derived, filters)

    @staticmethod
    def _status(source, today: datetime.date) -> str:
        """The status shown for a stored document: a challenge's as of `today`."""
        if getattr(source, "type", "") != content.CHALLENGE:
            return getattr(source, "status", "") or ""
        opens_on = _as_date(getattr(source, "opens_on", None))
        closes_on = _as_date(getattr(source, "closes_on", None))
        if opens_on is None or closes_on is None:
            # Indexed before the dates were (until the next rebuild_search_index).
            return getattr(source, "status", "") or ""
        return derive_status(
            opens_on=opens_on,
            closes_on=closes_on,
            status_override=getattr(source, "status_override", "") or "",
            day=today,
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

    def suggest(
        self, prefix: str, limit: int = 8, *, municipality: str | None = None
    ) -> list[Suggestion]:
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
        if municipality:
            s = s.filter("term", municipality=municipality)
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

    def similar_ideas(
        self,
        text: str,
        limit: int = 5,
        *,
        exclude: int | None = None,
        municipality: str | None = None,
    ) -> list:
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
        if municipality:
            s = s.filter("term", municipality=municipality)
        if exclude is not None:
            s = s.exclude("ids", values=[f"{content.IDEA}-{exclude}"])
        s = s.source(["pk"])[: limit * 2]
        try:
            response = self._execute(s)
        except SearchUnavailable:
            # Duplicate hints are a nicety on the idea form: never break the form.
            logger.warning("Elasticsearch unavailable for similar ideas; using the database")
            from search.backends.database import DatabaseBackend

            return DatabaseBackend().similar_ideas(
                text, limit, exclude=exclude, municipality=municipality
            )
        ids = [int(h.pk) for h in response.hits]
        return self._ideas_in_order(ids)[:limit]

    def similar_solutions(self, text: str, limit: int = 3) -> list:
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
        s = self._search().query(query).filter("term", type=content.SOLUTION)
        s = s.source(["pk"])[: limit * 2]
        try:
            response = self._execute(s)
        except SearchUnavailable:
            # Suggestions are a nicety on the forms: never break them.
            logger.warning("Elasticsearch unavailable for similar solutions; using the database")
            from search.backends.database import DatabaseBackend

            return DatabaseBackend().similar_solutions(text, limit)
        return self._solutions_in_order([int(h.pk) for h in response.hits])[:limit]
