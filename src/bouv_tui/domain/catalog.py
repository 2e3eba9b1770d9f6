"""The codes of the domain with their Swedish labels and help texts.

Codes are the identifiers everywhere (database, files, exports); every Swedish
label the user sees comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    label: str
    help: str = ""


@dataclass(frozen=True, slots=True)
class Area(Entry):
    team_leaders_only: bool = False


class Catalogue(tuple):
    """An ordered, immutable list of entries that can also be looked up by code."""

    def __new__(cls, entries):
        return super().__new__(cls, entries)

    def codes(self) -> list[str]:
        return [e.code for e in self]

    def get(self, code: str):
        for entry in self:
            if entry.code == code:
                return entry
        raise KeyError(code)

    def label(self, code: str | None) -> str:
        if code is None:
            return ""
        try:
            return self.get(code).label
        except KeyError:
            return code

    def __contains__(self, code) -> bool:  # type: ignore[override]
        return any(e.code == code for e in self)


AREAS = Catalogue(
    [
        Area(
            "barns_utveckling",
            "Barns och ungas utveckling och behov",
            "Barns och ungas sociala, psykologiska och biologiska utveckling i ett helhetsperspektiv; "
            "barns och ungas behov och föräldrars förmåga att tillgodose dem; faktorer av betydelse i "
            "familjenätverk och miljö; tecken på att barn och unga far illa eller riskerar att fara illa.",
        ),
        Area(
            "utredning",
            "Utredning",
            "Utredning, analys och bedömning av barnets eller den unges situation och behov, föräldrarnas "
            "förmåga, barnets och föräldrarnas inställning och faktorer i nätverk och miljö; dokumentation; "
            "strukturerade utrednings- och dokumentationsmetoder och systematiska bedömningsinstrument.",
        ),
        Area(
            "samtal",
            "Samtal och relationer",
            "Samtal med barn, unga och föräldrar med barnets behov i fokus; planering och ledning av olika "
            "samtalsformer; att etablera och upprätthålla relationer; att initiera och stödja förändring.",
        ),
        Area(
            "samverkan",
            "Samverkan",
            "Förutsättningar för samverkan; samarbetspartner och deras yrkesroller och mandat; att initiera "
            "och leda samverkan med barns och ungas behov i fokus; processer i grupper och nätverk.",
        ),
        Area(
            "regelverk",
            "Regelverk och rättslig utveckling",
            "Barnkonventionen; sociallagstiftning som rör barn och unga; allmän förvaltningsrätt; "
            "offentlighet och sekretess inom socialtjänsten; rättspraxis inom området.",
        ),
        Area(
            "insatser",
            "Insatser",
            "Olika insatsers innehåll och effekter; planering och samordning av egna och andras insatser; "
            "realistiska, uppföljningsbara mål för genomförandet.",
        ),
        Area(
            "uppfoljning",
            "Uppföljning och utvärdering",
            "Uppföljning och utvärdering av insatser för barnet eller den unge; sammanställning av relevanta "
            "statistiska uppgifter på individnivå.",
        ),
        Area(
            "forhallningssatt",
            "Förhållningssätt och bemötande",
            "Barnperspektiv; barnets delaktighet och inflytande; att bemöta människor i kris; motstridiga "
            "intressen och konflikter; etiska överväganden; synpunkter och klagomål; att vara saklig, "
            "opartisk, tydlig, empatisk och visa respekt.",
        ),
        Area(
            "ebp",
            "Evidensbaserad praktik",
            "Att väga samman bästa tillgängliga kunskap, den professionella expertisen och den enskildes "
            "erfarenheter och önskemål; att använda och följa upp metoder med känd effekt. "
            "Tillagt av Socialstyrelsen.",
        ),
        Area(
            "risk_skydd",
            "Risk- och skyddsfaktorer",
            "Kunskap om faktorer hos barnet, familjen och omgivningen som ökar eller minskar risken för "
            "en ogynnsam utveckling, och hur de används i bedömningar. Tillagt av Socialstyrelsen.",
        ),
        Area(
            "placerade_barn",
            "Placerade barn",
            "Barn och unga i familjehem och på institution: deras behov, hälsa, skolgång och kontakt med "
            "föräldrar, och uppföljning av vården. Tillagt av Socialstyrelsen.",
        ),
        Area(
            "ledarskap",
            "Ledarskap",
            "Att leda handläggare i det dagliga arbetet, ge ärendehandledning och skapa förutsättningar "
            "för god kvalitet. Gäller endast arbetsledare (fråga 19).",
            team_leaders_only=True,
        ),
        Area(
            "grupprocesser",
            "Grupprocesser",
            "Att förstå och leda processer i arbetsgruppen: samarbete, konflikter, förändring. "
            "Gäller endast arbetsledare (fråga 19).",
            team_leaders_only=True,
        ),
    ]
)

#: Short column headings for the assessment grid (the full label is shown beside it).
AREA_SHORT = {
    "barns_utveckling": "Barn", "utredning": "Utred", "samtal": "Samtal", "samverkan": "Samverk",
    "regelverk": "Regler", "insatser": "Insats", "uppfoljning": "Uppf", "forhallningssatt": "Förhåll",
    "ebp": "EBP", "risk_skydd": "Risk", "placerade_barn": "Placer", "ledarskap": "Ledarsk",
    "grupprocesser": "Grupp",
}  # fmt: skip

#: Three letters an area, for all 13 areas of the grid in 80 columns (the panel under the
#: grid names the area of the cursor's column in full).
AREA_TINY = {
    "barns_utveckling": "Bar", "utredning": "Utr", "samtal": "Sam", "samverkan": "Smv",
    "regelverk": "Reg", "insatser": "Ins", "uppfoljning": "Upp", "forhallningssatt": "För",
    "ebp": "EBP", "risk_skydd": "Ris", "placerade_barn": "Pla", "ledarskap": "Led",
    "grupprocesser": "Grp",
}  # fmt: skip

#: One letter per level, as typed in the grid and written in assessment files.
LEVEL_LETTER = {"grundlaggande": "G", "fordjupad": "F", "saknar": "S"}

#: The 11 areas of question 1 and 13, for every handläggare.
CASEWORKER_AREAS = Catalogue([a for a in AREAS if not a.team_leaders_only])

LEVELS = Catalogue(
    [
        Entry(
            "grundlaggande",
            "Grundläggande kompetens",
            "Kan planera, utreda och följa upp ärenden självständigt, kvalitativt och på ett adekvat sätt.",
        ),
        Entry(
            "fordjupad",
            "Fördjupad kompetens",
            "Därutöver särskild kompetens att fungera som ämnesrådgivare eller sakkunnig inom området.",
        ),
        Entry(
            "saknar",
            "Saknar tillräcklig kompetens",
            "Behöver kontinuerligt stöd för att kunna genomföra sina arbetsuppgifter.",
        ),
    ]
)

CASEWORKER = "handlaggare"
TEAM_LEADER = "arbetsledare"
OTHER_ROLE = "annan"

ROLES = Catalogue(
    [
        Entry(
            CASEWORKER,
            "Handläggare",
            "Utreder, planerar och följer upp ärenden för barn och unga (socialsekreterare, "
            "familjehemssekreterare), även förhandsbedömningar i mottagning.",
        ),
        Entry(
            TEAM_LEADER,
            "Arbetsledare",
            "Leder och handleder handläggare nära arbetet, oavsett titel (enhetschef, arbetsledare, "
            "1:e socialsekreterare).",
        ),
        Entry(OTHER_ROLE, "Annan", "Övrig personal som inte räknas i inventeringens frågor."),
    ]
)

#: A role in a few letters, for tables in 80 columns (the roster, the plan's booking list).
ROLE_SHORT = {CASEWORKER: "Handl.", TEAM_LEADER: "Arb.led."}

PERMANENT = "tillsvidare"
FIXED_TERM = "visstid"
CONSULTANT = "konsult"

EMPLOYMENT_TYPES = Catalogue(
    [
        Entry(PERMANENT, "Tillsvidare", "Tillsvidareanställd."),
        Entry(FIXED_TERM, "Visstid", "Visstidsanställd, t.ex. vikariat."),
        Entry(CONSULTANT, "Konsult", "Inhyrd via bemanningsföretag."),
    ]
)

PROVIDER_TYPES = Catalogue(
    [
        Entry("privat", "Privat"),
        Entry("stat_kommun_landsting", "Stat/kommun/landsting"),
        Entry("fou", "FoU"),
        Entry("universitet_hogskola", "Universitet/högskola"),
        Entry("enskild_person", "Enskild person"),
        Entry("skr", "SKR (tidigare SKL)"),
        Entry("ideell_forening", "Ideell förening"),
    ]
)

COST_TYPES = Catalogue(
    [
        Entry("utbildningsplatser", "Utbildningsplatser", "Kursplatser och beställd utbildning."),
        Entry(
            "stod_handledning",
            "Stöd och handledning",
            "Stöd och handledning för oerfarna handläggare, arbetsledare och behandlingspersonal.",
        ),
        Entry("vikarier", "Vikarier", "Vikarier medan personal utbildar sig."),
        Entry("kurslitteratur", "Kurslitteratur"),
        Entry("resor", "Resor"),
        Entry("administration", "Administration"),
    ]
)
