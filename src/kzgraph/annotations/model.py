"""The records of an annotation file, as typed models (unknown fields are errors).

The format is documented in ``data/README.md``; keep the two in step (a test checks that every
field here is named there).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REF = re.compile(r"^[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
MAX_EVIDENCE_WORDS = 12


def _date_text(value: Any) -> Any:
    """YAML reads ``2023-04-10`` as a date and ``2023`` as an int; keep all three as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:04d}"
    if isinstance(value, str) and not DATE.match(value):
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value


DateText = Annotated[str, BeforeValidator(_date_text)]


def _ref(value: Any) -> Any:
    if isinstance(value, str) and not REF.match(value):
        raise ValueError(f"expected a reference like 'person/max-bokaev', got {value!r}")
    return value


Ref = Annotated[str, BeforeValidator(_ref)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, (str, dict)) else value


RefList = Annotated[list[Ref], BeforeValidator(_as_list)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Record):
    exact: str
    start: int | None = None
    end: int | None = None
    source: str | None = None
    occurrence: int | None = None

    @field_validator("exact")
    @classmethod
    def _short(cls, value: str) -> str:
        words = len(value.split())
        if words == 0:
            raise ValueError("the evidence phrase is empty")
        if words > MAX_EVIDENCE_WORDS:
            raise ValueError(
                f"the evidence phrase has {words} words; at most {MAX_EVIDENCE_WORDS} may be quoted"
            )
        return value


EvidenceList = Annotated[list[Evidence], BeforeValidator(_as_list)]


class Period(Record):
    start: DateText | None = None
    end: DateText | None = None


class Dated(Record):
    date: DateText | None = None
    year_inferred: bool = False
    date_qualifier: Literal["early", "mid", "late", "around", "before", "after", "by"] | None = None


class Mention(Record):
    exact: str
    start: int | None = None
    end: int | None = None
    occurrence: int | None = None
    source: str | None = None
    entity: Ref | None = None
    # "name": a spelling of the entity's name (becomes skos:altLabel); "reference": a description
    # or pronoun-like phrase that refers to it ("a man", "four others"): a kz:Mention only.
    # Mentions of group/ entities are references unless marked as names.
    form: Literal["name", "reference"] | None = None


class Claim(Record):
    """One entity-level claim (a role, membership, headship, nationality or seat): the passages
    that state it, or the curators' basis and reason when no report states it."""

    evidence: EvidenceList = Field(default_factory=list)
    basis: Literal["stated", "inferred"] | None = None
    reason: str | None = None
    note: str | None = None


class RoleClaim(Claim):
    role: str


class RefClaim(Claim):
    ref: Ref


def _role_claims(value: Any) -> Any:
    items = value if isinstance(value, list) else [value]
    return [{"role": v} if isinstance(v, str) else v for v in items]


def _ref_claims(value: Any) -> Any:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [{"ref": v} if isinstance(v, str) else v for v in items]


RoleClaims = Annotated[list[RoleClaim], BeforeValidator(_role_claims)]
RefClaims = Annotated[list[RefClaim], BeforeValidator(_ref_claims)]

# The entity fields that are claims, each needing evidence or a basis.
CLAIM_FIELDS = ("roles", "member_of", "head_of", "located_in", "nationality", "sub_organization_of")


class Entity(Record):
    id: Ref
    name: str
    kind: str | None = None
    roles: RoleClaims = Field(default_factory=list)
    member_of: RefClaims = Field(default_factory=list)
    head_of: RefClaims = Field(default_factory=list)
    part_of: Ref | None = None
    sub_organization_of: RefClaims = Field(default_factory=list)
    located_in: RefClaims = Field(default_factory=list)
    nationality: RefClaims = Field(default_factory=list)
    same_as_basis: Literal["stated", "inferred"] | None = None
    merge_note: str | None = None
    description: str | None = None
    former_names: list[str] = Field(default_factory=list)
    number: str | None = None
    mentions: list[Mention] = Field(default_factory=list)


class Fact(Dated):
    # the fields whose values are keys of a concept scheme (ontology/vocabularies.ttl): field ->
    # scheme; every key is checked on build (kzgraph.annotations.vocab)
    VOCABULARY: ClassVar[dict[str, str]] = {"rights": "right"}
    id: str
    evidence: EvidenceList
    summary: str | None = None
    note: str | None = None
    # the fields that are the curators' inference, not the report's statement: field -> reason
    inferred: dict[str, str] = Field(default_factory=dict)
    rights: list[str] = Field(default_factory=list)
    place: RefList = Field(default_factory=list)
    event: Ref | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"expected a slug (lower-case ASCII, digits and '-'), got {value!r}")
        return value


class Event(Fact):
    VOCABULARY = {**Fact.VOCABULARY, "type": "event-type"}
    name: str
    aliases: list[str] = Field(default_factory=list)
    type: str
    start: DateText | None = None
    end: DateText | None = None
    part_of: Ref | None = None
    participants: RefList = Field(default_factory=list)
    evidence: EvidenceList = Field(default_factory=list)


class Charge(Record):
    label: str
    provision: Ref | None = None
    provision_basis: Literal["stated", "inferred"] | None = None
    evidence: EvidenceList = Field(default_factory=list)


class Sentence(Record):
    penalty: str
    term: str | None = None
    suspended: bool = False
    court: Ref | None = None
    date: DateText | None = None
    evidence: EvidenceList = Field(default_factory=list)

    @field_validator("term")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$", value):
            raise ValueError(f"expected an xsd:duration such as P6Y, P20D or P2Y6M, got {value!r}")
        return value


class Act(Fact):
    VOCABULARY = {**Fact.VOCABULARY, "type": "act-type"}
    type: str
    victims: RefList = Field(default_factory=list)
    perpetrators: RefList = Field(default_factory=list)
    court: Ref | None = None
    participants: RefList = Field(default_factory=list)
    count: Ref | None = None
    follows: Ref | None = None
    charges: list[Charge] = Field(default_factory=list)
    sentence: Sentence | None = None
    concerns: RefList = Field(default_factory=list)
    start: DateText | None = None
    end: DateText | None = None


class Statistic(Fact):
    VOCABULARY = {**Fact.VOCABULARY, "qualifier": "numeric-qualifier", "measure": "measure"}
    value: float | None = None
    max: float | None = None
    qualifier: str = "exact"
    unit: str
    measure: str
    counts: str
    as_of: DateText | None = None
    period: Period | None = None
    attributed_to: Ref | None = None


class Outcome(Fact):
    VOCABULARY = {**Fact.VOCABULARY, "kind": "outcome-type"}
    kind: str
    subjects: list[str] = Field(default_factory=list)
    count: Ref | None = None
    attributed_to: Ref | None = None
    as_of: DateText | None = None


class Recommendation(Fact):
    by: RefList
    to: Ref
    cycle: int
    section: str | None = None
    response: Literal["accepted", "noted", "rejected"] | None = None
    concerns: RefList = Field(default_factory=list)


class Intervention(Fact):
    VOCABULARY = {**Fact.VOCABULARY, "type": "intervention-type"}
    type: str
    actors: RefList
    addressed_to: Ref | None = None
    concerns: RefList = Field(default_factory=list)


class Assessment(Fact):
    VOCABULARY = {**Fact.VOCABULARY, "status": "implementation-status"}
    recommendation: Ref
    status: str
    based_on: RefList = Field(default_factory=list)
    as_of: DateText | None = None


class Corroboration(Record):
    fact: Ref
    evidence: EvidenceList
    # a figure keeps this report's own frame when it differs from the declaring report's
    as_of: DateText | None = None
    qualifier: str | None = None
    attributed_to: Ref | None = None
    note: str | None = None


class Section(Record):
    id: str
    title: str
    exact: str
    start: int | None = None
    end: int | None = None
    occurrence: int | None = None


class ReportMeta(Record):
    id: str
    source: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str
    publisher: RefList
    about: Ref | None = None
    issued: DateText
    period: Period
    url: str | None = None
    genre: Literal["world-report", "upr-submission", "civic-space-update", "report-summary"]
    summary_of: str | None = None
    notes: str | None = None
    language: str = "en"


# The lists a file may hold, by top-level key, with the model of their entries and the IRI kind
# their ids are minted under.
FACT_LISTS: dict[str, tuple[type[Fact], str]] = {
    "events": (Event, "event"),
    "acts": (Act, "act"),
    "statistics": (Statistic, "statistic"),
    "outcomes": (Outcome, "outcome"),
    "recommendations": (Recommendation, "recommendation"),
    "interventions": (Intervention, "intervention"),
    "assessments": (Assessment, "assessment"),
}
ENTITY_LISTS = ("entities", "places", "laws", "provisions", "organisations", "people", "groups")
