"""Reading: files, folders, HTML pages, JSON records and standard input become normalised articles.

Takes paths (or ``-``) and gives ``records.Article`` objects: the text with mojibake repaired, page
furniture and boilerplate removed, title, outlet, date and URL filled in, and an offset map back to the
file as given. Nothing here knows about spaCy or the database.
"""
