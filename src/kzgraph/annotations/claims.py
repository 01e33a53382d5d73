"""The check that every entity claim (role, membership, headship, parent body, seat, nationality)
cites a passage or says it is the curators' inference, reported with file, line, entry and field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzgraph.annotations import model as m
from kzgraph.annotations.errors import Problem
from kzgraph.annotations.yamlfile import line_of

if TYPE_CHECKING:
    from kzgraph.annotations.load import Origin


def claim_problems(entity: m.Entity, origin: Origin, node: Any) -> list[Problem]:
    """Every role, membership, headship, seat and nationality cites a passage or says it is ours."""
    problems: list[Problem] = []
    if entity.id.startswith(("org/", "group/")) and entity.part_of:
        field = "sub_organization_of" if entity.part_of.startswith("org/") else "located_in"
        problems.append(
            origin.problem(
                "part_of",
                f"for an organisation or group, write {field}: {{ref: {entity.part_of}, "
                "evidence: [...]}} (or basis: inferred with a reason) instead of part_of",
            )
        )
    for name in m.CLAIM_FIELDS:
        for i, claim in enumerate(getattr(entity, name)):
            target = claim.role if isinstance(claim, m.RoleClaim) else claim.ref
            line = line_of(node, name, i) or origin.line
            where = Problem(origin.file, line, origin.entry, f"{name}.{i}", "")
            if claim.basis == "inferred":
                if not claim.reason:
                    where.message = f"{target!r} is inferred: give the reason in one line"
                    problems.append(where)
            elif not claim.evidence:
                where.message = (
                    f"{target!r} has neither evidence nor a basis: cite the passage that states "
                    "it (evidence: [{exact: ...}]) or mark it as ours (basis: inferred, "
                    "reason: ...)"
                )
                problems.append(where)
    return problems
