"""The public Python API: what ``import quotes`` offers, on top of every other stage.

``extracting`` (extract, extract_many: the command line's reading and clean-up, offsets into the text as
given), ``database`` (open: a facade over the store and the queries that gives records), ``records``
(QuoteRecord, SpeakerRecord, to_records) and ``component`` (the spaCy pipeline component "quotes").
Nothing here imports click; spaCy is imported only by what extracts.
"""
