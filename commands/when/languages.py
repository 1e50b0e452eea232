"""The grammar words of each language the parser reads in depth (lower case; data, not code).

Month, weekday and relative-day names come from dateparser (see `commands.vocabulary`); what is here
are the small words around them. Adding a language is adding one `Grammar` to `GRAMMARS`.
Parts of the day name one of: morning, afternoon, evening, night, end (of the working day).
"""

from __future__ import annotations

from dataclasses import dataclass

Pairs = tuple[tuple[str, str], ...]
Numbers = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Grammar:
    """The grammar words of one language (lower case)."""

    at: tuple[str, ...] = ()
    for_: tuple[str, ...] = ()
    ranges: Pairs = ()  # ("from", "to")
    ends: tuple[str, ...] = ()  # before an end time: "until 4pm"
    now: tuple[str, ...] = ()
    noon: tuple[str, ...] = ()
    midnight: tuple[str, ...] = ()
    tonight: tuple[str, ...] = ()
    next_: tuple[str, ...] = ()  # before a weekday
    next_after: tuple[str, ...] = ()  # after a weekday ("vendredi prochain")
    next_week: tuple[str, ...] = ()
    this: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    in_: tuple[str, ...] = ()
    ago: tuple[str, ...] = ()
    hour_units: tuple[str, ...] = ()
    minute_units: tuple[str, ...] = ()
    day_units: tuple[str, ...] = ()
    week_units: tuple[str, ...] = ()
    month_units: tuple[str, ...] = ()
    clock_units: tuple[str, ...] = ()  # after an hour: "14 Uhr"
    an_hour: tuple[str, ...] = ()
    half_hour: tuple[str, ...] = ()
    numbers: Numbers = ()  # one .. twelve
    before_hour: Numbers = ()  # "quarter to" five: minutes from the hour
    after_hour: Numbers = ()  # four "y media"
    parts: Pairs = ()  # part-of-day phrases read anywhere
    part_nouns: Pairs = ()  # read only after a day word: "tomorrow morning"
    more_days: Numbers = ()  # relative days dateparser lacks: "pasado mañana"
    short_forms: Pairs = ()  # "tmrw" -> "tomorrow": a word the vocabulary knows
    compounds: Pairs = ()  # read as two words: "morgenochtend" -> "morgen ochtend"
    every: tuple[str, ...] = ()
    every_other: tuple[str, ...] = ()
    daily: tuple[str, ...] = ()
    weekly: tuple[str, ...] = ()
    monthly: tuple[str, ...] = ()
    yearly: tuple[str, ...] = ()
    workdays: tuple[str, ...] = ()
    ordinals: Numbers = ()  # "last" Friday of the month: -1
    of_month: tuple[str, ...] = ()
    until: tuple[str, ...] = ()  # before the last date of a series
    times: tuple[str, ...] = ()  # "10 times"
    and_: tuple[str, ...] = ()
    filler: tuple[str, ...] = ()
    h_is_a_clock: bool = False  # "14h30" is a time of day, not a duration


ENGLISH = Grammar(
    at=("at", "@"),
    for_=("for",),
    ranges=(("from", "to"), ("from", "till"), ("from", "until"), ("between", "and")),
    ends=("until", "till", "til", "to"),
    now=("right now", "now", "asap"),
    noon=("noon", "midday"),
    midnight=("midnight",),
    tonight=("tonight", "tonite"),
    next_=("next", "coming"),
    next_week=("next week", "the week after next"),
    this=("this",),
    last=("last", "past", "previous"),
    in_=("in",),
    ago=("ago",),
    hour_units=("hours", "hour", "hrs", "hr", "h"),
    minute_units=("minutes", "minute", "mins", "min", "m"),
    day_units=("days", "day"),
    week_units=("weeks", "week"),
    month_units=("months", "month"),
    an_hour=("an hour", "one hour"),
    half_hour=("half an hour", "half hour"),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), 1
        )
    ),
    before_hour=(("half past", 30), ("quarter past", 15), ("quarter to", -15), ("quarter of", -15)),
    after_hour=(("o'clock", 0), ("oclock", 0)),
    parts=(
        ("in the morning", "morning"),
        ("in the afternoon", "afternoon"),
        ("in the evening", "evening"),
        ("at night", "night"),
        ("end of the day", "end"),
        ("end of day", "end"),
        ("by eod", "end"),
        ("eod", "end"),
        ("close of business", "end"),
    ),
    part_nouns=(("morning", "morning"), ("afternoon", "afternoon"), ("evening", "evening"), ("night", "night")),
    more_days=(
        ("the day after tomorrow", 2),
        ("a week from today", 7),
        ("a week from tomorrow", 8),
        ("one week from today", 7),
        ("a week today", 7),
        ("a week tomorrow", 8),
    ),
    short_forms=(
        ("tmrw", "tomorrow"),
        ("tmr", "tomorrow"),
        ("tmrow", "tomorrow"),
        ("tmw", "tomorrow"),
        ("2moro", "tomorrow"),
        ("2morrow", "tomorrow"),
        ("tomoz", "tomorrow"),
        ("tues", "tuesday"),
        ("thurs", "thursday"),
        ("thur", "thursday"),
        ("weds", "wednesday"),
    ),
    every=("every", "each"),
    every_other=("every other", "every second", "every 2nd", "alternate"),
    daily=("daily", "every day", "each day", "everyday"),
    weekly=("weekly", "every week", "each week"),
    monthly=("monthly", "every month", "each month"),
    yearly=("yearly", "annually", "every year", "each year"),
    workdays=("every weekday", "each weekday", "every workday", "every business day", "on weekdays", "weekdays"),
    ordinals=(
        ("first", 1),
        ("1st", 1),
        ("second", 2),
        ("2nd", 2),
        ("third", 3),
        ("3rd", 3),
        ("fourth", 4),
        ("4th", 4),
        ("last", -1),
    ),
    of_month=("of every month", "of each month", "of the month", "every month", "each month", "monthly"),
    until=("until", "till", "through", "thru"),
    times=("times", "occurrences"),
    and_=("and", "&", ",", "/"),
    filler=("on", "at", "with", "for", "and", "the", "from", "to", "in", "by", "starting", "&", ",", "-"),
)

FRENCH = Grammar(
    at=("à", "a", "vers"),
    for_=("pendant", "pour", "durant"),
    ranges=(("de", "à"), ("de", "a"), ("entre", "et")),
    ends=("jusqu'à", "jusqu'a"),
    now=("maintenant", "tout de suite"),
    noon=("midi",),
    midnight=("minuit",),
    tonight=("ce soir",),
    next_after=("prochain", "prochaine"),
    next_week=("la semaine prochaine", "semaine prochaine"),
    this=("ce", "cet", "cette"),
    last=("dernier", "dernière"),
    in_=("dans",),
    ago=("il y a",),
    hour_units=("heures", "heure", "h"),
    minute_units=("minutes", "minute", "min"),
    day_units=("jours", "jour"),
    week_units=("semaines", "semaine"),
    month_units=("mois",),
    clock_units=("heures", "heure"),
    an_hour=("une heure",),
    half_hour=("une demi-heure", "demi-heure"),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"), 1
        )
    ),
    after_hour=(("et demie", 30), ("et demi", 30), ("et quart", 15), ("moins le quart", -15), ("moins quart", -15)),
    parts=(
        ("du matin", "morning"),
        ("le matin", "morning"),
        ("de l'après-midi", "afternoon"),
        ("de l'aprem", "afternoon"),
        ("l'après-midi", "afternoon"),
        ("du soir", "evening"),
        ("le soir", "evening"),
        ("de la nuit", "night"),
        ("en fin de journée", "end"),
        ("fin de journée", "end"),
    ),
    part_nouns=(("matin", "morning"), ("après-midi", "afternoon"), ("soir", "evening")),
    more_days=(("après demain", 2),),
    every=("chaque", "tous les", "toutes les"),
    daily=("tous les jours", "chaque jour", "quotidiennement"),
    weekly=("chaque semaine", "toutes les semaines"),
    monthly=("chaque mois", "tous les mois"),
    yearly=("chaque année", "tous les ans"),
    workdays=("du lundi au vendredi", "tous les jours ouvrés", "les jours ouvrés", "en semaine"),
    ordinals=(("premier", 1), ("1er", 1), ("deuxième", 2), ("troisième", 3), ("quatrième", 4), ("dernier", -1)),
    of_month=("de chaque mois", "de tous les mois", "du mois"),
    until=("jusqu'au", "jusqu'à", "jusqu'a"),
    times=("fois",),
    and_=("et", ","),
    filler=("le", "la", "les", "l'", "à", "a", "avec", "pour", "pendant", "et", "de", "du", "des", "ce", ","),
    h_is_a_clock=True,
)

SPANISH = Grammar(
    at=("a las", "a la", "a"),
    for_=("durante", "por"),
    ranges=(("de", "a"), ("desde", "hasta"), ("entre", "y")),
    ends=("hasta las", "hasta"),
    now=("ahora mismo", "ahora", "ya"),
    noon=("mediodía", "medio día"),
    midnight=("medianoche",),
    tonight=("esta noche",),
    next_=("próximo", "próxima"),
    next_after=("que viene", "próximo", "próxima"),
    next_week=("la semana que viene", "la próxima semana", "la semana próxima", "semana que viene"),
    this=("este", "esta"),
    last=("pasado", "pasada", "último", "última"),
    in_=("dentro de", "en"),
    ago=("hace",),
    hour_units=("horas", "hora", "h"),
    minute_units=("minutos", "minuto", "min"),
    day_units=("días", "dias", "día", "dia"),
    week_units=("semanas", "semana"),
    month_units=("meses", "mes"),
    an_hour=("una hora",),
    half_hour=("media hora",),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce"), 1
        )
    ),
    after_hour=(("y media", 30), ("y cuarto", 15), ("menos cuarto", -15), ("en punto", 0)),
    parts=(
        ("de la mañana", "morning"),
        ("por la mañana", "morning"),
        ("de la tarde", "afternoon"),
        ("por la tarde", "afternoon"),
        ("de la noche", "evening"),
        ("por la noche", "evening"),
        ("de la madrugada", "night"),
        ("al final del día", "end"),
    ),
    part_nouns=(("tarde", "afternoon"), ("noche", "evening")),
    more_days=(("pasado mañana", 2),),
    every=("cada", "todos los", "todas las"),
    every_other=("cada dos",),
    daily=("todos los días", "todos los dias", "cada día", "cada dia", "a diario", "diariamente"),
    weekly=("cada semana", "todas las semanas", "semanalmente"),
    monthly=("cada mes", "todos los meses", "mensualmente"),
    yearly=("cada año", "todos los años", "anualmente"),
    workdays=("de lunes a viernes", "entre semana", "los días laborables", "días laborables"),
    ordinals=(("primer", 1), ("primero", 1), ("segundo", 2), ("tercer", 3), ("cuarto", 4), ("último", -1)),
    of_month=("de cada mes", "de todos los meses", "del mes"),
    until=("hasta el", "hasta"),
    times=("veces",),
    and_=("y", ","),
    filler=("el", "la", "los", "las", "a", "con", "para", "durante", "por", "y", "de", "del", ","),
)

GERMAN = Grammar(
    at=("um", "gegen"),
    for_=("für", "fuer"),
    ranges=(("von", "bis"), ("zwischen", "und")),
    ends=("bis",),
    now=("jetzt", "sofort"),
    noon=("mittag",),
    midnight=("mitternacht",),
    tonight=("heute abend",),
    next_=("nächsten", "nächste", "nächster", "kommenden", "kommende"),
    next_week=("nächste woche", "kommende woche", "nächster woche"),
    this=("diesen", "diese", "dieser"),
    last=("letzten", "letzte", "letzter", "vergangenen"),
    in_=("in",),
    ago=("vor",),
    hour_units=("stunden", "stunde", "std", "h"),
    minute_units=("minuten", "minute", "min"),
    day_units=("tagen", "tage", "tag"),
    week_units=("wochen", "woche"),
    month_units=("monaten", "monate", "monat"),
    clock_units=("uhr",),
    an_hour=("eine stunde",),
    half_hour=("eine halbe stunde", "halbe stunde"),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"), 1
        )
    ),
    before_hour=(("halb", -30), ("viertel nach", 15), ("viertel vor", -15), ("dreiviertel", -15)),
    parts=(
        ("morgens", "morning"),
        ("früh", "morning"),
        ("vormittags", "morning"),
        ("am morgen", "morning"),
        ("nachmittags", "afternoon"),
        ("am nachmittag", "afternoon"),
        ("abends", "evening"),
        ("am abend", "evening"),
        ("nachts", "night"),
        ("in der nacht", "night"),
        ("zum feierabend", "end"),
    ),
    part_nouns=(
        ("morgen", "morning"),
        ("vormittag", "morning"),
        ("nachmittag", "afternoon"),
        ("abend", "evening"),
        ("nacht", "night"),
    ),
    every=("jeden", "jede", "jedes", "alle"),
    every_other=("jeden zweiten", "jede zweite", "alle zwei"),
    daily=("täglich", "jeden tag"),
    weekly=("wöchentlich", "jede woche"),
    monthly=("monatlich", "jeden monat"),
    yearly=("jährlich", "jedes jahr"),
    workdays=("werktags", "an werktagen", "jeden werktag", "montags bis freitags", "montag bis freitag"),
    ordinals=(("ersten", 1), ("erste", 1), ("zweiten", 2), ("dritten", 3), ("vierten", 4), ("letzten", -1)),
    of_month=("im monat", "jedes monats", "des monats"),
    until=("bis zum", "bis"),
    times=("mal",),
    and_=("und", ","),
    filler=("am", "um", "mit", "für", "und", "an", "den", "der", "die", "das", "ab", ","),
)

ITALIAN = Grammar(
    at=("alle ore", "alle", "all'", "verso le", "a"),
    for_=("per",),
    ranges=(("dalle", "alle"), ("da", "a"), ("tra le", "e")),
    ends=("fino alle",),
    now=("adesso", "subito"),
    noon=("mezzogiorno",),
    midnight=("mezzanotte",),
    tonight=("stasera", "stanotte"),
    next_=("prossimo", "prossima"),
    next_after=("prossimo", "prossima"),
    next_week=("la prossima settimana", "la settimana prossima", "settimana prossima"),
    this=("questo", "questa"),
    last=("scorso", "scorsa", "ultimo"),
    in_=("tra", "fra"),
    ago=("fa",),
    hour_units=("ore", "ora", "h"),
    minute_units=("minuti", "minuto", "min"),
    day_units=("giorni", "giorno"),
    week_units=("settimane", "settimana"),
    month_units=("mesi", "mese"),
    an_hour=("un'ora", "una ora"),
    half_hour=("mezz'ora", "mezzora", "mezza ora"),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("una", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici", "dodici"), 1
        )
    ),
    after_hour=(("e mezza", 30), ("e mezzo", 30), ("e un quarto", 15), ("meno un quarto", -15), ("in punto", 0)),
    parts=(
        ("di mattina", "morning"),
        ("del mattino", "morning"),
        ("la mattina", "morning"),
        ("del pomeriggio", "afternoon"),
        ("di pomeriggio", "afternoon"),
        ("di sera", "evening"),
        ("della sera", "evening"),
        ("di notte", "night"),
    ),
    part_nouns=(("mattina", "morning"), ("pomeriggio", "afternoon"), ("sera", "evening")),
    more_days=(("dopodomani", 2),),
    every=("ogni", "tutti i", "tutte le"),
    daily=("ogni giorno", "tutti i giorni", "quotidianamente"),
    weekly=("ogni settimana", "settimanalmente"),
    monthly=("ogni mese", "mensilmente"),
    yearly=("ogni anno", "annualmente"),
    workdays=("dal lunedì al venerdì", "nei giorni feriali", "ogni giorno feriale"),
    ordinals=(("primo", 1), ("secondo", 2), ("terzo", 3), ("quarto", 4), ("ultimo", -1)),
    of_month=("di ogni mese", "del mese"),
    until=("fino al", "fino a"),
    times=("volte",),
    and_=("e", ","),
    filler=("il", "lo", "la", "le", "l'", "alle", "a", "con", "per", "e", "di", "del", "della", ","),
)

PORTUGUESE = Grammar(
    at=("às", "as", "à", "ao"),
    for_=("durante", "por"),
    ranges=(("das", "às"), ("das", "as"), ("de", "a"), ("entre", "e")),
    ends=("até às", "até as", "até"),
    now=("agora",),
    noon=("meio-dia", "meio dia"),
    midnight=("meia-noite", "meia noite"),
    tonight=("hoje à noite", "hoje a noite", "esta noite"),
    next_=("próximo", "próxima"),
    next_after=("que vem", "próximo", "próxima"),
    next_week=("na próxima semana", "próxima semana", "semana que vem"),
    this=("este", "esta", "neste", "nesta"),
    last=("passado", "passada", "último", "última"),
    in_=("daqui a", "dentro de", "em"),
    ago=("há",),
    hour_units=("horas", "hora", "h"),
    minute_units=("minutos", "minuto", "min"),
    day_units=("dias", "dia"),
    week_units=("semanas", "semana"),
    month_units=("meses", "mês"),
    an_hour=("uma hora",),
    half_hour=("meia hora",),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("uma", "duas", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez", "onze", "doze"), 1
        )
    ),
    after_hour=(("e meia", 30), ("e um quarto", 15), ("em ponto", 0)),
    parts=(
        ("da manhã", "morning"),
        ("de manhã", "morning"),
        ("pela manhã", "morning"),
        ("da tarde", "afternoon"),
        ("à tarde", "afternoon"),
        ("de tarde", "afternoon"),
        ("da noite", "evening"),
        ("à noite", "evening"),
        ("de noite", "evening"),
    ),
    part_nouns=(("tarde", "afternoon"), ("noite", "evening")),
    more_days=(("depois de amanhã", 2),),
    every=("toda", "todo", "todas as", "todos os", "cada"),
    daily=("todos os dias", "todo dia", "diariamente"),
    weekly=("toda semana", "todas as semanas", "semanalmente"),
    monthly=("todo mês", "todos os meses", "mensalmente"),
    yearly=("todo ano", "todos os anos", "anualmente"),
    workdays=("de segunda a sexta", "todos os dias úteis", "dias úteis"),
    ordinals=(("primeira", 1), ("primeiro", 1), ("última", -1), ("último", -1)),
    of_month=("de cada mês", "de todo mês", "do mês"),
    until=("até o", "até"),
    times=("vezes",),
    and_=("e", ","),
    filler=("o", "a", "os", "as", "às", "ao", "em", "com", "para", "por", "e", "de", "do", "da", "na", "no", ","),
    h_is_a_clock=True,
)

DUTCH = Grammar(
    at=("om",),
    for_=("gedurende", "voor"),
    ranges=(("van", "tot"), ("tussen", "en")),
    ends=("tot",),
    now=("nu", "meteen"),
    midnight=("middernacht",),
    tonight=("vanavond",),
    next_=("volgende", "komende"),
    next_week=("volgende week", "komende week"),
    this=("deze",),
    last=("vorige", "afgelopen"),
    in_=("over", "binnen"),
    ago=("geleden",),
    hour_units=("uren", "uur", "u"),
    minute_units=("minuten", "minuut", "min"),
    day_units=("dagen", "dag"),
    week_units=("weken", "week"),
    month_units=("maanden", "maand"),
    clock_units=("uur",),
    an_hour=("een uur",),
    half_hour=("een half uur", "half uur"),
    numbers=tuple(
        (w, n)
        for n, w in enumerate(
            ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf"), 1
        )
    ),
    before_hour=(("half", -30), ("kwart over", 15), ("kwart voor", -15)),
    parts=(
        ("'s ochtends", "morning"),
        ("'s morgens", "morning"),
        ("'s middags", "afternoon"),
        ("'s avonds", "evening"),
        ("'s nachts", "night"),
    ),
    part_nouns=(("ochtend", "morning"), ("middag", "afternoon"), ("avond", "evening")),
    compounds=(("morgenochtend", "morgen ochtend"), ("morgenmiddag", "morgen middag"), ("morgenavond", "morgen avond")),
    every=("elke", "iedere", "elk", "ieder"),
    every_other=("om de",),
    daily=("dagelijks", "elke dag", "iedere dag"),
    weekly=("wekelijks", "elke week", "iedere week"),
    monthly=("maandelijks", "elke maand", "iedere maand"),
    yearly=("jaarlijks", "elk jaar", "ieder jaar"),
    workdays=("elke werkdag", "op werkdagen", "doordeweeks"),
    ordinals=(("eerste", 1), ("tweede", 2), ("derde", 3), ("vierde", 4), ("laatste", -1)),
    of_month=("van de maand", "van elke maand"),
    until=("tot en met", "tot"),
    times=("keer", "maal"),
    and_=("en", ","),
    filler=("om", "op", "met", "voor", "en", "de", "het", "van", ","),
)

GRAMMARS: dict[str, Grammar] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "es": SPANISH,
    "de": GERMAN,
    "it": ITALIAN,
    "pt": PORTUGUESE,
    "nl": DUTCH,
}
