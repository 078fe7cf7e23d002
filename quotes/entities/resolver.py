"""One article's speakers: the cast, the mentions resolved to it, and each entity described."""
from __future__ import annotations

from spacy.tokens import Doc

from quotes.extraction.attributions import Mention
from quotes.records import Speaker

from .cast import Cast, Entity
from .describe import Describer
from .mentions import MentionResolver


class Resolver:
    """Maps mentions in one document to entities, building the article's cast as it goes."""

    def __init__(self, doc: Doc, text: str | None = None):
        self.cast = Cast(doc, text)
        self.describer = Describer(self.cast)
        self.cast.add_people(self.describer.describe_person)
        self.mentions = MentionResolver(self.cast)

    def resolve(self, mention: Mention) -> Entity | None:
        """The entity a speaker mention refers to, or an unnamed one built from its description."""
        return self.mentions.resolve(mention)

    def speaker_record(self, entity: Entity) -> Speaker:
        """The records.Speaker for an entity (see Describer.speaker_record)."""
        return self.describer.speaker_record(entity)
