"""Extraction: a parsed spaCy ``Doc`` becomes quote spans with the mention, cue and rule behind each.

Takes an article's text and its ``Doc`` (``nlp.load_pipeline`` parses it) and gives ``attributions.Attribution``
records: character offsets of what was said, its kind (direct, partial, indirect), the token span of the
speaker mention, the cue and the rule's confidence. Quotation marks are paired in ``marks``; ``attribution``
and ``nearby`` attribute quoted spans; ``reported`` (with ``clauses``, ``objects``, ``findings``,
``statements``) finds reported speech; ``interviews`` reads Q&A transcripts. The words the rules rest on
are in ``lexicon`` (``quotes/data/lexicon.txt``). Who a mention means is the next stage's question.
"""
