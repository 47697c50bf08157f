"""Rules of general news prose that extract follows, each through the CLI on a real temporary
database: speakers (organisations, teams, participles, a passage's source), cues (belief verbs,
negation, bookmaker odds, past forecasts, schedules) and horizons from the text."""

import json

import pytest


def _drafts(forecasts, tmp_path, text, date="2025-03-01"):
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    result = forecasts("extract", str(article), "--date", date, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for d in doc["drafts"]:
        assert text[d["start"]:d["end"]] == d["quote"]
    return doc


def _one(forecasts, tmp_path, text, date="2025-03-01"):
    drafts = _drafts(forecasts, tmp_path, text, date)["drafts"]
    assert len(drafts) == 1, drafts
    return drafts[0]


@pytest.mark.parametrize("text, speaker, kind", [
    ("Economists at JPMorgan led by Bruce Kasman expect growth to slow next year.",
     "JPMorgan economists", "collective"),
    ("The IMF forecasts that growth will slow to 2% next year.", "IMF", "organisation"),
    ("Bruce Gunn from the Queensland cyclone warning centre says the cyclone will hit the coast "
     "tomorrow.", "Bruce Gunn", "person"),
    ("The National Hurricane Center in Miami is calling Dean \"extremely dangerous,\" saying that "
     "the storm will likely become a Category 5 storm.", "National Hurricane Center",
     "organisation"),
    ("Dean could hit the mainland of the United States on Wednesday.", None, "editorial"),
])
def test_speakers_of_news_prose(forecasts, tmp_path, text, speaker, kind):
    draft = _one(forecasts, tmp_path, text)
    assert draft["speaker"] == speaker
    assert draft["speaker_kind"] == kind or draft["attribution"] == kind


def test_a_passage_keeps_its_source_for_an_unattributed_passive(forecasts, tmp_path):
    doc = _drafts(forecasts, tmp_path, "However, forecasters say there is little chance of Dean "
                  "moving toward Louisiana. Instead, the storm is expected to threaten Mexico.\n")
    passive = next(d for d in doc["drafts"] if d["cue"].startswith("is expected"))
    assert passive["speaker"] == "forecasters" and "carried_over" in passive["flags"]


@pytest.mark.parametrize("text, cue, probability, event", [
    # a belief verb softens a bare will (H1) but not an explicit hedge
    ("Analysts think the central bank will cut rates in June.", "will", 0.7,
     "The central bank cuts rates in June"),
    ("Forecasters predict that northern lights could be visible tonight.", "could", 0.4,
     "Northern lights are visible tonight"),
    # negation in every position
    ("No one expects the talks to succeed this year.", "expects", 0.2,
     "The talks succeed this year"),
    ("Rates are not expected to fall this year, economists said.", "not expected to", 0.2,
     "Rates fall this year"),
    ("No attack by land is expected.", "is expected", 0.2, "An attack by land takes place"),
    ("The team is hardly likely to win the league, the coach said.", "likely", 0.2,
     "The team wins the league"),
    # bookmaker odds, read the way bettors read them
    ("Bookmakers make Smith a 30-1 outsider to win the race on Saturday.", "30-1", 1 / 31,
     "Smith wins the race on Saturday"),
    ("Jones is the 2/1 favourite to win the title, according to bookmakers.", "2/1", 1 / 3,
     "Jones wins the title"),
    ("Bookmakers have made Labour odds-on to win the election next month.", "odds-on", 0.6,
     "Labour wins the election next month"),
])
def test_cues_of_news_prose(forecasts, tmp_path, text, cue, probability, event):
    draft = _one(forecasts, tmp_path, text)
    assert draft["cue"] == cue
    assert draft["probability"] == pytest.approx(probability, abs=1e-4)
    assert draft["event"] == event


@pytest.mark.parametrize("text", [
    "In 2016 Mr Smith predicted that the euro will collapse by 2030.",
    "U.S. President George Bush is set to meet G-7 finance ministers on Saturday.",
    "The race will feature Marcus Winkelhock, the German driver replacing Albers.",
    "United won 2-1 on Saturday, and bookmakers now see them as favourites.",
    "This was worse than expected, and the forecast of growth was cut.",
])
def test_what_is_not_a_new_forecast(forecasts, tmp_path, text):
    assert _drafts(forecasts, tmp_path, text)["drafts"] == []


@pytest.mark.parametrize("text, date, resolves", [
    ("The storm is expected to make landfall later today.", "2007-08-18", "2007-08-18"),
    ("Troops are expected to arrive in the next 48 hours.", "2006-05-25", "2006-05-27"),
    ("The Commission said the economy will not return to growth until 2014.", "2013-02-22",
     "2013-12-31"),
    ("2004 MN4 is expected to come closest to the Earth on April 14, 2029.", "2004-12-24",
     "2029-04-14"),
    ("Auroras are likely to be seen late Tuesday, forecasters said.", "2010-08-03",
     "2010-08-03"),
])
def test_horizons_from_the_text(forecasts, tmp_path, text, date, resolves):
    assert _one(forecasts, tmp_path, text, date)["resolves"] == resolves


def test_a_claim_without_time_words_takes_its_passage_horizon(forecasts, tmp_path):
    doc = _drafts(forecasts, tmp_path, "The storm is expected to hit Jamaica on Sunday. It could "
                  "then gain even more power.\n", date="2007-08-18")
    later = next(d for d in doc["drafts"] if d["cue"] == "could")
    assert later["resolves"] == "2007-08-19" and "horizon_from_context" in later["flags"]


@pytest.mark.parametrize("text, speaker", [
    # a web domain stands for its site; a bracketed acronym speaks as the body it abbreviates
    ("The website Debka.com says the strike is likely to come in April.", "Debka"),
    ("The Bureau of Meteorology (BOM) issued a warning. The BOM says the cyclone will likely "
     "cross the coast tomorrow.", "Bureau of Meteorology"),
    # a descriptive reference is the body it describes, even when another one spoke since
    ("The Bureau of Meteorology (BOM) issued a warning. The State Emergency Service said "
     "volunteers were ready. The bureau says the sea is likely to rise.",
     "Bureau of Meteorology"),
    ("The Centre for Economic Research says growth is likely to slow.",
     "Centre for Economic Research"),
])
def test_organisations_by_the_names_readers_know(forecasts, tmp_path, text, speaker):
    drafts = _drafts(forecasts, tmp_path, text)["drafts"]
    assert drafts and drafts[-1]["speaker"] == speaker


@pytest.mark.parametrize("text", [
    "Monday said the storm will likely hit the coast.",
    "https://example.org/news says the storm will likely hit the coast.",
])
def test_a_weekday_or_url_is_never_a_speaker(forecasts, tmp_path, text):
    for draft in _drafts(forecasts, tmp_path, text)["drafts"]:
        assert draft["speaker"] not in ("Monday", "https://example.org/news")


@pytest.mark.parametrize("text, date, resolves", [
    # a range of two time expressions resolves at its end
    ("Auroras could be visible late tonight and early tomorrow morning.", "2010-08-03",
     "2010-08-04"),
    # "until" a year: the state holds up to the year's start
    ("The economy will remain in recession until 2014.", "2013-02-22", "2013-12-31"),
    # a day of the month just gone is when something was said, not a deadline a year ahead
    ("In the December 23 announcement, NASA said the asteroid will probably miss the Earth.",
     "2004-12-24", None),
    # the time of the telling is not the claim's
    ("\"This will leave a million people without aid,\" Reeves told the Coalition for Darfur "
     "on Saturday.", "2006-08-29", None),
    # the weekday a report was issued is not the claim's; its own horizon comes later
    ("The International Labour Organization issued a report Wednesday explaining how the crisis "
     "could create a global employment crisis by the end of the year.", "2009-01-28",
     "2009-12-31"),
    # a weekday farther from the saying is the claim's own
    ("Analysts said the bank will probably cut rates Friday.", "2009-01-28", "2009-01-30"),
    # time that has gone by ("after four months of talks") is no deadline
    ("Kraft now seem likely to buy Cadbury, after four months of negotiations.", "2010-01-26",
     None),
])
def test_horizon_readings(forecasts, tmp_path, text, date, resolves):
    assert _one(forecasts, tmp_path, text, date)["resolves"] == resolves


def test_undated_claims_take_the_date_the_article_agrees_on(forecasts, tmp_path):
    doc = _drafts(forecasts, tmp_path, (
        "The cyclone is set to cross the coast tomorrow morning. The bureau warned that it will "
        "strike between Cairns and Townsville on Monday.\n\n"
        "Officials said the storm surge will flood low-lying areas.\n"), date="2006-03-19")
    surge = next(d for d in doc["drafts"] if "flood" in d["quote"])
    assert surge["resolves"] == "2006-03-20" and "horizon_from_article" in surge["flags"]


def test_an_article_of_many_dates_gives_none_to_an_undated_claim(forecasts, tmp_path):
    doc = _drafts(forecasts, tmp_path, (
        "The storm will hit Jamaica on Sunday. It will reach Mexico on Wednesday.\n\n"
        "Officials said the storm will weaken over land.\n"), date="2007-08-18")
    weaken = next(d for d in doc["drafts"] if "weaken" in d["quote"])
    assert weaken["resolves"] is None


@pytest.mark.parametrize("text", [
    # the speaker's own plans and arrangements
    "This is an active investigation and we will provide more information as it becomes "
    "available, the agency said.",
    "The Bureau of Meteorology says the cyclone poses a serious threat and will now post warnings "
    "on the hour on its website.",
    "An extension was approved. This will allow for two more trenches to be dug.",
    "\"It will be for future missions to find out,\" Smith said.",
    "The government said any state that sponsors the resolution will be regarded as hostile.",
    # comparisons with an earlier forecast, capabilities, the present, general statements
    "It was still smaller than the 8.5% contraction predicted by the government.",
    "Officials say that cooking the spinach could kill the bacteria.",
    "It's most likely thousands of people are evacuating to avoid the high tide.",
    "The actual number of deaths could be higher, the researchers say.",
    "\"If you wash it, it is not going to get rid of it,\" said the director, Robert Brackett.",
    # a plan the article itself states, or the planner's own
    "The United States is planning to launch air strikes on Iran.",
    "NASA says it is planning to launch the probe in May.",
])
def test_not_forecasts_of_news_prose(forecasts, tmp_path, text):
    assert _drafts(forecasts, tmp_path, text)["drafts"] == []


def test_such_a_possibility_points_back(forecasts, tmp_path):
    text = "The troops will arrive by this afternoon, having been on standby for such a possibility."
    assert [d["cue"] for d in _drafts(forecasts, tmp_path, text)["drafts"]] == ["will"]


def test_a_hedged_clause_after_a_relative_would_is_not_read_as_a_forecast(forecasts, tmp_path):
    text = ("The WHO said the strain could cause a pandemic among people born after 1968, who "
            "would probably have little immunity.")
    cues = [d["cue"] for d in _drafts(forecasts, tmp_path, text)["drafts"]]
    assert "probably" not in cues


@pytest.mark.parametrize("text, cue, probability, speaker", [
    # someone's plan reported by another is a forecast, with no value on the scale
    ("Reports from the Israeli website Debka.com, which reports on intelligence matters, say "
     "that the United States is planning to launch air strikes on Iran.", "is planning to", None,
     "Debka"),
    ("\"Sudan appears to be about to launch its own offensive,\" Amnesty officials said.",
     "appears to be about to", None, "Amnesty officials"),
    # a hedged relative clause about someone named
    ("They are led by Major Alfredo Reinado, who the president has vowed to hunt down, and who "
     "will undoubtedly be an important target for the task force.", "will", 0.93, None),
    # a role before the name after "said"
    ("\"It is possible that the recall will extend to other brands,\" said chief medical officer "
     "with the FDA's Center for Food Safety, Doctor David Acheson.", "It is possible that", 0.45,
     "David Acheson"),
])
def test_more_forecasts_of_news_prose(forecasts, tmp_path, text, cue, probability, speaker):
    draft = _one(forecasts, tmp_path, text)
    assert draft["cue"].startswith(cue) and draft["probability"] == probability
    assert draft["speaker"] == speaker


def test_about_to_resolves_in_two_weeks(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "Analysts say the army is about to launch an offensive.",
                 date="2006-08-29")
    assert draft["resolves"] == "2006-09-12"


def test_a_hedged_last_conjunct_is_a_claim_of_its_own(forecasts, tmp_path):
    doc = _drafts(forecasts, tmp_path, "Forecasters predict that northern lights could be "
                  "visible tonight across Canada, the U.S., and possibly the United Kingdom.",
                  date="2010-08-03")
    by_cue = {d["cue"]: d for d in doc["drafts"]}
    assert set(by_cue) == {"could", "possibly"}
    assert by_cue["possibly"]["probability"] == 0.45
    assert by_cue["possibly"]["speaker"] == "Forecasters"
    assert "United Kingdom" in by_cue["possibly"]["event"]
    assert "United Kingdom" not in by_cue["could"]["event"]


@pytest.mark.parametrize("text, speaker", [
    ("According to a Reuters report in the Washington Post the generals are likely to oppose "
     "the coalition.", "Reuters"),
    ("The Russian weekly \"Argoumenty Nedeli\" is quoted by RIA Novosti as saying that the attack "
     "is likely to come at Easter.", "Argoumenty Nedeli"),
    ("In its announcement, NASA advised that the asteroid is likely to miss the Earth.", "NASA"),
    ("\"Sudan, which appears to be about to launch an offensive, cannot be a peacekeeper,\" "
     "Amnesty officials asked.", "Amnesty officials"),
    # a passive in a passage that a body spoke for: "is set to" too
    ("The European Commission stated the economy is projected to shrink this year. "
     "Unemployment is set to reach 12.2% in 2013.", "European Commission"),
])
def test_speakers_of_reports_quotes_and_passives(forecasts, tmp_path, text, speaker):
    drafts = _drafts(forecasts, tmp_path, text)["drafts"]
    assert drafts and drafts[-1]["speaker"] == speaker


def test_the_poll_is_not_the_survey_named_after_it(forecasts, tmp_path):
    text = ("The poll predicted the party would win 202 seats, although a survey by Suan Dusit "
            "University suggested the party may win 256 seats.")
    first = _drafts(forecasts, tmp_path, text)["drafts"][0]
    assert first["cue"].startswith("predicted") and "Suan" not in (first["speaker"] or "")


def test_a_participle_set_to_is_a_forecast(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "Residents are evacuating coastal areas, set to be lashed "
                 "by Cyclone Larry tomorrow morning.", date="2006-03-19")
    assert (draft["cue"], draft["probability"], draft["resolves"]) == ("set to", 0.93,
                                                                       "2006-03-20")
    assert _drafts(forecasts, tmp_path, "The company, set to open a plant next year, said "
                   "profits rose.")["drafts"] == []


def test_a_warning_of_a_hazard_is_a_claim_with_no_table_value(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "The weather service warns farmers in the valley of severe "
                 "flooding when the river peaks on Thursday.", date="2025-03-03")
    assert draft["cue"].lower().startswith("warns")
    assert draft["probability"] is None and "warning" in draft["flags"]
    assert draft["resolves"] == "2025-03-06"
    # a headline that warns announces the body's claim: one draft, not two
    doc = _drafts(forecasts, tmp_path, "Insurer Warns of Losses\n\nAnalysts put the odds of a "
                  "loss this year at 3 to 1.\n")
    assert [d["cue"] for d in doc["drafts"]] == ["3 to 1"]


@pytest.mark.parametrize("text, speaker", [
    ("Tuesday is regarded by bookmakers as a likely date for the vote.", "bookmakers"),
    ("The Financial Times is reporting that the chief executive is expected to resign this week.",
     "Financial Times"),
    ("The Guardian speculates that the minister may step down before the summer.", "Guardian"),
    ("Opinion polls implied that the measure would be rejected.", "polls"),
])
def test_speakers_of_passive_agents_and_reports(forecasts, tmp_path, text, speaker):
    drafts = _drafts(forecasts, tmp_path, text)["drafts"]
    assert drafts, text
    assert speaker in (drafts[-1]["speaker"] or "")


def test_seen_as_a_likely_reads_likely(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "Friday is cited by the agency as a likely date for the strike.")
    assert (draft["cue"], draft["probability"]) == ("likely", 0.7)
    assert _drafts(forecasts, tmp_path, "She is a likely candidate, he said.")["drafts"] == []


@pytest.mark.parametrize("text", [
    "But I hope it will go well beyond a declaration of principles.",
    "Ferrero has ruled out making a bid for the company.",
])
def test_wishes_and_own_decisions_are_not_forecasts(forecasts, tmp_path, text):
    assert _drafts(forecasts, tmp_path, text)["drafts"] == []


def test_the_race_takes_the_date_the_article_gives_it(forecasts, tmp_path):
    text = ("There are doubts about his fitness for the race Sunday.\n\n"
            "He will probably lose more places in the race.\n")
    doc = _drafts(forecasts, tmp_path, text, date="2007-07-21")
    draft = next(d for d in doc["drafts"] if d["cue"] == "will probably")
    assert draft["resolves"] == "2007-07-22" and "horizon_from_event" in draft["flags"]


def test_a_few_dated_claims_do_not_date_a_whole_article(forecasts, tmp_path):
    text = ("Analysts expect a deal before the end of the year. Officials expect a deal before the "
            "end of the year.\n\nRussia will reject the plan. The talks could collapse. Moscow is "
            "likely to stall. Kyiv will hold out. The envoy may resign.\n")
    doc = _drafts(forecasts, tmp_path, text, date="2025-12-16")
    undated = [d for d in doc["drafts"] if "end of the year" not in d["quote"]]
    assert undated and all(d["resolves"] is None for d in undated)


def test_the_easter_holidays_end_on_easter_monday(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "The strike is likely to come during the Easter holidays.",
                 date="2007-03-31")
    assert draft["resolves"] == "2007-04-09"


@pytest.mark.parametrize("text", [
    "Teachers at primary schools will also be required to teach the lessons from next year.",
    "The decision will be revisited in February, when more data are available.",
    "The advisory is set to expire at 8:00 a.m. on Sunday.",
    "The biologist Cristina Garmendia will head the new ministry.",
    "Britain could work so much better if people were more open-minded, he said.",
    "All reports will be treated as confidential.",
    "One could argue that the club should have won.",
    "According to the deed, no shop shall ever be built on the land.",
    "Under the new system, patients will be able to claim rebates online.",
    "The treasurer announced that 10 billion dollars would be allocated to defence.",
    "We would gather as much evidence as was possible, the minister said.",
    "Wikinews will be attending the awards this weekend.",
    "He will be buried on Thursday.",
    "Growth could be much higher if everyone was given a fair chance.",
    "Smoke could still be seen rising from the building.",
    "Without the package there would have been far more, probably twice as many, job losses.",
    "The summit will take place in Geneva.",
    "Campaigners will hold a rally at noon today.",
])
def test_rules_schedules_and_counterfactuals_are_not_forecasts(forecasts, tmp_path, text):
    assert _drafts(forecasts, tmp_path, text)["drafts"] == []


def test_a_conditional_on_a_real_prospect_is_still_a_forecast(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "She said prices could rise if the drought continues.")
    assert draft["cue"] == "could" and draft["conditional_on"]


@pytest.mark.parametrize("text, speaker, role", [
    ("Following her nomination, Briscoe spoke with reporters and said she would probably win "
     "a seat.", "Briscoe", None),
    ("An American tourist John McCabe was unconvinced, saying \"the play will lose money.\"",
     "John McCabe", "American tourist"),
    ("Georgian Chief of Staff Serhiy Kirichenko said the decree would be carried out.",
     "Serhiy Kirichenko", "Georgian Chief of Staff"),
])
def test_speakers_of_coordinated_verbs_and_described_names(forecasts, tmp_path, text, speaker,
                                                           role):
    draft = _drafts(forecasts, tmp_path, text)["drafts"][-1]
    assert draft["speaker"] == speaker and draft["role"] == role


def test_an_announced_forecast_in_the_active_voice_is_still_one(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "The Met Office announced that temperatures will reach "
                 "40C on Tuesday.", date="2025-07-14")
    assert (draft["speaker"], draft["cue"], draft["resolves"]) == ("Met Office", "will",
                                                                   "2025-07-15")


def test_a_storm_that_will_be_moving_is_still_forecast(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "Forecasters said the storm will be moving over Cuba by "
                 "Monday.", date="2025-09-05")
    assert (draft["cue"], draft["resolves"]) == ("will", "2025-09-08")


def test_explaining_how_something_could_happen_is_a_claim_and_asking_how_is_not(forecasts,
                                                                                tmp_path):
    draft = _one(forecasts, tmp_path, "The bank issued a report explaining how rising rates could "
                 "push the economy into recession next year.", date="2025-03-01")
    assert (draft["cue"], draft["resolves"]) == ("could", "2026-12-31")
    assert _drafts(forecasts, tmp_path, "It is unclear how the talks could succeed.")["drafts"] == []


def test_a_comment_clause_is_a_claim_of_its_own_about_the_condition(forecasts, tmp_path):
    text = ("\"If unemployment rises next year, as most economists expect, the deficit will "
            "widen,\" the study says.")
    drafts = {d["cue"]: d for d in _drafts(forecasts, tmp_path, text, date="2025-03-01")["drafts"]}
    assert drafts["expect"]["event"] == "Unemployment rises next year"
    assert drafts["expect"]["speaker"] == "most economists"
    assert drafts["expect"]["conditional_on"] is None
    assert drafts["will"]["event"] == "The deficit widens"
    assert drafts["will"]["conditional_on"] == "If unemployment rises next year"
    assert drafts["will"]["speaker"] == "study"


@pytest.mark.parametrize("text", [
    "Some scientists had previously suggested that smaller frogs would grow spiky skulls.",
    "The economy had widely been expected to grow in the third quarter.",
])
def test_a_pluperfect_forecast_is_a_past_one(forecasts, tmp_path, text):
    doc = _drafts(forecasts, tmp_path, text)
    assert doc["drafts"] == [] and "a past forecast" in doc["skipped"][0]["reason"]


def test_the_subject_of_a_sentence_says_what_its_second_verb_says(forecasts, tmp_path):
    draft = _one(forecasts, tmp_path, "BlackBerry, owned by RIM, apologised for the outage on "
                 "Wednesday and said the fault will not happen again.")
    assert draft["speaker"] == "BlackBerry"


def test_hard_wrapped_text_gives_the_drafts_of_the_same_text_unwrapped(forecasts, tmp_path):
    title = "Rates and Recession\n\n"
    flowing = ("The central bank will probably cut interest rates in March, economists said. "
               "\"There is a 30% chance of a recession next year,\" said John Smith, chief "
               "economist at Acme Bank.\n")
    wrapped = ("The central bank will probably cut interest rates in March, economists\n"
               "said. \"There is a 30% chance of a recession next year,\" said\n"
               "John Smith, chief economist at Acme Bank.\n")

    def readings(text):
        return [(d["speaker"], d["event"], d["probability"], d["resolves"])
                for d in _drafts(forecasts, tmp_path, title + text)["drafts"]]

    assert readings(wrapped) == readings(flowing)
    assert ("John Smith", "A recession next year", 0.3, "2026-12-31") in readings(wrapped)
    # the quote is the text as written, its line breaks kept (``_drafts`` checks the offsets)
    quotes = [d["quote"] for d in _drafts(forecasts, tmp_path, title + wrapped)["drafts"]]
    assert "The central bank will probably cut interest rates in March, economists\nsaid." in quotes


@pytest.mark.parametrize("text, past", [
    ("Prices rose 5% last year, and economists said prices are unlikely to fall.", False),
    ("Last year, economists said prices are unlikely to fall.", True),
    ("Economists said last year that prices are unlikely to fall.", True),
])
def test_a_past_time_is_the_tellings_only_in_its_own_clause(forecasts, tmp_path, text, past):
    doc = _drafts(forecasts, tmp_path, text, "2025-12-16")
    events = [d["event"] for d in doc["drafts"]]
    assert events == ([] if past else ["Prices fall"])
    assert [s["reason"].startswith("a past forecast") for s in doc["skipped"]] == (
        [True] if past else [])
