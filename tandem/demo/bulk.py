"""Writing many demo rows at once."""

from collections.abc import Callable
from typing import Any, TypeVar

Row = TypeVar("Row")


def bulk_insert(objects: list[Row], key: Callable[[Any], Any]) -> list[Row]:
    """``bulk_create`` in batches, with the primary keys read back on a database that does not
    return them (``key`` identifies a row among those just written)."""
    if not objects:
        return objects
    model: Any = type(objects[0])
    made = model.objects.bulk_create(objects, batch_size=500)
    if any(obj.pk is None for obj in made):
        by_key = {key(obj): obj for obj in made}
        for row in model.objects.filter(pk__isnull=False).order_by("-pk")[: len(made) * 2]:
            if key(row) in by_key:
                by_key[key(row)].pk = row.pk
    return list(made)
