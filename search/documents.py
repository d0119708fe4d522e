"""The Elasticsearch document for ideas and challenge pages, and its analysis chain.

Ideas and challenges share one index (one query returns mixed results, one aggregation
counts facets over both), told apart by the `type` keyword. The index has a versioned
name behind an alias; see `search.backends.elasticsearch`.

Analysis: standard tokenizer, lowercase, Norwegian stop words, asciifolding with
`preserve_original` (so "søppel" is indexed both as typed and as "soppel"), then the
Norwegian Snowball stemmer ("barnehagen", "barnehager" -> "barnehag").
"""

from __future__ import annotations

from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

from search.content import CHALLENGE, SearchDocument

norwegian_stop = token_filter("norwegian_stop", "stop", stopwords="_norwegian_")
norwegian_stemmer = token_filter("norwegian_stemmer", "stemmer", language="norwegian")
folding = token_filter("folding_preserving", "asciifolding", preserve_original=True)

norwegian_text = analyzer(
    "norwegian_text",
    tokenizer="standard",
    filter=["lowercase", norwegian_stop, folding, norwegian_stemmer],
)
# Unstemmed, for "did you mean" (real words, not stems) and exact-ish matching.
plain_text = analyzer("plain_text", tokenizer="standard", filter=["lowercase", folding])

# Field boosts: title > summary > body > comments.
SEARCH_FIELDS = ["title^8", "summary^4", "body^2", "comments"]
HIGHLIGHT_FIELDS = ("summary", "body", "comments")
FACET_FIELDS = ("type", "municipality", "status", "theme", "unit", "tag", "challenge")


class PortalDocument(Document):
    type = Keyword()
    pk = Integer()
    title = Text(
        analyzer=norwegian_text,
        fields={"plain": Text(analyzer=plain_text), "raw": Keyword(ignore_above=256)},
    )
    title_suggest = SearchAsYouType(analyzer=plain_text)
    summary = Text(analyzer=norwegian_text)
    body = Text(analyzer=norwegian_text)
    comments = Text(analyzer=norwegian_text)
    reference = Keyword()
    url = Keyword(index=False)
    # Ideas only. A challenge's status changes as days pass, so the index keeps what it
    # is derived from (its dates and the editor's override) and searches derive it for
    # the day they run (search.backends.elasticsearch).
    status = Keyword()
    opens_on = Date()
    closes_on = Date()
    status_override = Keyword()
    municipality = Keyword()
    theme = Keyword()
    unit = Keyword()
    tag = Keyword()
    challenge = Keyword()
    published_at = Date()
    support_count = Integer()
    comment_count = Integer()

    @classmethod
    def from_search_document(cls, doc: SearchDocument) -> PortalDocument:
        return cls(
            meta={"id": doc.doc_id},
            type=doc.type,
            pk=doc.pk,
            title=doc.title,
            title_suggest=doc.title,
            summary=doc.summary,
            body=doc.body,
            comments=doc.comments,
            reference=doc.reference,
            url=doc.url,
            status=None if doc.type == CHALLENGE else doc.status,
            opens_on=doc.opens_on,
            closes_on=doc.closes_on,
            # Left out, not "", when there is none: `exists` tells the two apart.
            status_override=doc.status_override or None,
            municipality=doc.facets.get("municipality", []),
            theme=doc.facets.get("theme", []),
            unit=doc.facets.get("unit", []),
            tag=doc.facets.get("tag", []),
            challenge=doc.facets.get("challenge", []),
            published_at=doc.published_at,
            support_count=doc.support_count,
            comment_count=doc.comment_count,
        )


def index_definition(name: str) -> Index:
    """A concrete (versioned) index with the portal's settings, mapping and analysis."""
    index = Index(name)
    index.settings(number_of_shards=1)
    index.document(PortalDocument)
    return index
