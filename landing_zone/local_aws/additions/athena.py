"""Athena DeleteNamedQuery, and GetNamedQuery of a query that is gone.

moto 5.2 stores saved queries (CreateNamedQuery, GetNamedQuery, ListNamedQueries) but has no
DeleteNamedQuery, so destroying an `aws_athena_named_query` (`logging.athena`) fails; and its
GetNamedQuery of an unknown id fails with HTTP 500 where AWS answers InvalidRequestException, which the
provider reads as "gone". Both act on moto's own store of saved queries.
"""

from __future__ import annotations

import json

from ._helpers import add_actions, json_error


def delete_named_query(self) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.named_queries.pop(query_id, None) is None:
        raise json_error("InvalidRequestException", f"NamedQuery {query_id} was not found")
    return json.dumps({})


def install() -> None:
    from moto.athena.responses import AthenaResponse

    add_actions(AthenaResponse, delete_named_query)
    original = AthenaResponse.get_named_query
    if getattr(original, "_lz_unknown", False):
        return

    def get_named_query(self) -> str:
        query_id = self._get_param("NamedQueryId")
        if self.athena_backend.get_named_query(query_id) is None:
            raise json_error("InvalidRequestException", f"NamedQuery {query_id} was not found")
        return original(self)

    get_named_query._lz_unknown = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    AthenaResponse.get_named_query = get_named_query  # type: ignore[method-assign]  # patches moto's class at run time
