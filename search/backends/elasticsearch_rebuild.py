"""Rebuilding the Elasticsearch index without losing the writes made meanwhile.

Kept apart from the backend (`search.backends.elasticsearch`), which starts a rebuild
with `begin_rebuild()` and sends its writes to the index being built as well.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers

from portal import versions
from search import content
from search.backends.base import SearchUnavailable
from search.documents import index_definition

if TYPE_CHECKING:
    from search.backends.elasticsearch import ElasticsearchBackend

logger = logging.getLogger(__name__)

# What the client raises when the engine cannot be reached or refuses a request.
ENGINE_ERRORS = (TransportError, ApiError, OSError)


class IndexRebuild:
    """One rebuild of the Elasticsearch index, in steps a test can interleave writes with.

    1. `start()` creates a new index and puts it behind `<prefix>-building`. From then on
       every write (`index_documents`, `delete`, in any process) also goes to it.
    2. `load(batches)` bulk-loads documents read from the database with `op_type=create`:
       a document a writer put there already is kept, because the writer read the
       database after its change committed, so it is never older than the batch.
    3. `finish()` removes what stopped being public while loading (a batch read before an
       idea was hidden would otherwise bring it back), refreshes, and in one `_aliases`
       request moves the live alias to the new index and takes `<prefix>-building` off
       it. The old index is then deleted.

    Writes between `finish()` reading the database and the swap still reach the new index
    through the building alias. `abort()` deletes the new index; the live one is untouched.
    One rebuild runs at a time: `start()` deletes what a killed rebuild left behind.
    """

    def __init__(self, backend: ElasticsearchBackend):
        self.backend = backend
        self.index = backend._new_index_name()
        self.loaded = 0
        # (type, pk) -> (seq_no, primary_term) of the copy this rebuild wrote, so that
        # `finish()` removes only its own copies, never a writer's newer one.
        self._written: dict[tuple[str, int], tuple[int, int]] = {}

    def _writer(self) -> Elasticsearch:
        return self.backend._writer()

    def start(self) -> None:
        writer = self._writer()
        try:
            live = set(self.backend._indices_behind_alias())
            for leftover in self.backend._indices_behind(self.backend.building_alias):
                if leftover not in live:
                    writer.options(ignore_status=404).indices.delete(index=leftover)
            index_definition(self.index).create(using=writer)
            writer.indices.update_aliases(
                actions=[{"add": {"index": self.index, "alias": self.backend.building_alias}}]
            )
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(str(exc)) from exc

    def load(self, batches: Iterable[list[content.SearchDocument]], progress=None) -> int:
        """Bulk-load `batches`; returns how many documents were loaded so far."""
        writer = self._writer()
        try:
            for batch in batches:
                actions = [
                    {**action, "_op_type": "create"}
                    for action in self.backend._actions(batch, self.index)
                ]
                results = helpers.streaming_bulk(
                    writer, actions, chunk_size=500, ignore_status=(409,)
                )
                for ok, item in results:
                    result = item["create"]
                    if ok:
                        type_, _, pk = result["_id"].partition("-")
                        key = (type_, int(pk))
                        self._written[key] = (result["_seq_no"], result["_primary_term"])
                self.loaded += len(batch)
                if progress:
                    progress(self.loaded)
        except (*ENGINE_ERRORS, helpers.BulkIndexError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        return self.loaded

    def finish(self) -> None:
        """Catch up with what was hidden while loading, then swap the new index in."""
        writer = self._writer()
        backend = self.backend
        try:
            public = content.public_keys()
            gone = [
                {
                    "_op_type": "delete",
                    "_index": self.index,
                    "_id": f"{type_}-{pk}",
                    # Only our own copy: a writer may have put a newer one there since.
                    "if_seq_no": seq_no,
                    "if_primary_term": primary_term,
                }
                for (type_, pk), (seq_no, primary_term) in sorted(self._written.items())
                if (type_, pk) not in public
            ]
            if gone:
                helpers.bulk(writer, gone, ignore_status=(404, 409))
            writer.indices.refresh(index=self.index)
            old = backend._indices_behind_alias()
            # One request: the alias never points at nothing, nor at both, and from the
            # moment writes stop going to the new index by name they reach it by alias.
            actions = [{"remove": {"index": name, "alias": backend.alias}} for name in old]
            actions.append({"add": {"index": self.index, "alias": backend.alias}})
            actions.append({"remove": {"index": self.index, "alias": backend.building_alias}})
            writer.indices.update_aliases(actions=actions)
            for name in old:
                writer.options(ignore_status=404).indices.delete(index=name)
        except (*ENGINE_ERRORS, helpers.BulkIndexError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        backend._alias_checked = True
        versions.bump(versions.SEARCH)

    def abort(self) -> None:
        try:
            self._writer().options(ignore_status=404).indices.delete(index=self.index)
        except ENGINE_ERRORS:
            logger.exception("Could not delete the abandoned index %s", self.index)
