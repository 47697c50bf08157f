"""Article text -> draft forecasts for a person to review (VERBAL.md part 2). No database writes.

Rule-based and offline: the standard library, the verbal-probability scales (``forecasts.scales``)
and the probability and horizon readers of ``forecasts.parse``. Sentences are split by a regex
tuned for news copy (abbreviations, initials, quotes); pysbd can be asked for
(``segmenter="pysbd"``) when installed. dateparser, when installed, is tried only for a time
expression the horizon table cannot read. Neither is required.

Each draft says who made the forecast (direct quote, indirect speech, "according to", a pronoun
resolved to the last named speaker, a collective source such as "analysts", or the article's own
voice), the verbatim words with character offsets into the text, the event rewritten in positive
form, the cue and the probability it maps to through a named scale (with the row and its source),
the horizon and the resolution date it implies, and flags for what a reviewer should check.

Input, one module per format: ``document`` (plain text, standard input, folders and batches),
``html`` (trafilatura, optional) and ``pdf`` (pypdf, optional).

The pipeline, one module per phase:

- ``article``: source URL, date, outlet, title, byline and the lines of body text
- ``sentences``: sentences, paragraphs and quoted spans
- ``cues``: the words that carry a forecast, and negation
- ``attribution``: who says each sentence; surnames and pronouns resolved per article
- ``horizons``: the time expression of a claim and its resolution date
- ``events``: the clause a cue governs, its condition, the event in positive form
- ``screening``: why a cue in its clause makes no forecast (question, intent, schedule, past)
- ``claims``: cues grouped into claims and the drafts built from them (``extract``)

Example::

    >>> article = "Analysts expect the central bank to cut rates by the end of the year."
    >>> result = extract(article, date="2025-03-01")
    >>> d = result["drafts"][0]
    >>> d["speaker"], d["probability"], d["resolves"]
    ('Analysts', 0.7, '2025-12-31')
    >>> article[d["cue_start"]:d["cue_end"]]
    'expect'
"""

from .article import Article, Line, load
from .attribution import Context, Speaker, speaker_after, speaker_before
from .claims import MIN_SCORE, extract
from .cues import Cue, find_cues
from .horizons import horizon
from .sentences import Sentence, find_quotes, segmenter_name, sentences
from .text import ExtractError

__all__ = ["ExtractError", "extract", "segmenter_name", "MIN_SCORE", "Article", "Line", "load",
           "Sentence", "find_quotes", "sentences", "Cue", "find_cues", "Speaker", "speaker_before",
           "speaker_after", "Context", "horizon"]
