"""Phase 4, attribution: who says each sentence (reporting verbs, "according to", colon quotes,
continued quotes), names registered per article so that surnames and pronouns resolve."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .. import parse
from .article import Article
from .text import _clean, _words

# --- 4. attribution -----------------------------------------------------------------------------------

_REPORTING = re.compile(
    r"(?<![\w\-])(said|says|say|told|tells|tell|added|adds|wrote|writes|warned|warns|warn|argued|"
    r"argues|argue|predicted|noted|notes|note|cautioned|cautions|caution|estimated|estimates|"
    r"suggested|suggests|suggest|explained|explains|insisted|insists|insist|stressed|stresses|"
    r"claimed|claims|acknowledged|acknowledges|conceded|concedes|admitted|admits|stated|states|"
    r"declared|declares|announced|announces|believes|believe|believed|thinks|think|thought|"
    r"reckons|reckon|reckoned|maintained|maintains|contended|contends|asserted|asserts|"
    r"emphasi[sz]ed|emphasi[sz]es|pointed\s+out|points\s+out|observed|observes|commented|"
    r"remarked|replied|replies|responded|responds|assessed|assesses|concluded|concludes|"
    r"countered|counters|counter|expects|expect|expected|predicts|predict|forecast|forecasts|"
    r"bets|bet|suspects|suspect|sees|advised|advises|indicated|indicates|revealed|reveals|implied|implies|"
    r"asked(?=[.,]|\s+(?:reporters|journalists)\b)|"
    r"agrees?|agreed|according\s+to|saying|adding|warning|predicting|noting|arguing|stating|"
    r"explaining|suggesting|claiming|forecasting|insisting|cautioning|estimating|"
    r"(?:reports?|reported|reporting|speculates?|speculated|speculating|feels?|felt|indicate)(?=\s+that\b))"
    r"(?![\w\-])(?!\s+tanks?\b)", re.I)
_PAST_REPORTING = re.compile(
    r"(?<![\w\-])(said|told|added|wrote|warned|argued|predicted|noted|cautioned|estimated|"
    r"suggested|explained|insisted|stressed|claimed|acknowledged|conceded|admitted|stated|"
    r"declared|announced|believed|thought|reckoned|maintained|contended|asserted|emphasi[sz]ed|"
    r"pointed\s+out|observed|concluded|countered|expected|predicted|forecast|implied|indicated|"
    r"reported|speculated|felt)(?![\w\-])", re.I)
_TITLE_WORDS = {
    "president", "chancellor", "secretary", "minister", "prime", "deputy", "vice", "foreign",
    "defence", "defense", "senator", "sen", "governor", "gov", "general", "gen", "ambassador",
    "envoy", "director", "chief", "adviser", "advisor", "spokesman", "spokeswoman",
    "spokesperson", "commissioner", "commander", "professor", "prof", "dr", "mr", "ms", "mrs",
    "sir", "dame", "lord", "lady", "rep", "mayor", "chairman", "chairwoman", "chair", "ceo",
    "officer", "king", "queen", "prince", "pope", "premier", "senior", "former", "state",
    "secretary-general", "head", "leader", "economist", "analyst", "strategist", "expert",
    "fellow", "lecturer", "researcher", "judge", "justice", "attorney", "speaker", "representative",
    "staff", "organizer", "organiser", "coach", "manager", "founder", "captain", "inspector",
    "detective", "sergeant", "colonel", "lieutenant", "bishop", "archbishop", "cardinal", "rabbi",
    "imam", "councillor", "councilor", "congressman", "congresswoman", "chairperson", "treasurer",
    "of", "and", "the", "for", "at", "us", "u.s.", "uk", "eu", "un",
}
_ROLE_WORDS = {
    "expert", "experts", "adviser", "advisor", "advisers", "advisors", "analyst", "analysts",
    "officer", "officers", "minister", "ministers", "secretary", "president", "chancellor",
    "spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokespeople", "economist",
    "economists", "strategist", "strategists", "official", "officials", "diplomat", "diplomats",
    "leader", "leaders", "senior", "former", "deputy", "foreign", "chief", "army",
    "intelligence", "defence", "defense", "military", "head", "director", "fellow", "professor",
    "lecturer", "governor", "chairman", "chair", "ceo", "founder", "partner", "researcher",
    "researchers", "scientist", "scientists", "commander", "commanders", "general", "envoy",
    "ambassador", "negotiator", "negotiators", "correspondent", "editor", "columnist", "writer",
    "author", "team", "aides", "aide", "sources", "source", "observers", "critics", "commentators",
    "investors", "traders", "markets", "pollsters", "forecasters", "mediators", "lawmakers",
    "legislators", "senators", "members", "authorities", "government", "ministry", "insiders",
    "bankers", "executives", "executive", "manager", "managers", "think", "tank", "institute",
    "bank", "fund", "firm", "company", "agency", "department", "office", "union", "council",
    "committee", "commission", "campaign", "party", "spokespersons", "surveys", "models",
    "warnings", "western", "european", "american", "russian", "ukrainian", "british", "chinese",
    "diplomatic", "political", "economic", "financial", "independent", "local", "many", "some",
    "most", "several", "other", "top", "leading", "private", "public", "industry", "market",
    "security", "policy", "veteran", "service", "bureau", "authority", "board", "centre", "center",
    "administration", "regulator", "regulators", "court", "parliament", "police", "scientist",
    "hydrologist", "meteorologist", "spokesperson", "and", "of", "at", "the", "for", "'s", "in",
}
_NAME_PART_TITLES = {"state", "general", "foreign", "senior", "chief", "deputy", "prime", "royal"}
_ORG_HEADS = {"service", "agency", "bureau", "office", "authority", "board", "institute", "centre",
              "center", "ministry", "department", "commission", "committee", "council", "bank",
              "company", "firm", "group", "party", "team", "administration", "government",
              "regulator", "court", "parliament", "police", "fund", "union", "agency"}
_COLLECTIVE = {
    "analysts", "experts", "economists", "officials", "diplomats", "observers", "critics",
    "commentators", "investors", "traders", "strategists", "sources", "leaders", "spokesmen",
    "spokespeople", "spokespersons", "authorities", "researchers", "scientists", "forecasters",
    "pollsters", "markets", "aides", "advisers", "advisors", "lawmakers", "legislators",
    "ministers", "negotiators", "mediators", "governments", "insiders", "bankers", "executives",
    "warnings", "surveys", "models", "polls", "many", "some", "others", "officers", "generals",
    "commanders", "planners", "people", "members", "capitals", "allies", "bookmakers", "bookies",
    "punters", "gamblers", "bettors",
}
# A document or channel that speaks for its makers: "the poll predicted", "the report says".
_SOURCE_NOUNS = {"poll", "survey", "report", "study", "forecast", "model", "analysis", "statement",
                 "note", "website", "site", "newspaper", "paper", "agency", "bureau", "projection",
                 "outlook", "assessment", "review", "memo", "document", "bulletin", "advisory"}
_DISCOURSE = {"while", "but", "and", "however", "as", "after", "before", "when", "although",
              "though", "meanwhile", "yet", "so", "if", "since", "because", "also", "still", "now",
              "then", "this", "that", "these", "those", "in", "on", "at", "for", "with", "despite",
              "under", "over", "the", "a", "an", "moreover", "furthermore", "indeed", "instead",
              "even", "only", "here", "there", "what", "with", "by", "from", "to", "of"}
_PARTICLES = {"de", "van", "von", "der", "den", "al", "bin", "ibn", "la", "le", "da", "di", "du",
              "del", "dos", "das"}
_STRIP_TAIL = re.compile(
    r"(?:[\s,]+(?:are|is|was|were|be|been|continu(?:e|es|ed)\s+to|went\s+on\s+to|go(?:es)?\s+on\s+to|has|have|had|also|previously|recently|later|then|further|once|again|earlier|"
    r"publicly|privately|repeatedly|reportedly|separately|now|already|still|even|however|both|"
    r"all|too|who|which|[a-z]+ly|yesterday|today|tonight|on\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)|last\s+(?:week|month|year|night)|this\s+(?:week|month|"
    r"year|morning)))+\s*$")


MAX_FRAMES_PER_SENTENCE = 8


@dataclass
class Speaker:
    name: str | None
    role: str | None = None
    kind: str = "person"          # person, organisation, collective, descriptive, editorial
    attribution: str = "indirect"  # direct_quote, indirect, according_to, collective, editorial
    flags: tuple = ()
    members: tuple = ()            # named members of a collective ("officials, including X and Y")
    pronoun: str | None = None
    gender: str | None = None


def _np_tokens(t):
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Za-z0-9][\w'\u2019.\-]*", t)]


def _is_cap(word):
    return word[:1].isupper() or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", word) is not None


def _classify(np_text, appositive=None):
    """Split a speaker noun phrase into name, role and kind."""
    np_text = _clean(np_text)
    if np_text.endswith(".") and "." not in np_text.split()[-1][:-1]:
        np_text = np_text[:-1]
    toks = [w for _, _, w in _np_tokens(np_text)]
    while toks and toks[0].lower() in _DISCOURSE and len(toks) > 1:
        np_text = np_text[np_text.find(toks[0]) + len(toks[0]):].strip()
        toks = toks[1:]
    if not toks:
        return None
    low = toks[-1].lower().rstrip(".")
    if low in ("he", "she", "they", "we", "i", "it"):
        return Speaker(None, kind="pronoun", pronoun=low)
    if low in _COLLECTIVE or (low.endswith("s") and low in _ROLE_WORDS and low not in ("news",)):
        return Speaker(np_text, role=appositive, kind="collective", attribution="collective")
    m = re.match(r"(?P<person>.*?[A-Z][\w'\u2019\-]+\s+[A-Z][\w'\u2019\-]+)\s+(?P<link>of|at|from)\s+(?P<org>(?:the\s+)?[A-Z].*)$", np_text)
    if m and not re.search(r"\b(?:University|Institute|Bank|Secretary|State|Commerce|Foreign)\b", m["person"].split()[-1]):
        inner = _classify(m["person"])
        if inner and inner.kind == "person" and inner.name and len(inner.name.split()) >= 2:
            extra = f"{m['link']} {m['org']}"
            inner.role = f"{inner.role} {extra}" if inner.role else extra
            if appositive:
                inner.role = f"{inner.role}, {appositive}"
            return inner
    name = []
    # "State Emergency Service", "Foreign Office": a title word inside an organisation's name
    org_tail = low in _ORG_NAME_WORDS and _is_cap(toks[-1])
    for i in range(len(toks) - 1, -1, -1):
        w = toks[i]
        base = w.lower().rstrip(".").replace("\u2019", "'")
        if _is_cap(w) and (base not in _TITLE_WORDS or org_tail and base in _NAME_PART_TITLES) \
                and not base.endswith("'s") or (name and base in _PARTICLES):
            name.insert(0, w)
        elif name and base in ("of", "for", "on") and i > 0 and toks[i - 1][:1].isupper() \
                and toks[i - 1].lower() in _ORG_NAME_WORDS | _ORG_HEADS:
            name.insert(0, w)  # "Bureau of Meteorology", "Centre for Economic Research"
        else:
            break
    if not name:
        if low in _SOURCE_NOUNS:
            return Speaker(np_text, role=appositive, kind="descriptive")
        if low in _ROLE_WORDS or low in _TITLE_WORDS:
            return Speaker(np_text, role=appositive, kind="descriptive")
        return None
    name_text = " ".join(name)
    role = _clean(np_text[: np_text.rfind(name[0])]) or None
    if appositive:
        role = f"{role}, {appositive}" if role else appositive
    gender = None
    if toks[0].lower().rstrip(".") in ("mr", "sir", "lord", "king", "prince"):
        gender = "m"
    elif toks[0].lower().rstrip(".") in ("ms", "mrs", "miss", "dame", "lady", "queen"):
        gender = "f"
    kind = "person" if len(name) >= 2 or role or gender else "organisation"
    if _organisation_name(name):
        kind = "organisation"
        if role and role.lower() in ("the", "a", "an"):
            role = None
    if role and role.lower().rstrip(".") in ("mr", "ms", "mrs", "dr", "prof", "miss", "sir"):
        role = None
    return Speaker(name_text, role=role, kind=kind, gender=gender)


# The last word of an organisation's name ("World Bank", "Capital Economics", "Reuters").
_ORG_NAME_WORDS = {
    "bank", "fund", "center", "centre", "office", "agency", "organization", "organisation",
    "service", "services", "university", "college", "school", "party", "council", "commission",
    "ministry", "department", "institute", "institution", "association", "group", "inc", "corp",
    "corporation", "ltd", "plc", "llc", "co", "company", "times", "news", "post", "press", "journal",
    "herald", "telegraph", "guardian", "tribune", "daily", "weekly", "magazine", "network", "radio",
    "television", "tv", "foundation", "society", "union", "federation", "committee", "board",
    "bureau", "authority", "administration", "government", "court", "parliament", "congress",
    "senate", "assembly", "police", "army", "navy", "forces", "economics", "research", "capital",
    "partners", "securities", "markets", "holdings", "motors", "airlines", "systems", "league",
    "club", "team", "program", "programme", "project", "observatory", "laboratory", "lab",
    "institutes", "reuters", "bloomberg", "nasa", "noaa", "who", "imf", "ilo", "opec", "fifa",
    "uefa", "ioc", "fbi", "cia", "bbc", "cnn", "ap", "afp", "nato", "un", "eu", "fda", "cdc",
}


def _organisation_name(words):
    """Whether a capitalised name names an organisation ("World Bank", "NHC", "Goldman Sachs"
    is not detectable this way and stays a person-like name)."""
    if not words:
        return False
    last = words[-1].rstrip(".").replace("\u2019", "'")
    if last.endswith("'s"):
        last = last[:-2]
    return last.lower() in _ORG_NAME_WORDS or (len(last) >= 2 and last.isupper()
                                               and last.isalpha())


def speaker_before(text, lo, pos):
    """The speaker noun phrase ending just before pos (a reporting verb or cue), or None."""
    lo = max(lo, pos - 300)  # a name, its role and an appositive: never more (bounded work)
    t = text[lo:pos]
    m = _STRIP_TAIL.search(t)
    if m:
        t = t[:m.start()] + ("," if "," in t[m.start():] else "")
    appositive = None
    # "Reports from the Israeli website Debka.com, which reports on intelligence matters, say"
    t = re.sub(r",\s*(?:which|who)\s+[^,;:\u201c\u201d\"]{2,100},\s*$", "", t)
    report = re.search(r"(?:^|[.;:]\s+|\bthat\s+)(?i:reports?|a\s+report|an?\s+article|statements?)\s+"
                       r"(?:from|by|in|on)\s+(?P<src>(?:the\s+)?[^,;:]{2,80}?)\s*$", t)
    if report:
        found = speaker_before(report["src"], 0, len(report["src"]))
        if found is not None and found.name:
            return found
    team = re.search(r"(?:^|[,;:]\s*|\b(?:that|while|and)\s+)(?P<coll>(?i:economists|analysts|strategists|"
                     r"researchers|scientists|forecasters|experts|bankers|officials|traders))\s+"
                     r"(?:at|from|with)\s+(?P<org>[A-Z][\w&.'\u2019\-]*(?:\s+[A-Z][\w&.'\u2019\-]*){0,3})"
                     r"(?:,?\s+led\s+by\s+(?P<lead>[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+){0,2}),?)?\s*$", t)
    if team:
        role = f"led by {team['lead']}" if team["lead"] else None
        return Speaker(f"{team['org']} {team['coll'].lower()}", role=role, kind="collective",
                       attribution="collective")
    anon = re.search(r"((?:people|persons?|sources?|officials?|someone|one\s+person|a\s+person|"
                     r"insiders?)\s+(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?"
                     r"knowledge\s+of|involved\s+in|aware\s+of)\s+[\w\s'\u2019\-]{1,40}?)\s*$", t)
    if anon:
        return Speaker(_clean(anon[1]), kind="collective", attribution="collective")
    affiliated = re.search(
        r"(?:^|[.;:,]\s+|\bthat\s+)(?P<name>[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+)+)"
        r"\s+(?P<link>from|of|at|with)\s+(?P<org>(?:the\s+)?[\w'\u2019.\- ]{2,60}?)\s*$", t)
    if affiliated and not _organisation_name(affiliated["name"].split()):
        person = _classify(affiliated["name"])
        if person and person.kind == "person":
            person.role = _clean(f"{affiliated['link']} {affiliated['org']}")
            return person
    m = re.search(r",\s*(?P<app>[^,;:\u201c\u201d\"]{2,140}?)\s*,\s*$", t)
    if m:
        named = _classify(m["app"])
        before = t[: m.start()]
        lead = re.search(r"(?:^\s*|[.;:]\s*|,\s*)((?:[A-Za-z][\w'\u2019\-]*\s+){0,9}[A-Za-z][\w'\u2019\-]*)\s*$", before)
        if named and named.kind == "person" and named.name and len(named.name.split()) >= 2 and lead \
                and _words(lead[1])[0].lower() in ("the", "a", "an", "its", "their") \
                and any(w.lower() in _ROLE_WORDS | _TITLE_WORDS for w in _words(lead[1])):
            named.role = _clean(lead[1])
            return named
        if named and named.kind == "person" and named.name and len(named.name.split()) >= 2 and lead \
                and not any(_is_cap(w) and w.lower() not in _DISCOURSE | _TITLE_WORDS for w in _words(lead[1])[1:]):
            named.role = _clean(f"{lead[1]}, {named.role}" if named.role else lead[1])
            return named
    if m and _appositive(m["app"]):
        appositive = _clean(m["app"])
        t = t[: m.start()]
    elif re.search(r"\)\s*$", t):
        t = re.sub(r"\s*\([^()]*\)\s*$", "", t)
    named = re.search(r"[\"\u201c]([A-Z][^\"\u201c\u201d]{1,60})[\"\u201d]\s*$", t)
    if named:
        t = t[:named.start()] + named[1]  # the weekly "Argoumenty Nedeli"
    toks = _np_tokens(t)
    if not toks:
        return None
    picked = []
    for i in range(len(toks) - 1, -1, -1):
        s, e, w = toks[i]
        gap = t[e: picked[0][0]] if picked else t[e:]
        if picked and re.search(r"[^\s\-]", gap):
            break
        if not picked and re.search(r"[^\s]", gap):
            break
        base = w.lower().replace("\u2019", "'")
        if not picked and base in ("he", "she", "they", "we", "i", "it"):
            picked.insert(0, (s, e, w))
            break
        if _is_cap(w) or base in _ROLE_WORDS or base.endswith("'s") or base in _PARTICLES \
                or not picked and (base in _SOURCE_NOUNS or base in _COLLECTIVE) \
                or re.fullmatch(r"[a-z]+(?:al|an|ic|ern|ish|ese|ian)", base) and picked:
            picked.insert(0, (s, e, w))
            continue
        break
    while picked and picked[0][2].lower() in _DISCOURSE | {"of", "and", "at", "for", "in"}:
        picked.pop(0)
    if not picked:
        return None
    if picked[0][2].lower() in _ORG_HEADS:
        m = re.search(r"(?:^|\s)((?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w\-]*\s+){1,3})$", t[:picked[0][0]])
        if m:
            picked.insert(0, (t.rfind(m[1], 0, picked[0][0]), picked[0][0], m[1]))
    np_text = t[picked[0][0]:picked[-1][1]]
    if appositive and appositive.lower().startswith("including"):
        members = _members(appositive)
        found = _classify(np_text)
        if found:
            found.members = members
        return found
    return _classify(np_text, appositive)


def _appositive(text):
    """Whether text between two commas after a name describes the person ("a senior fellow at
    Chatham House", "Russia expert at ...", "including X and Y")."""
    if re.match(r"(?:and|but|that|which|while|so|if|as|when|he|she|they|it|we|i)\b", text, re.I):
        return False
    words = [w.lower().replace("\u2019", "'") for w in _words(text)]
    if not words or len(words) > 16:
        return False
    if words[0] in ("a", "an", "the", "who", "including", "former", "whose"):
        return True
    return any(w in _ROLE_WORDS - {"and", "of", "at", "the", "for", "'s", "in"} or w in _TITLE_WORDS - {"and", "of", "at", "the", "for", "us", "uk", "eu", "un", "u.s."} for w in words)


def _members(appositive):
    names = []
    for part in re.split(r",\s*|\s+and\s+", re.sub(r"^including\s+", "", appositive, flags=re.I)):
        sp = _classify(part)
        if sp and sp.name and sp.kind in ("person", "organisation"):
            names.append(sp)
    return tuple(names)


_DESCRIBED_NAME = re.compile(
    r"\s*(?:[Aa]n?|[Tt]he)\s+(?P<role>(?:[A-Z][\w\-]*\s+)?(?:[a-z][\w\-]*\s+){1,3})"
    r"(?P<name>[A-Z][\w'\u2019\-]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'\u2019\-]+)\b(?!\s+[A-Z])")
_ROLE_THEN_NAME = re.compile(
    r"\s*(?P<role>[^,.;:\u201c\u201d\"]{2,120}?),\s+(?:(?:Doctor|Dr\.?|Professor|Prof\.?|Mr\.?|Ms\.?|Mrs\.?)"
    r"\s+)?(?P<name>[A-Z][\w'\u2019\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'\u2019\-]+){1,3})\s*[.,!]?\s*$")


def speaker_after(text, pos, hi):
    """The speaker named right after pos ("said John Smith, chief economist at X")."""
    owned = re.match(r"\s*(?:a|an|the)\s+(?:new\s+|latest\s+|recent\s+)?(?P<org>[A-Z][\w&.'\u2019\-]*"
                     r"(?:\s+[A-Z][\w&.'\u2019\-]*){0,3})\s+(?:report|poll|survey|study|analysis|"
                     r"statement|forecast|projection|estimate|note|bulletin)s?\b", text[pos:hi])
    if owned:
        # "according to a Reuters report in the Washington Post": the report's maker
        found = _classify(owned["org"])
        if found and found.name:
            found.kind = "organisation" if found.kind == "person" and \
                len(found.name.split()) == 1 else found.kind
            return found
    described = _DESCRIBED_NAME.match(text, pos, hi)
    if described:
        # "An American tourist John McCabe": the name, its description the role
        person = _classify(described["name"])
        if person and person.kind == "person" and person.name:
            person.role = _clean(described["role"])
            return person
    tail = _ROLE_THEN_NAME.match(text, pos, hi)
    if tail and any(w.lower() in _ROLE_WORDS | _TITLE_WORDS - {"of", "and", "the", "for", "at"}
                    for w in _words(tail["role"])):
        # "said chief medical officer with the FDA's Center for Food Safety, Doctor David Acheson"
        person = _classify(tail["name"])
        if person and person.kind in ("person", "organisation") and person.name:
            person.kind = "person"
            person.role = _clean(tail["role"])
            return person
    lead = re.match(r"\s*(?:a|an|the)\s+(?:new\s+|latest\s+|recent\s+)?(?:poll|survey|report|study|"
                    r"analysis|note|forecast|model|projection|estimate)s?\s+(?:by|from|of|for)\s+", text[pos:hi], re.I)
    if lead:
        pos += lead.end()
    toks = _np_tokens(text[pos:hi])
    picked = []
    for s, e, w in toks:
        gap = text[pos + (picked[-1][1] if picked else 0):pos + s]
        if re.search(r"[^\s\-]", gap):
            break
        base = w.lower().replace("\u2019", "'").rstrip(".")
        if not picked and base in ("he", "she", "they", "we", "i", "it"):
            picked.append((s, e, w))
            break
        if base == "in":
            break  # "the National Hurricane Center in Miami": the place is not the name
        if _is_cap(w) or base in _COLLECTIVE or base in _ROLE_WORDS or (picked and base in _PARTICLES):
            picked.append((s, e, w))
            continue
        break
    while picked and picked[-1][2].lower() in ("of", "and", "at", "for", "the", "in"):
        picked.pop()
    if not picked:
        return None
    np_text = text[pos + picked[0][0]:pos + picked[-1][1]]
    rest = text[pos + picked[-1][1]:hi]
    appositive = None
    m = re.match(r"\s*,\s*(?P<app>[^,.;:\u201c\u201d\"]{2,120}?)\s*(?:,|\.|$)", rest)
    if m and _appositive(m["app"]):
        appositive = _clean(m["app"])
    return _classify(np_text, appositive)


@dataclass
class Context:
    article: Article
    scale: str
    made: datetime.date | None
    registry: dict = field(default_factory=dict)     # surname -> Speaker
    acronyms: dict = field(default_factory=dict)     # "BOM" -> "Bureau of Meteorology"
    recent: list = field(default_factory=list)       # (sentence index, Speaker) named speakers
    drafts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    dated_events: dict = field(default_factory=dict)  # event noun -> where the article dates it
    editorial: Speaker | None = None
    opinion: bool = False


def _register(ctx, sp):
    if sp and sp.name and sp.kind == "person":
        parts = sp.name.split()
        key = parts[-1].lower()
        known = ctx.registry.get(key)
        if known is None or len(parts) > len(known.name.split()):
            ctx.registry[key] = sp
        elif sp.gender and not known.gender:
            known.gender = sp.gender


def _resolve_name(ctx, sp):
    """Full name and role for a surname-only or titled mention ("Mr Giles" -> Keir Giles)."""
    if sp and sp.name and sp.kind in ("person", "organisation"):
        parts = sp.name.split()
        known = ctx.registry.get(parts[-1].lower())
        if known and known.name != sp.name and len(parts) <= len(known.name.split()):
            gender = sp.gender or known.gender
            known.gender = gender
            return Speaker(known.name, role=known.role, kind="person", gender=gender,
                           attribution=sp.attribution, flags=sp.flags)
        if len(parts) == 1 and sp.kind == "organisation" and sp.gender:
            sp.kind = "person"
    return sp


def _resolve_pronoun(ctx, index, pronoun):
    if pronoun in ("i", "we"):
        return None
    want = {"he": "m", "she": "f"}.get(pronoun)
    for i, sp in reversed(ctx.recent):
        if index - i > 6:
            break
        if pronoun == "they":
            if sp.kind == "collective":
                return sp
            continue
        if pronoun == "it":
            if sp.kind in ("organisation", "descriptive"):
                return sp
            continue
        if sp.kind not in ("person",):
            continue
        if want and sp.gender and sp.gender != want:
            continue
        if want and not sp.gender:
            sp.gender = want
        return sp
    return None


def _frames(text, sent, quotes):
    """Reporting verbs in the unquoted part of a sentence: (start, end, verb, speaker)."""
    frames = []
    for tried, m in enumerate(_REPORTING.finditer(text, sent.start, sent.end)):
        if len(frames) >= MAX_FRAMES_PER_SENTENCE or tried >= 4 * MAX_FRAMES_PER_SENTENCE:
            break  # past this, a hostile run of "said" would cost time quadratic in its length
        if any(qs <= m.start() < qe for qs, qe in quotes):
            continue
        verb = m[1].lower()
        if m[1][0].isupper() and sent.kind == "body" and \
                text[sent.start:m.start()].strip(" \"'\u201c\u2018"):
            continue  # "the United States", "Says Who": a name, not a reporting verb
        quoted = re.search(r"\b(?:is|was|are|were)\s+(?:also\s+)?quoted\s+(?:by|in)\s+[^.;]{2,120}?\s+as\s+$",
                           text[max(sent.start, m.start() - 160):m.start()]) \
            if verb == "saying" else None
        if quoted:
            # "the weekly Argoumenty Nedeli is quoted by RIA Novosti as saying that"
            at = max(sent.start, m.start() - 160) + quoted.start()
            sp = speaker_before(text, sent.start, at)
            if sp is not None and (sp.name or sp.kind in ("collective", "descriptive")):
                frames.append((m.start(), m.end(), verb, sp))
            continue
        progressive = re.search(r"\b(?:is|are|was|were)\s+$", text[max(sent.start, m.start() - 6):m.start()])
        if verb.endswith("ing") and not verb.startswith("according") and not progressive:
            # ", saying that ...": the subject of the clause the participle hangs on
            if not re.search(r",['\"\u201d\u2019]?\s*$|\b(?:and|while|before|after)\s+$",
                             text[max(sent.start, m.start() - 40):m.start()]):
                continue
            sp = frames[-1][3] if frames else speaker_after(text, sent.start, m.start())
            if sp is not None and (sp.name or sp.kind in ("collective", "descriptive")):
                frames.append((m.start(), m.end(), verb, sp))
            continue
        if verb.startswith("according"):
            sp = speaker_after(text, m.end(), sent.end)
            if sp:
                sp.attribution = "according_to"
                frames.append((m.start(), m.end(), verb, sp))
            continue
        lo = sent.start
        for qs, qe in quotes:
            if qe <= m.start():
                lo = max(lo, qe + 1)
        sp = None
        coordinated = re.search(r"(?:^|[,;:]\s+)(?P<clause>[^,;:]*?)\s+and\s*$",
                                text[lo:m.start()])
        if coordinated:
            # "Briscoe spoke with Wikinews and said": the subject of the first verb; "RIM, owned
            # by X, apologised and said": the sentence's subject
            start = lo + coordinated.start("clause")
            if not text[start:start + 1].isupper():
                start = lo
            sp = speaker_after(text, start, lo + coordinated.end("clause"))
            if sp is not None and not (sp.name and sp.kind in ("person", "organisation", "collective")):
                sp = None
        if sp is None:
            sp = speaker_before(text, lo, m.start() - len(progressive[0]) if progressive else m.start())
        if sp is None and text[m.end():m.end() + 1] in (" ", "\n") and verb in (
                "said", "says", "added", "adds", "argued", "argues", "wrote", "writes", "warned",
                "noted", "explained", "insisted", "cautioned", "continued", "asked", "stressed"):
            prior = text[lo:m.start()]
            if re.search(r"[,\u201d\"]\s*$", prior) or not prior.strip():
                sp = speaker_after(text, m.end(), sent.end)
        if sp is None:
            continue
        if verb in ("states", "claims", "notes", "comments", "forecasts", "counters", "thought",
                    "note", "counter", "believe", "think", "say", "tell", "warn", "argue",
                    "caution", "insist", "suggest", "expect", "predict") and sp.kind not in (
                        "pronoun", "collective", "person", "organisation") and not (
                        sp.kind == "descriptive" and (sp.name or "").split()[-1:] and
                        sp.name.split()[-1].lower() in _SOURCE_NOUNS):
            continue  # "the report states" is a source; "the reality states" is not
        frames.append((m.start(), m.end(), verb, sp))
    for m in _PASSIVE_AGENT.finditer(text, sent.start, sent.end):
        if len(frames) >= MAX_FRAMES_PER_SENTENCE or any(qs <= m.start() < qe for qs, qe in quotes):
            break
        sp = speaker_after(text, m.end(), sent.end)
        if sp is not None and (sp.name or sp.kind in ("collective", "descriptive")):
            sp.attribution = "passive_agent"
            frames.append((m.start(), m.end(), m["verb"].lower(), sp))
    frames.sort(key=lambda frame: frame[0])
    return frames


# "Friday is cited by Novosti as a likely date", "is tipped by bookmakers to win": the agent holds
# the view
_PASSIVE_AGENT = re.compile(
    r"\b(?:is|are|was|were|being)\s+(?:also\s+|widely\s+|now\s+)?(?P<verb>cited|seen|regarded|tipped|"
    r"touted|considered|viewed|expected|predicted|forecast|projected|rated|named|billed)\s+by(?=\s)", re.I)


def _quote_speaker(ctx, k, sents, frames_of):
    """Who says the quoted words of sentence k when the sentence itself names nobody."""
    sent = sents[k]
    for j in range(k + 1, min(k + 3, len(sents))):
        if sents[j].para != sent.para:
            break
        if frames_of[j] and sents[j].quotes:
            return frames_of[j][0][3], ()
    for j in range(k - 1, max(-1, k - 6), -1):
        if sents[j].para == sent.para and frames_of[j]:
            return frames_of[j][-1][3], ("continued_quote",)
        if sents[j].para < sent.para - 1:
            break
        if sents[j].para == sent.para - 1 and frames_of[j]:
            para_text = ctx.article.text[sent.start:sent.end].lstrip()
            if para_text[:1] in "\u201c\"'\u2018" or sent.quotes and sent.quotes[0][0] <= sent.start + 1:
                return frames_of[j][-1][3], ("continued_quote",)
            break
    return None, ()


_NOT_NAMES = {w.lower() for w in parse.WEEKDAYS + parse.MONTH_NAMES}
_DESCRIPTION = re.compile(r"(?:(?:the|its|this)\s+)?(?:[a-z\-]+\s+){0,2}(?P<head>[a-z]+)")


def _usable_name(name):
    """A speaker's name as shown, or None when it is no name: a URL, a weekday, a month.
    A web domain stands for its site ("Debka.com" -> "Debka").

    >>> [_usable_name(x) for x in ("Debka.com", "https://x.org/a", "Monday", "Ann Lee")]
    ['Debka', None, None, 'Ann Lee']
    """
    if not name:
        return name
    if re.match(r"(?:https?://|www\.)", name, re.I):
        return None
    name = re.sub(r"(?<=\w)\.(?:com|org|net|co\.uk|info|ru|de|fr|in|io)\b", "", name)
    if name.lower().strip(" .") in _NOT_NAMES:
        return None
    return name


def _resolve_description(ctx, k, description):
    """'the bank', 'the agency', 'the website': the organisation named last in the passage."""
    m = _DESCRIPTION.fullmatch(description.strip())
    if not m or m["head"].lower() not in _ORG_NAME_WORDS | _SOURCE_NOUNS | _ORG_HEADS:
        return None
    head = m["head"].lower()
    named = [(i, sp) for i, sp in reversed(ctx.recent) if k - i <= 10
             and sp.kind == "organisation" and sp.name]
    # "the bureau" is the Bureau of Meteorology even when another body spoke since
    found = next((sp for _, sp in named if head in sp.name.lower().split()), None)
    if found is None and head in _ORG_NAME_WORDS | _ORG_HEADS:
        found = _named_before(ctx, k, head)
    # else the body that spoke before: "the poll predicted ..., although a survey by X" is not X
    return found or next((sp for i, sp in named if i < k), None)


def _named_before(ctx, k, head):
    """The last capitalised name ending in (or built on) head in the text before sentence k:
    "the bank" after "the European Central Bank" is the European Central Bank."""
    sents = getattr(ctx, "sents", None)
    if not sents:
        return None
    end = sents[k].start
    title = head.capitalize()
    pattern = re.compile(
        rf"(?:[A-Z][\w\-]*\s+(?:(?:of|for|on|and)\s+)?){{0,5}}{title}"
        rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){{0,3}})?")
    last = None
    for last in pattern.finditer(ctx.article.text, max(0, end - 3000), end):
        pass
    if last is None:
        return None
    words = [w for w in last[0].split() if w.lower() not in _TITLE_WORDS - {"state", "general"}
             or w.lower() in _ORG_NAME_WORDS or w.lower() in ("of", "for", "on", "and")]
    while words and words[0].lower() in ("of", "for", "on", "and", "the"):
        words.pop(0)
    if len(words) < 2:
        return None
    return Speaker(" ".join(words), kind="organisation")


def _finish_speaker(ctx, k, sp, attribution):
    """Resolve pronouns and surnames; returns (Speaker or None, flags)."""
    flags = []
    if sp is None:
        return None, flags
    if sp.kind == "pronoun":
        if sp.pronoun in ("i", "we"):
            return None, ["first_person"]
        found = _resolve_pronoun(ctx, k, sp.pronoun)
        if found is None:
            return None, ["pronoun_unresolved"]
        flags.append("pronoun_resolved")
        sp = found
    if sp.kind == "descriptive" and sp.name:
        found = _resolve_description(ctx, k, sp.name)
        if found is not None:
            flags.append("description_resolved")
            sp = found
    sp = _resolve_name(ctx, sp)
    name = _usable_name(sp.name)
    if sp.kind == "organisation" and name in ctx.acronyms:
        name = ctx.acronyms[name]
    if sp.name and name is None:
        return None, ["speaker_not_a_name"]
    out = Speaker(name, role=sp.role, kind=sp.kind, attribution=attribution, gender=sp.gender,
                  members=sp.members)
    if sp.kind == "collective":
        out.attribution = "collective"
    return out, flags


def _editorial(ctx):
    return Speaker(ctx.editorial.name if ctx.editorial else None,
                   role=ctx.editorial.role if ctx.editorial else None,
                   kind=ctx.editorial.kind if ctx.editorial else "editorial",
                   attribution="editorial")


def _remember(ctx, k, frame):
    sp, _ = _finish_speaker(ctx, k, frame[3], "indirect")
    if sp and sp.name:
        _register(ctx, sp)
        if not ctx.recent or ctx.recent[-1][1].name != sp.name or ctx.recent[-1][0] != k:
            ctx.recent.append((k, sp))


_NAME_AFTER_TITLE = re.compile(
    r"\b(?:President|Chancellor|Secretary|Minister|Premier|Senator|Governor|General|Ambassador|"
    r"Commissioner|Director|Professor|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|adviser|advisor|envoy|expert|analyst|"
    r"economist|officer|spokesman|spokeswoman|spokesperson|minister|secretary|president|chief|"
    r"strategist|fellow|lecturer|leader|Secretary-General|Secretary\s+of\s+State|CEO)\s+"
    r"(?P<name>[A-Z][\w\u2019'\-]+(?:\s+[A-Z][\w\u2019'\-]+){1,2})")


_ACRONYM = re.compile(r"(?P<full>[A-Z][\w\-]*(?:\s+(?:(?:of|for|on|and|the)\s+)*[A-Z][\w\-]*){1,7})"
                      r"\s+\((?P<short>[A-Z][A-Za-z]{1,7})\)")


def _acronym_start(words, short):
    """The index of the word where the name that short abbreviates begins, or None: its capitals
    are the initials of the words from there, with or without the small ones ("Bureau of
    Meteorology (BOM)", "State Emergency Service (SES)"); leading words may drop out.

    >>> _acronym_start("The Australian Bureau of Meteorology".split(), "BOM")
    2
    >>> _acronym_start(["Queensland"], "QLD") is None
    True
    """
    letters = "".join(c for c in short if c.isupper())
    for i in range(len(words)):
        if len(letters) < 2 or not words[i][:1].isupper():
            continue
        rest = words[i:]
        if letters in ("".join(w[0] for w in rest if w[:1].isupper()),
                       "".join(w[0].upper() for w in rest)):
            return i
    return None


def _prescan_names(ctx, text):
    """Full names introduced with a title ("Russian President Vladimir Putin"), so that a later
    "Putin" or "Mr Giles" resolves to them; acronyms defined in brackets, so that "the BOM"
    speaks as the Bureau of Meteorology."""
    for m in _ACRONYM.finditer(text):
        words = m["full"].split()
        start = _acronym_start(words, m["short"])
        if start is not None:
            ctx.acronyms.setdefault(m["short"], " ".join(words[start:]))
    for m in _NAME_AFTER_TITLE.finditer(text):
        name = re.sub(r"[\u2019']s$", "", m["name"])
        if any(w.lower() in _TITLE_WORDS for w in name.split()):
            continue
        key = name.split()[-1].lower()
        if key not in ctx.registry:
            ctx.registry[key] = Speaker(name, kind="person")
