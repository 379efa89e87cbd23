"""Dutch text analysis for residents' initiatives, in pure Python (no Django).

Residents write informally: no capitals, typos, long compounds ("buurtmoestuin",
"fietscrossbaan", "zonnepaneeltjes"), split compounds ("speel tuin") and everyday words
("hangjongeren", "drempels"). A plain keyword lookup misses most of that, so this module
turns a text into *spans* that a configured term can match, each with the kind of match
as evidence:

- ``woord``: the whole word (after stemming: "drempels" matches "drempel");
- ``kop``: the head of a compound ("buurtmoestuin" is a "moestuin");
- ``deel``: a modifier or inner part of a compound ("fiets" in "fietsenstalling");
- ``synoniem``: an informal word mapped to a standard one ("kids" -> "kinderen");
- ``tikfout``: a typo within a bounded edit distance of a known word;
- ``samengevoegd``: two words written apart that form a known compound ("speel tuin").

A :class:`Matcher` compiles terms (single words, multi-word phrases, and combinations
written as ``"straat + afsluiten"``) and reports which terms match a text and as what.
Inside one matcher a term that matches only a part of a longer matched term is dropped,
so "fietscrossbaan" is a "crossbaan" and not also a "fiets".

Public API::

    fold(text: str) -> str
    stem(word: str) -> str
    key(word: str) -> str
    match_key(word: str) -> str
    tokenize(text: str) -> list[str]
    analyze(text: str, *, title: str = "", vocabulary: Vocabulary | None = None) -> Analysis
    Vocabulary(words: Iterable[str] = (), aliases: Mapping[str, str] | None = None)
        .extended(words: Iterable[str]) -> Vocabulary
        .split(word: str) -> tuple[str, ...]
    Matcher(terms: Iterable[str], vocabulary: Vocabulary | None = None, *, extend: bool = True)
        .match(text: str | Analysis, *, title: str = "") -> list[Match]
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

try:  # The classic Dutch Porter stemmer; the newer "dutch" one strips ge- (gezond -> zon).
    import snowballstemmer

    _STEMMER = snowballstemmer.stemmer("dutch_porter")
except (ImportError, KeyError):  # pragma: no cover - exercised only without the package
    _STEMMER = None

MIN_PART = 3
MAX_SPLIT_LEN = 40

FACTORS: dict[str, float] = {
    "woord": 1.0,
    "zinsdeel": 1.0,
    "combinatie": 1.0,
    "samengevoegd": 0.9,
    "synoniem": 0.9,
    "kop": 0.8,
    "tikfout": 0.75,
    "deel": 0.5,
}


def _wordlist(text: str) -> list[str]:
    """Whitespace-separated words: long word lists stay readable in the source."""
    return text.split()


STOPWORDS: frozenset[str] = frozenset(
    _wordlist("""
    aan al alle alles als alsof altijd andere ben bij binnen daar daarna daarom dan dat de
    der deze die dit doen doe doet door dus echter een eens eigen en er erg even ff gaan gaat
    geweest had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je jij jou
    jouw jullie kan kon kunnen kunt laat laten maar me meer men met mij mijn misschien moet
    moeten na naar niet niets nog nu of om omdat ons onze ook op over s t te tegen toch toen
    tot u uit uw van veel voor vooral waar waarom wanneer want waren was wat we weer wel
    welke werd wie wij wil willen wilt word worden wordt zal ze zei zelf zich zij zijn zo
    zoals zodat zou zouden zullen graag heel echt gewoon beetje ofzo enzo etc nou hoor hun
    hen alleen samen elkaar iedereen allemaal dingen ding gaan gaat komen komt kunnen mogen
    """)
)

# Informal or regional words -> the standard word a municipal vocabulary is likely to use.
SYNONYMS: dict[str, str] = {
    "kids": "kinderen",
    "kinders": "kinderen",
    "koters": "kinderen",
    "kleintjes": "kinderen",
    "kiddo": "kinderen",
    "kiddos": "kinderen",
    "pubers": "jongeren",
    "tieners": "jongeren",
    "jongelui": "jongeren",
    "jeugdigen": "jongeren",
    "hangjeugd": "hangjongeren",
    "bejaarden": "ouderen",
    "oudjes": "ouderen",
    "senioren": "ouderen",
    "65plussers": "ouderen",
    "gepensioneerden": "ouderen",
    "bieb": "bibliotheek",
    "opas": "ouderen",
    "omas": "ouderen",
    "bbq": "barbecue",
    "pv": "zonnepanelen",
    "solar": "zonnepanelen",
    "scheuren": "hardrijden",
    "scheurders": "hardrijders",
    "racen": "hardrijden",
    "racers": "hardrijders",
    "brommers": "scooters",
    "troep": "zwerfvuil",
    "rommel": "zwerfvuil",
    "dealers": "drugs",
    "dealen": "drugs",
    "gedeald": "drugs",
    "wiet": "drugs",
    "blowen": "drugs",
    "vluchtelingen": "nieuwkomers",
    "asielzoekers": "nieuwkomers",
    "inburgeraars": "nieuwkomers",
    "statushouder": "nieuwkomers",
    "minima": "armoede",
    "gym": "gymnastiek",  # "gym op muziek" is exercise; the building is a "gymzaal"
    "plussers": "ouderen",  # "70-plussers"
    "moestuintje": "moestuin",
    "drempel": "verkeersdrempel",
    "verkeersdrempels": "drempels",
    "ledlampjes": "ledlampen",
    "lampjes": "verlichting",
    "lantaarnpalen": "straatverlichting",
    "lantarenpalen": "straatverlichting",
    "lantaarnpaal": "straatverlichting",
    "bankje": "bank",
    "bankjes": "banken",
    "vuilnisbakken": "afvalbakken",
    "prullenbakken": "afvalbakken",
    "geveltuintjes": "geveltuinen",
    "tuintjes": "tuinen",
    "wijkagent": "politie",
    "buurtagent": "wijkagent",
    "skaten": "skatebaan",
    "skeeleren": "skaten",
    "voetballen": "voetbal",
    "gamen": "games",
    "kerk": "kerk",
    "buurtcentrum": "buurthuis",
    "wijkhuis": "buurthuis",
    "wijkcentrum": "buurthuis",
    "dorpshuis": "buurthuis",
    "gemeenschapshuis": "buurthuis",
    "mantelzorger": "mantelzorg",
    "thuiszorg": "zorg",
    "eenzaam": "eenzaamheid",
    "eenzame": "eenzaamheid",
}

# Modifier forms that differ from the free word ("zonnedak" is a "zon" + "dak").
ALIASES: dict[str, str] = {
    "zonne": "zon",
    "kinder": "kind",
    "speel": "spelen",
    "beweeg": "bewegen",
    "wandel": "wandelen",
    "fietsen": "fiets",
    "huizen": "huis",
    "bomen": "boom",
    "straten": "straat",
    "stads": "stad",
    "dorps": "dorp",
    "wijks": "wijk",
    "jongeren": "jongeren",
    "ouderen": "ouderen",
    "bewoners": "bewoner",
    "buren": "buur",
    "leef": "leven",
    "woon": "wonen",
    "sport": "sport",
    "school": "school",
    "kerst": "kerst",
    "regen": "regen",
    "groen": "groen",
    "ontmoetings": "ontmoeting",
    "verkeers": "verkeer",
    "energie": "energie",
    "voedsel": "voedsel",
    "koffie": "koffie",
    "taal": "taal",
    "hang": "hangen",
    "zwerf": "zwerven",
    "rook": "roken",
    "klim": "klimmen",
    "glij": "glijden",
    "zit": "zitten",
    "eet": "eten",
}

# General Dutch compound constituents, so unseen compounds split even when no configured
# term covers a part ("kastanjelaan" -> "kastanje" + "laan").
BASE_WORDS: tuple[str, ...] = tuple(
    _wordlist("""
    buurt wijk straat dorp stad plein park tuin moes laan weg pad baan veld terrein grond land
    school kind jeugd jongere jongeren ouder ouders oudere baby peuter tiener gezin familie
    fiets auto bus trein spoor tunnel brug halte station parkeer parkeren garage stoep rijbaan
    cross skate zon dak paneel energie stroom warmte gas licht lamp led water regen ton wadi
    groen boom bloem plant bak gevel spiegel struik haag gras heg vijver sloot beek bos
    huis woning kamer flat pand gebouw kantoor winkel centrum markt kraam kerst feest muziek
    podium cafe taal koffie thee ochtend avond middag nacht week dag maand jaar zomer winter
    plek plaats ruimte zaal hal kantine keuken club vereniging team groep raad comite
    zorg hulp mantel bewoner burger huur koop geld budget fonds voedsel kleding bank ruil
    gratis veilig preventie agent politie camera drempel zebra oversteek zone snelheid verkeer
    vracht wagen trekker boer boeren kunst muur schildering graffiti doek beeld afval vuil
    zwerf container hond poep speel toestel glij schommel klim trap voetbal sport gym zwem
    bad bibliotheek museum theater erfgoed monument molen kerk moskee ontmoeting activiteit
    les cursus training beweeg wandel loop route rol stoel senior eenzaam armoede schuld
    inkomen werk stage leer ondernemer horeca terras leegstand pop app whatsapp
    spring kussen barbecue huiswerk begeleiding repair kennismaking status houder nieuw
    komer vrijwilliger vrijwilligers boek boekje huishoud coach box strip douche wekker
    isolatie materiaal vloer glas schaduw hitte bui storm kelder riool tegel tegels honden
    speeltuin speelplek speelveld schoolplein sportpark sportveld fietspad voetpad
    bestemming plan omgeving vergunning ontheffing evenement optreden band oefen
    ruimte jongerenwerk wijkteam buurtteam zelfbeheer beheer onderhoud schoon
    fruit snoep rook roken alcohol drugs dealer overlast lawaai geluid herrie
    ingang uitgang hek poort bankje afdak overkapping container compost insect bij bijen
    vogel vogels vlinder egel nest kast hotel
    supermarkt bijeenkomst ziekenhuis gemeentehuis stadhuis postcoderoos
    """)
)

# Words whose stems collide with a different meaning: parents are not the elderly.
KEY_OVERRIDES: dict[str, str] = {
    "ouders": "ouders",
    "ouderen": "oudere",
    "oudere": "oudere",
}

# Buildings and indoor facilities. After a locative preposition ("in de bibliotheek", "bij
# het buurthuis", "in de kantine van de voetbalclub") such a word names the *venue* of an
# activity, not its subject: a single term matching it counts for VENUE_FACTOR only. When
# the building itself is the subject ("het buurthuis opknappen", "beheer van het dorpshuis")
# it is not preceded by a locative, and combinations ("buurthuis + opknappen") keep their
# full weight. Outdoor public ground (park, plein, veld) is deliberately not a venue: using
# municipal ground is itself a public-space question. Nor are institutions whose remit is
# the activity itself (a library or museum hosting culture, a care home whose residents
# are the target group): they are partners, not rooms.
VENUE_WORDS: frozenset[str] = frozenset(
    _wordlist("""
    buurthuis dorpshuis wijkcentrum buurtcentrum gemeenschapshuis wijkgebouw wijkhuis mfa
    kantine sporthal gymzaal school basisschool kerk moskee clubhuis winkelcentrum
    supermarkt gemeentehuis stadhuis cafe kroeg zaal kerkzaal voetbalclub sportclub
    sportvereniging voetbalvereniging vereniging club ontmoetingscentrum
    """)
)
VENUE_FACTOR = 0.3
LOCATIVES: frozenset[str] = frozenset(
    _wordlist("in bij op naast achter tegenover rond rondom vanuit binnen")
)
# Words that may stand between a locative and its noun ("in de lege ruimte", "bij ons").
_NP_FILLERS: frozenset[str] = frozenset(
    _wordlist("de het een onze ons mijn hun jullie deze die dat dit zijn haar uw")
)

# Clauses that state what is already there or not needed ("we hebben al buurtbudget
# gekregen", "geld is niet nodig") are context, not a request: their words do not count.
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n]|\s[-–]\s")
CLAUSE_CONJUNCTIONS: frozenset[str] = frozenset(
    _wordlist("en maar dus want omdat zodat terwijl")
)
_HAVE = frozenset(
    _wordlist("heb hebben hebt heeft gekregen ontvangen geregeld toegezegd betaald gehad")
)
_DURATION = frozenset(
    _wordlist("jaren jaar maanden maand weken week lang tijden sinds eeuwen decennia dagen")
)
_NEGATORS = frozenset(_wordlist("niet geen niets"))
_NEEDLESS = frozenset(_wordlist("hoeft hoeven hoef"))

# The purpose of an initiative ("zodat bewoners in een rolstoel ook kunnen tuinieren", "om
# eenzaamheid tegen te gaan", "tegen hardrijders") and whom it is for ("voor ouderen",
# "voor kinderen uit de wijk") say more about the policy it serves than the means ("kinderen
# van de school komen helpen"). Such tokens are marked; coupling weighs them more.
PURPOSE_MARKERS: frozenset[str] = frozenset(_wordlist("zodat opdat waardoor tegen"))
BENEFICIARY_MARKERS: frozenset[str] = frozenset(_wordlist("voor"))
_PURPOSE_REACH = 8  # words after a marker that belong to its clause at most
# "kinderen van de basisschool komen helpen", "de ouders helpen mee": the people before a
# help verb in their clause are the means, not the target group ("elkaar helpen" is the point).
HELP_VERBS: frozenset[str] = frozenset(
    _wordlist("helpen helpt hielpen meehelpen helpen meedoen meewerken assisteren")
)
_NOT_HELPERS = frozenset(_wordlist("elkaar samen mee"))

_WORD_RE = re.compile(r"[^\W_]+(?:['’`][^\W_]+)*")
_DIMINUTIVES: tuple[str, ...] = ("etjes", "etje", "tjes", "tje", "pjes", "pje", "jes", "je")
_VOWEL_PAIRS = re.compile(r"([aeou])\1")


def fold(text: str) -> str:
    """Lowercase and strip accents: residents write "cooperatie" as often as "coöperatie"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokenize(text: str) -> list[str]:
    """Split into folded words; apostrophes inside a word are dropped ("auto's" -> "autos")."""
    return list(_tokenize(text))


@lru_cache(maxsize=65536)
def _tokenize(text: str) -> tuple[str, ...]:
    # Cached: building a suggester tokenizes every configured term several times.
    return tuple(_fold_token(m.group()) for m in _WORD_RE.finditer(text))


@lru_cache(maxsize=65536)
def _fold_token(raw: str) -> str:
    return re.sub(r"['’`]", "", fold(raw))


def _undiminish(word: str) -> str:
    """Strip a diminutive suffix ("zonnepaneeltjes" -> "zonnepaneel", "balletje" -> "bal")."""
    if len(word) < 6:
        return word
    for suffix in _DIMINUTIVES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix.startswith("e") and len(base) >= 4 and base[-1] == base[-2]:
                base = base[:-1]
            return base
    return word


def _fallback_stem(word: str) -> str:  # pragma: no cover - only without snowballstemmer
    for suffix in ("heden", "heid", "ingen", "ing", "en", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem a folded Dutch word with the classic Dutch Porter stemmer (plurals, -heid...)."""
    if not word.isalpha():
        return word
    if _STEMMER is None:  # pragma: no cover
        return _fallback_stem(word)
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The matching key of a word: folded, diminutive stripped, stemmed, long vowels single.

    Two surface forms with the same key are treated as the same word ("bomen" / "boom",
    "zonnepanelen" / "zonnepaneeltjes").
    """
    word = _fold_token(word)
    if word in KEY_OVERRIDES:
        return KEY_OVERRIDES[word]
    k = _VOWEL_PAIRS.sub(r"\1", stem(_undiminish(word)))
    # The stemmer keeps or drops a final -s/-z/-double consonant inconsistently
    # ("fiets" -> fiet, "fietsen" -> fiets; "bossen" -> boss): normalise the ending.
    if len(k) > 3 and k[-1] == k[-2] and k[-1] not in "aeiou":
        k = k[:-1]
    if len(k) > 3 and k[-1] == "z":
        k = k[:-1] + "s"
    if len(k) > 3 and k[-1] == "s":
        k = k[:-1]
    return k


def match_key(word: str) -> str:
    """The key a text word or term word is matched by; stopwords match only themselves.

    Stemming merges "heet" with "het" and "bijen" with "bij": a stopword in the text must
    not count as a content term, but a term may still be a stopword ("samen").
    """
    folded = _fold_token(word)
    return "=" + folded if folded in STOPWORDS else key(folded)


def _osa_distance(a: str, b: str, bound: int) -> int:
    """Optimal string alignment distance, giving up (returning bound + 1) past ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > bound:
            return bound + 1
        prev2, prev = prev, cur
    return prev[-1]


def _typo_bound(word: str) -> int:
    if len(word) < 6:
        return 0
    return 1 if len(word) <= 10 else 2


@dataclass(frozen=True)
class Atom:
    """One part of a compound: its characters in the word and the word it stands for."""

    start: int
    end: int
    canonical: str


@dataclass(frozen=True)
class WordInfo:
    """What the vocabulary knows about one folded word."""

    word: str
    atoms: tuple[Atom, ...]
    corrected: str | None = None  # the known word a typo was taken for
    synonym: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(a.canonical for a in self.atoms) if len(self.atoms) > 1 else ()


class Vocabulary:
    """Known words for compound splitting and typo correction.

    The default holds general Dutch constituents; a :class:`Matcher` extends it with its
    own terms so that every configured term can be found inside a compound.
    """

    def __init__(self, words: Iterable[str] = (), aliases: Mapping[str, str] | None = None) -> None:
        self.surface: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self._deletes: dict[str, set[str]] = {}
        self._cache: dict[str, WordInfo] = {}
        self._words: list[str] = []
        self._extensions: dict[tuple[str, ...], Vocabulary] = {}
        self._aliases = dict(ALIASES if aliases is None else aliases)
        self._add(words)
        for alias, canonical in self._aliases.items():
            self.surface[_fold_token(alias)] = _fold_token(canonical)

    def _add(self, words: Iterable[str]) -> None:
        for raw in words:
            for word in tokenize(raw):
                if len(word) < MIN_PART or not word.isalpha() or word in STOPWORDS:
                    continue
                if word in self.surface:
                    continue
                self._words.append(word)
                self.surface[word] = word
                self.keys.setdefault(key(word), word)
                if len(word) >= 6:
                    for i in range(len(word)):
                        self._deletes.setdefault(word[:i] + word[i + 1 :], set()).add(word)
                    self._deletes.setdefault(word, set()).add(word)

    def extended(self, words: Iterable[str]) -> Vocabulary:
        """A copy that also knows ``words`` (each may be a phrase; its words are added).

        The same extension of the same vocabulary is built once and shared (the result is
        only read afterwards): every suggester of an unchanged configuration reuses it.
        """
        words = tuple(words)
        cached = self._extensions.get(words)
        if cached is not None:
            return cached
        new = Vocabulary(self._words, self._aliases)
        new._add(words)
        if len(self._extensions) >= 8:
            self._extensions.clear()
        self._extensions[words] = new
        return new

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.surface or key(word) in self.keys)

    def known(self, piece: str, final: bool) -> str | None:
        """The canonical word ``piece`` stands for, or None; inflection only at the end."""
        if piece in self.surface:
            return self.surface[piece]
        if final and len(piece) >= 4:
            return self.keys.get(key(piece))
        return None

    def correct(self, word: str) -> str | None:
        """The known word closest to a probable typo, within a bound that grows with length."""
        bound = _typo_bound(word)
        if not bound:
            return None
        candidates: set[str] = set(self._deletes.get(word, ()))
        for i in range(len(word)):
            candidates |= self._deletes.get(word[:i] + word[i + 1 :], set())
        best: tuple[int, str] | None = None
        for cand in sorted(candidates):
            if cand[0] != word[0] or cand == word:
                continue
            if cand[:-2] == word[:-2] or cand.startswith(word) or word.startswith(cand):
                continue  # an inflection ("trekken" / "trekker"), not a typo
            dist = _osa_distance(word, cand, bound)
            if dist <= bound and (best is None or dist < best[0]):
                best = (dist, cand)
        return best[1] if best else None

    def _segment(self, word: str, min_parts: int) -> list[Atom] | None:
        """Fewest known parts covering ``word`` with -s-/-e-/-en- links; None if impossible.

        With ``min_parts`` >= 2 the word itself never counts as its only part.
        """
        n = len(word)
        best: list[tuple[tuple[int, int], list[Atom]] | None] = [None] * (n + 1)
        best[n] = ((0, 0), [])
        for i in range(n - MIN_PART, -1, -1):
            choice: tuple[tuple[int, int], list[Atom]] | None = None
            for j in range(n, i + MIN_PART - 1, -1):
                if i == 0 and j == n and min_parts >= 2:
                    continue
                canonical = self.known(word[i:j], final=(j == n))
                if canonical is None:
                    continue
                for link in ("", "s", "e", "en") if j < n else ("",):
                    nxt = j + len(link)
                    if link and (nxt >= n or not word.startswith(link, j)):
                        continue
                    rest = best[nxt]
                    if rest is None:
                        continue
                    score = (rest[0][0] + 1, rest[0][1] + len(link))
                    if choice is None or score < choice[0]:
                        choice = (score, [Atom(i, j, canonical), *rest[1]])
            best[i] = choice
        found = best[0]
        if found is None or len(found[1]) < min_parts:
            return None
        return found[1]

    def _refine(self, word: str, atoms: list[Atom]) -> list[Atom]:
        """Split known parts further where they are themselves compounds (moestuin)."""
        out: list[Atom] = []
        for atom in atoms:
            piece = word[atom.start : atom.end]
            sub = self._segment(piece, 2) if len(piece) >= 6 else None
            if sub:
                out.extend(Atom(atom.start + a.start, atom.start + a.end, a.canonical) for a in sub)
            else:
                out.append(atom)
        return out

    def info(self, word: str) -> WordInfo:
        """Split, correct and normalise one folded word (cached per vocabulary)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        result = self._info(word)
        if len(self._cache) < 200_000:
            self._cache[word] = result
        return result

    def _info(self, word: str) -> WordInfo:
        whole = Atom(0, len(word), word)
        synonym = SYNONYMS.get(word)
        if not word.isalpha() or len(word) > MAX_SPLIT_LEN or word in STOPWORDS:
            return WordInfo(word, (whole,), synonym=synonym)
        if word in self:
            return WordInfo(word, tuple(self._refine(word, [whole])), synonym=synonym)
        atoms = self._segment(word, 2)
        if atoms:
            return WordInfo(word, tuple(self._refine(word, atoms)), synonym=synonym)
        corrected = self.correct(word)
        if corrected:
            inner = self.info(corrected)
            return WordInfo(word, inner.atoms, corrected=corrected, synonym=synonym)
        # Right-headed fallback: an unknown modifier before a known head ("kastanjelaan").
        for k in range(MIN_PART, len(word) - 4):
            head = self.known(word[k:], final=True)
            if head is not None and len(word) - k >= 5:
                return WordInfo(
                    word, (Atom(0, k, word[:k]), *self._refine(word, [Atom(k, len(word), head)]))
                )
        # A known modifier before a misspelt head ("buurtmoestiun").
        for k in range(len(word) - 5, 3, -1):
            modifier = self.known(word[:k], final=False)
            if modifier is None:
                continue
            corrected = self.correct(word[k:])
            if corrected:
                return WordInfo(
                    word,
                    (Atom(0, k, modifier), Atom(k, len(word), corrected)),
                    corrected=word[:k] + corrected,
                )
        return WordInfo(word, (whole,), synonym=synonym)

    def split(self, word: str) -> tuple[str, ...]:
        """The compound parts of a word, e.g. "fietscrossbaan" -> ("fiets", "cross", "baan")."""
        folded = _fold_token(word)
        return self.info(folded).parts or (folded,)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """General Dutch constituents plus the informal words' targets."""
    return Vocabulary([*BASE_WORDS, *SYNONYMS.values()])


@dataclass(frozen=True)
class Token:
    """A word of the text as written, folded, with its matching key."""

    text: str
    word: str
    key: str
    index: int
    in_title: bool
    info: WordInfo


@dataclass(frozen=True)
class Span:
    """A stretch of the text that a term can match, with how it was found."""

    key: str
    kind: str
    found: str
    start: int  # global atom offsets, for "is inside a longer match"
    end: int
    token: int
    in_title: bool


@dataclass
class Analysis:
    """The analysed text: tokens, stems, compound parts and the spans terms can match."""

    text: str
    tokens: list[Token]
    spans: list[Span] = field(default_factory=list)
    venues: frozenset[int] = frozenset()  # token indices naming the venue of an activity
    ignored: frozenset[int] = frozenset()  # token indices in "already have / not needed"
    purposes: frozenset[int] = frozenset()  # token indices in a purpose clause or "voor X"
    helpers: frozenset[int] = frozenset()  # token indices naming who helps (the means)

    @property
    def stems(self) -> list[str]:
        return [stem(t.word) for t in self.tokens]

    @property
    def compounds(self) -> dict[str, tuple[str, ...]]:
        return {t.word: t.info.parts for t in self.tokens if t.info.parts}

    @property
    def content_words(self) -> list[str]:
        """Words that carry meaning: no stopwords, numbers or single letters."""
        return [t.word for t in self.tokens if _is_content(t.word)]

    @property
    def terms(self) -> set[str]:
        """Every key a configured term can match in this text."""
        return {s.key for s in self.spans}


def _is_content(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word not in STOPWORDS


def _token_spans(token: Token, offset: int) -> list[Span]:
    """Spans for one token: the whole word, its synonym, and every run of compound parts."""
    info, shown = token.info, token.text
    atoms = info.atoms
    whole_kind = "tikfout" if info.corrected else "woord"
    base = info.corrected or token.word
    spans = [
        Span(
            match_key(base),
            whole_kind,
            shown,
            offset,
            offset + len(atoms),
            token.index,
            token.in_title,
        )
    ]
    if info.synonym:
        spans.append(
            Span(
                key(info.synonym),
                "synoniem",
                shown,
                offset,
                offset + len(atoms),
                token.index,
                token.in_title,
            )
        )
    if len(atoms) > 1:
        source = base if info.corrected and len(base) == atoms[-1].end else token.word
        for i in range(len(atoms)):
            for j in range(i + 1, len(atoms) + 1):
                if i == 0 and j == len(atoms):
                    continue
                final = j == len(atoms)
                if j - i == 1:
                    piece = atoms[i].canonical
                    keys = {key(piece)}
                    if final:
                        keys.add(key(source[atoms[i].start : atoms[i].end]))
                else:
                    keys = {key(source[atoms[i].start : atoms[j - 1].end])}
                kind = "kop" if final else "deel"
                if info.corrected:
                    kind = "tikfout"
                for k in sorted(keys):
                    spans.append(
                        Span(k, kind, shown, offset + i, offset + j, token.index, token.in_title)
                    )
    return spans


def analyze(text: str, *, title: str = "", vocabulary: Vocabulary | None = None) -> Analysis:
    """Analyse a title (optional) and text into tokens, stems, compound parts and spans."""
    vocab = vocabulary or default_vocabulary()
    tokens: list[Token] = []
    clauses: list[int] = []
    clause = 0
    for part, in_title in ((title, True), (text, False)):
        clause += 1
        previous_end = 0
        for m in _WORD_RE.finditer(part or ""):
            word = _fold_token(m.group())
            if _CLAUSE_BREAK.search(part[previous_end : m.start()]) or (
                word in CLAUSE_CONJUNCTIONS and previous_end
            ):
                clause += 1
            previous_end = m.end()
            clauses.append(clause)
            tokens.append(
                Token(m.group(), word, match_key(word), len(tokens), in_title, vocab.info(word))
            )
    venues = _venue_tokens(tokens)
    ignored = _ignored_tokens(tokens, clauses)
    purposes = _purpose_tokens(tokens, clauses)
    helpers = _helper_tokens(tokens, clauses)
    spans: list[Span] = []
    offsets: list[int] = []
    offset = 0
    for token in tokens:
        offsets.append(offset)
        if token.index not in ignored:
            spans.extend(_token_spans(token, offset))
        offset += len(token.info.atoms)
    # Compounds written apart ("speel tuin", "zonne panelen"): join neighbouring words.
    for a, b in itertools.pairwise(tokens):
        if a.in_title != b.in_title or not (_is_content(a.word) and _is_content(b.word)):
            continue
        if a.index in ignored or b.index in ignored:
            continue
        joined = a.word + b.word
        if joined in vocab and len(a.info.atoms) == 1 and len(b.info.atoms) == 1:
            spans.append(
                Span(
                    key(joined),
                    "samengevoegd",
                    f"{a.text} {b.text}",
                    offsets[a.index],
                    offsets[b.index] + 1,
                    a.index,
                    a.in_title,
                )
            )
    return Analysis(
        title + "\n" + text if title else text,
        tokens,
        spans,
        frozenset(venues),
        ignored,
        purposes,
        helpers,
    )


_VENUE_KEYS: frozenset[str] = frozenset(key(w) for w in VENUE_WORDS)


def _is_venue_word(token: Token) -> bool:
    """A building or indoor facility, also as the head of a compound ("voetbalkantine")."""
    word = token.info.corrected or token.word
    if key(word) in _VENUE_KEYS or (token.info.synonym and key(token.info.synonym) in _VENUE_KEYS):
        return True
    atoms = token.info.atoms
    return len(atoms) > 1 and key(atoms[-1].canonical) in _VENUE_KEYS


def _venue_tokens(tokens: list[Token]) -> set[int]:
    """Building words that follow a locative ("in de (lege) kantine (van de voetbalclub)")."""
    venues: set[int] = set()
    for i, token in enumerate(tokens):
        if not _is_venue_word(token):
            continue
        j, skipped = i - 1, 0
        # Skip articles, possessives and at most two adjectives or names in between.
        while j >= 0 and tokens[j].in_title == token.in_title and skipped < 3:
            w = tokens[j].word
            if w in LOCATIVES:
                break
            if w == "van" and j - 1 in venues:  # "in de kantine van de voetbalclub"
                break
            if w in _NP_FILLERS or (w.endswith("e") and w not in STOPWORDS) or w.isdigit():
                j -= 1
                skipped += 1
                continue
            j = -1
        if j >= 0 and tokens[j].in_title == token.in_title and (
            tokens[j].word in LOCATIVES or tokens[j].word == "van"
        ):
            venues.add(i)
    return venues


def _purpose_tokens(tokens: list[Token], clauses: list[int]) -> frozenset[int]:
    """Tokens that state the goal ("zodat ...", "om ... te ...", "tegen ...") or whom it is for.

    A purpose runs from its marker to the end of the clause (at most a few words); "om"
    counts only with a later "te" in the same clause ("om elkaar te leren kennen"), "voor"
    only for the noun phrase right after it ("voor (de) ouderen"), not for times or prices
    ("voor 3 euro", "voor de zomer" are short and rarely match a carrier term anyway).
    """
    out: set[int] = set()
    n = len(tokens)
    for i, token in enumerate(tokens):
        w = token.word
        same = [j for j in range(i + 1, min(n, i + 1 + _PURPOSE_REACH)) if clauses[j] == clauses[i]]
        if w in PURPOSE_MARKERS or (w == "om" and any(tokens[j].word == "te" for j in same)):
            out.update(same)
        elif w in BENEFICIARY_MARKERS:
            for j in same[:4]:
                out.add(j)
                if _is_content(tokens[j].word) and tokens[j].word not in _NP_FILLERS:
                    # the head noun, and "uit/van/met X" right after it ("kinderen met een
                    # beperking", "mensen met weinig geld")
                    k = j + 1
                    if k < n and clauses[k] == clauses[i] and tokens[k].word in ("met", "uit"):
                        tail = range(k + 1, min(n, k + 4))
                        out.update(x for x in tail if clauses[x] == clauses[i])
                    break
    return frozenset(out)


def _helper_tokens(tokens: list[Token], clauses: list[int]) -> frozenset[int]:
    """Tokens before a help verb in the same clause: who helps, not whom it is for."""
    out: set[int] = set()
    for i, token in enumerate(tokens):
        if token.word not in HELP_VERBS:
            continue
        j = i - 1
        if j >= 0 and tokens[j].word in _NOT_HELPERS | {"te"}:
            continue  # "elkaar helpen", "om te helpen": not a subject before the verb
        while j >= 0 and clauses[j] == clauses[i] and tokens[j].in_title == token.in_title:
            if tokens[j].word not in _NOT_HELPERS:
                out.add(j)
            j -= 1
    return frozenset(out)


def _is_duration(following: list[str]) -> bool:
    """ "al jaren", "al 6 jaar": for a long time (a complaint), not "already have"."""
    return bool(following) and (following[0] in _DURATION or following[0].isdigit())


def _ignored_tokens(tokens: list[Token], clauses: list[int]) -> frozenset[int]:
    """Tokens of clauses that say what is already there or not needed."""
    by_clause: dict[int, list[int]] = {}
    for i, c in enumerate(clauses):
        by_clause.setdefault(c, []).append(i)
    ignored: set[int] = set()
    for members in by_clause.values():
        words = [tokens[i].word for i in members]
        present = set(words)
        already = bool(present & _HAVE) and any(
            w == "al" and not _is_duration(words[k + 1 : k + 2]) for k, w in enumerate(words)
        )
        not_needed = "nodig" in present and bool(present & _NEGATORS)
        needless = bool(present & _NEEDLESS) and bool(present & {"geen", "niets"})
        if already or not_needed or needless:
            ignored.update(members)
    return frozenset(ignored)


@dataclass(frozen=True)
class Match:
    """A configured term found in a text: which term, the words found, and how."""

    term: str
    found: str
    kind: str
    in_title: bool = False
    venue: bool = False  # the word names where something happens, not what it is about
    tokens: tuple[int, ...] = ()  # token indices of the words found

    @property
    def factor(self) -> float:
        """How strongly this kind of match counts (a compound modifier less than a word)."""
        return FACTORS.get(self.kind, 1.0) * (VENUE_FACTOR if self.venue else 1.0)

    def as_dict(self) -> dict[str, str]:
        return {"term": self.term, "found": self.found, "kind": self.kind}


@dataclass(frozen=True)
class _Phrase:
    term: str
    keys: tuple[str, ...]


class Matcher:
    """Finds which configured terms occur in a text, and as what.

    A term is a word ("speeltuin"), a phrase ("jeu de boules", "te hard rijden": its words
    within a few words of each other, in any order) or a combination
    ("straat + afsluiten|dicht": every ``+`` part somewhere in the text, a part matching
    if any of its ``|`` alternatives does). A single term with alternatives ("a|b") is a
    one-part combination.
    """

    def __init__(
        self, terms: Iterable[str], vocabulary: Vocabulary | None = None, *, extend: bool = True
    ) -> None:
        self.terms: list[str] = []
        self._single: dict[str, list[str]] = {}
        self._phrases: list[_Phrase] = []
        self._combos: list[tuple[str, list[list[str]]]] = []
        self._standalone: set[str] = set()
        words: list[str] = []
        for raw in dict.fromkeys(terms):
            term = raw.strip()
            if not term:
                continue
            self.terms.append(term)
            if "+" not in term and "|" not in term:
                self._standalone.add(term)
                words.extend(tokenize(term))
                self._compile(term)
                continue
            # "straat + afsluiten|afgesloten|dicht": every part, each with alternatives.
            parts = [[a.strip() for a in p.split("|") if a.strip()] for p in term.split("+")]
            parts = [p for p in parts if p]
            self._combos.append((term, parts))
            for alternatives in parts:
                for alt in alternatives:
                    words.extend(tokenize(alt))
                    self._compile(alt)
        base = vocabulary or default_vocabulary()
        # extend=False: the caller passes a vocabulary that already knows these terms, so
        # one analysis can be shared by several matchers.
        self.vocabulary = base.extended(words) if extend else base

    def _compile(self, term: str) -> None:
        tokens = tokenize(term)
        if len(tokens) == 1:
            bucket = self._single.setdefault(match_key(tokens[0]), [])
            if term not in bucket:
                bucket.append(term)
        elif len(tokens) > 1 and all(p.term != term for p in self._phrases):
            self._phrases.append(_Phrase(term, tuple(match_key(t) for t in tokens)))

    def term_key(self, term: str) -> str:
        """What a term counts as: its word key for single words, else the term itself.

        Callers use it so that "veilig", "veilige" and "veiligheid" in one profile count once.
        """
        if term in self._standalone:
            tokens = tokenize(term)
            if len(tokens) == 1:
                return match_key(tokens[0])
        return term

    def analyze(self, text: str, *, title: str = "") -> Analysis:
        return analyze(text, title=title, vocabulary=self.vocabulary)

    def _raw_matches(self, analysis: Analysis) -> dict[str, list[tuple[Match, Span | None]]]:
        found: dict[str, list[tuple[Match, Span | None]]] = {}
        for span in analysis.spans:
            for term in self._single.get(span.key, ()):
                venue = span.token in analysis.venues
                match = Match(term, span.found, span.kind, span.in_title, venue, (span.token,))
                found.setdefault(term, []).append((match, span))
        if self._phrases:
            positions: dict[str, list[int]] = {}
            for span in analysis.spans:
                if span.kind in ("woord", "synoniem", "tikfout", "samengevoegd"):
                    positions.setdefault(span.key, []).append(span.token)
            for phrase in self._phrases:
                hit = _find_phrase(phrase.keys, positions)
                if hit is not None:
                    shown = " ".join(analysis.tokens[i].text for i in hit)
                    in_title = all(analysis.tokens[i].in_title for i in hit)
                    found.setdefault(phrase.term, []).append(
                        (Match(phrase.term, shown, "zinsdeel", in_title, False, tuple(hit)), None)
                    )
        return found

    def match(self, text: str | Analysis, *, title: str = "") -> list[Match]:
        """The best match of every term found, in term order; parts of longer matches drop."""
        analysis = text if isinstance(text, Analysis) else self.analyze(text, title=title)
        raw = self._raw_matches(analysis)
        spans = [s for items in raw.values() for _, s in items if s is not None]
        result: dict[str, Match] = {}
        for term, items in raw.items():
            if term not in self._standalone:
                continue
            kept = [m for m, s in items if s is None or not _inside_other(s, spans)]
            if kept:
                result[term] = max(kept, key=lambda m: (m.factor, m.in_title))
        for term, parts in self._combos:
            part_matches = []
            for alternatives in parts:
                found = [m for alt in alternatives for m, _ in raw.get(alt, ())]
                if found:
                    part_matches.append(
                        max(found, key=lambda m: (FACTORS.get(m.kind, 1.0), m.in_title))
                    )
            if part_matches and len(part_matches) == len(parts):
                weakest = min(FACTORS.get(m.kind, 1.0) for m in part_matches)
                kind = "combinatie" if weakest >= 0.75 else "deel"
                shown = " … ".join(m.found for m in part_matches)
                in_title = any(m.in_title for m in part_matches)
                hit = tuple(sorted({t for m in part_matches for t in m.tokens}))
                result[term] = Match(term, shown, kind, in_title, False, hit)
        order = {t: i for i, t in enumerate(self.terms)}
        return sorted(result.values(), key=lambda m: order.get(m.term, len(order)))


def _inside_other(span: Span, spans: list[Span]) -> bool:
    return any(
        o.start <= span.start and span.end <= o.end and (o.start, o.end) != (span.start, span.end)
        for o in spans
    )


def _find_phrase(keys: tuple[str, ...], positions: dict[str, list[int]]) -> list[int] | None:
    """Token positions of all phrase words within a small window, in any order."""
    if any(k not in positions for k in keys):
        return None
    window = len(keys) + 2
    for start in positions[keys[0]]:
        chosen = [start]
        for k in keys[1:]:
            near = [p for p in positions[k] if abs(p - start) <= window and p not in chosen]
            if not near:
                break
            chosen.append(min(near, key=lambda p: abs(p - start)))
        else:
            return sorted(chosen)
    return None
