"""Pipeline: the stages run together on articles, and scored against gold annotations.

Takes ``records.Article`` objects and gives ``records.Extraction`` objects (quotes with speakers and
their descriptions) through ``extract`` / ``extract_many``; ``evaluate`` scores extractions with the
shared evaluation protocol. This is the only stage that loads the spaCy pipeline for others.
"""
