def among(rows, field: str, ids, *, limit: int) -> list[int]:
    """Which of ``ids`` (the first ``limit`` of them, in order) appear as ``field``
    in ``rows`` (a queryset already narrowed to one reader): one indexed query, for
    the per-reader state of links every reader shares (README, "Reading list")."""
    chosen = sorted(set(ids))[:limit]
    if not chosen:
        return []
    return sorted(rows.filter(**{f"{field}__in": chosen}).values_list(field, flat=True))
