"""Entities: who the speakers of one article are, and what each of them is.

Takes a ``Doc`` and the mentions the extraction found and gives ``records.Speaker`` descriptions: the
article's cast of people and bodies (``cast``), the entity each mention means (``mentions``: names,
surnames, pronouns, descriptions, statement holders), and each entity's title, organisation and country
(``describe``), with country knowledge in ``countries`` (which query code may use without spaCy).
"""
