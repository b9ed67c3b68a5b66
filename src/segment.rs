//! Sentence segmentation for news text.
//!
//! A rule-based splitter: it looks at every run of sentence punctuation, the word before it
//! and the word after it, and decides whether a sentence ends there. It never drops text:
//! the spans it returns cover every non-whitespace character of the input, in order, without
//! overlaps and without surrounding whitespace.
//!
//! # Rules
//!
//! **Blocks and lines.** A blank line (or U+2029) always ends a sentence, even without
//! punctuation. A single line break counts as a space, except after real sentence punctuation
//! (`?`, `!`, or a full stop after an ordinary word or number), where it ends the sentence
//! whatever follows. A dot that belongs to an abbreviation, an initial or an ordinal, and an
//! ellipsis, are not sure sentence ends, so a line break after them changes nothing.
//!
//! **Candidates.** A run of terminators (`.` `!` `?` `…` and the full stops and question marks
//! of other scripts), optionally followed by closing quotes and brackets (and more
//! terminators), is a candidate if whitespace follows it. CJK full-width `。！？` need no
//! whitespace. `3.5%`, `U.S.-led`, `example.com` or `p.m.` inside a token never split.
//!
//! **Quotes and brackets.** Quote marks are classified as opening or closing by what stands
//! left and right of them (`„…“`, `“…”`, `"…"`, `«…»`, `»…«`, `‚…‘`, `‘…’`, `'…'`, with French
//! inner spaces), and paired with a stack; brackets `() [] {}` likewise. Unpaired marks are
//! ignored (apostrophes, a quote that never closes in the block). No sentence ends inside a
//! paired quote or bracket; a sentence that ends at the end of a quote ends after the
//! closing mark. A pair spans at most 4,096 bytes: marks farther apart are left unpaired, so
//! that a stray mark cannot hold a long block together. `[…]` and `(…)` are omissions, never sentence ends.
//!
//! **The next word.** Opening quotes, brackets, `¿ ¡` and dashes before it are skipped. If it
//! starts with a lowercase letter, no sentence ends (except after real sentence punctuation at
//! a line break): `„Wer?“ fragte er.` stays one sentence. Otherwise `?` and `!` always end a
//! sentence.
//!
//! **Ellipsis** (`…`, `...`) ends a sentence only before an uppercase (or caseless) letter.
//!
//! **A single dot** is judged by the token before it:
//! - *Multi-part abbreviations*: the first dots of `z. B.`, `d. h.`, `EE. UU.`, `т. е.`, … are
//!   never sentence ends when the rest of the abbreviation follows. The parts of a multi-part
//!   abbreviation are separated by at most one space; earlier parts may lack a dot (`ad es.`,
//!   `и др.`).
//! - *Never-final abbreviations* (titles and other words that stand before what they modify:
//!   `Dr.`, `Mr.`, `Prof.`, `St.`, `Nr.`, `z. B.`, `ca.`, `Mio.`, `т. е.`, `ул.`, `Sr.`…) and
//!   *initials* (one capital letter: `John F. Kennedy`, `M. Macron`) never end a sentence.
//!   (So "World War I. The" does not split: a known, accepted exception.)
//! - *Attributive abbreviations* (`U.S.`, `U.K.`, `U.N.`, `EE. UU.`, `a.m.`, `p.m.`, `Inc.`,
//!   `Jr.`, US state abbreviations, and any unlisted dotted all-capital acronym such as
//!   `D.C.`) are often followed by capitalised words inside a sentence ("U.S. President Joe
//!   Biden", "7:09 p.m. Sunday"). They end a sentence only if the next word is a common
//!   sentence starter: an article, pronoun, conjunction or preposition ("The", "He", "El",
//!   "Der", …).
//! - *Ordinary abbreviations* (`etc.`, `usw.`, `No.`, `Jh.`, `т. д.`, month abbreviations,
//!   an unlisted lowercase single letter or dotted acronym like `e.V.`) end a sentence only if
//!   the next word starts with an uppercase letter; never before a number. German street
//!   names (`Hauptstr.`) count as ordinary abbreviations.
//! - *Abbreviations after a number* (Russian `г.`, `гг.`) are ordinary after a number ("в
//!   1991 г. Тогда" splits) and never-final otherwise ("г. Москва").
//! - *Numbers*: a number of at most three digits followed by a dot is an ordinal (no sentence
//!   end) when it is the first token of the sentence (list items, "1. FC Köln"). In languages
//!   that write ordinals with a dot (German, the Nordic and most Central European languages,
//!   and with no language given) it is also an ordinal before a German month name ("28. Juni
//!   2022"), before another number of a date ("5. 6. 2022", if it has at most two digits), and
//!   before a capitalised word if the word before the number is a German article, contraction
//!   or determiner ("im 19. Jahrhundert", "der 2. Weltkrieg"). Otherwise a number is an
//!   ordinary word ("Seite 3. Dann" splits; "in 2020. The" splits).
//! - *Other words* end a sentence before anything that does not start lowercase.
//!
//! # Abbreviation lists
//!
//! Built-in lists cover German, English, French, Spanish, Italian and Russian. Abbreviations
//! match case-sensitively, or with the first letter capitalised (sentence start). A language
//! with a built-in list uses it; any other language, and `lang = None`, use the union of all
//! lists (when lists disagree on the class, the more conservative class wins). Abbreviations
//! from [`SegmentConfig`] are added to the lists of their language (the key `"*"` to every
//! list) and are treated as never-final. They are written without the final dot; parts may be
//! separated by dots, spaces or both (`"z. B"` and `"z.B"` are the same abbreviation). An
//! entry starting with `-` matches the end of longer words (`"-str"` matches `Hauptstr.`).

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;

use crate::doc::{Block, Document, Segment};
use crate::lang::{Lang, UnknownLang};

/// Segmenter settings from the `[segment]` table of the config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentConfig {
    /// Extra abbreviations per ISO 639-1 code (without the final dot, e.g. `"Abs"`), added to
    /// the built-in lists. The key `"*"` applies to every language. Configured abbreviations
    /// never end a sentence; an entry starting with `-` matches word endings (`"-str"`).
    #[serde(default)]
    pub abbreviations: HashMap<String, Vec<String>>,
}

impl SegmentConfig {
    /// Checks that every key of `abbreviations` is `"*"` or a language code tarjuman knows.
    /// [`Segmenter::new`] ignores entries under unknown keys.
    pub fn validate(&self) -> Result<(), UnknownLang> {
        for key in self.abbreviations.keys() {
            if key.trim() != "*" {
                Lang::from_code(key)?;
            }
        }
        Ok(())
    }
}

/// How an abbreviation behaves before a possible sentence start. Ordered from the most to the
/// least willing to end a sentence, so `max` picks the conservative class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// Ends a sentence before an uppercase word (`etc.`, `usw.`).
    Ordinary,
    /// Ends a sentence only before a common sentence starter (`U.S.`, `p.m.`).
    Attributive,
    /// Ordinary after a number (`1991 г.`), never-final otherwise (`г. Москва`).
    AfterNumber,
    /// Never ends a sentence (`Dr.`, `z. B.`).
    NeverFinal,
}

use Class::{AfterNumber as AN, Attributive as A, NeverFinal as N, Ordinary as O};

/// Built-in abbreviations per language and class, without the final dot. An entry starting
/// with `-` matches as the end of a longer word (`-str`: `Hauptstr.`).
static BUILTIN: &[(&str, Class, &[&str])] = &[
    (
        "de",
        N,
        &[
            "z. B", "d. h", "u. a", "u. U", "o. g", "i. d. R", "z. T", "z. Zt", "v. a", "a. D",
            "i. A", "i. V", "bzw", "Nr", "Nrn", "Dr", "Prof", "ca", "vgl", "Mio", "Mrd", "Mill",
            "Tsd", "St", "Abs", "Hr", "Hrn", "Fr", "Frl", "Hl", "Dipl", "Ing", "med", "jur",
            "phil", "rer", "nat", "sog", "ggf", "evtl", "inkl", "exkl", "zzgl", "bzgl", "geb",
            "gest", "verh", "Tel", "Hrsg", "Ziff", "lt", "gem", "ehem", "zit",
        ],
    ),
    (
        "de",
        O,
        &[
            "usw", "etc", "o. ä", "u. ä", "u. v. m", "s. o", "s. u", "Jh", "Jhd", "Str", "-str",
            "Art", "Bd", "Abt", "Kap", "Abb", "Tab", "Anm", "v. Chr", "n. Chr", "a. M", "i. Br",
            "d. J", "Co", "Jan", "Feb", "Febr", "Aug", "Sept", "Okt", "Nov", "Dez",
        ],
    ),
    (
        "en",
        N,
        &[
            "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "St", "Mt", "Ft", "Gen", "Gens", "Sen",
            "Sens", "Rep", "Reps", "Gov", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Adm", "Maj", "Cpl",
            "Pvt", "Rev", "Hon", "Pres", "Supt", "Det", "Insp", "Amb", "Atty", "e.g", "i.e", "vs",
            "v", "cf", "approx", "ca",
        ],
    ),
    (
        "en",
        A,
        &[
            "U.S", "U.K", "U.N", "U.S.A", "E.U", "a.m", "p.m", "Inc", "Corp", "Ltd", "Co", "Jr",
            "Sr", "Bros", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill",
            "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb",
            "Nev", "Okla", "Ore", "Pa", "Tenn", "Va", "Vt", "Wash", "Wis", "Wyo",
        ],
    ),
    (
        "en",
        O,
        &[
            "etc", "No", "Nos", "Fig", "Vol", "pp", "Ave", "Blvd", "Rd", "Dept", "Univ", "Ph.D",
            "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        ],
    ),
    (
        "fr",
        N,
        &[
            "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste", "Gén",
            "Col", "Cdt", "Lt", "Sgt", "Prés", "p. ex", "c.-à-d", "av", "env", "cf", "bd", "boul",
            "resp", "vs",
        ],
    ),
    ("fr", A, &["É.-U"]),
    (
        "fr",
        O,
        &[
            "etc",
            "av. J.-C",
            "apr. J.-C",
            "J.-C",
            "Cie",
            "art",
            "éd",
            "vol",
            "hab",
            "janv",
            "févr",
            "avr",
            "juil",
            "sept",
            "oct",
            "nov",
            "déc",
        ],
    ),
    (
        "es",
        N,
        &[
            "Sr", "Sra", "Srta", "Sres", "Sras", "Dr", "Dra", "Dres", "Ud", "Uds", "Vd", "Vds",
            "Dña", "Lic", "Ing", "Arq", "Prof", "Profa", "Excmo", "Excma", "Ilmo", "Ilma", "Gral",
            "Cnel", "Tte", "Sto", "Sta", "Mons", "p. ej", "aprox", "Av", "Avda", "pág", "págs",
            "núm", "tel", "vs", "cf",
        ],
    ),
    ("es", A, &["EE. UU"]),
    (
        "es",
        O,
        &["etc", "a. C", "d. C", "art", "vol", "cap", "Cía"],
    ),
    (
        "it",
        N,
        &[
            "Sig", "Sigg", "Sig.ra", "Sig.na", "Dott", "Dott.ssa", "Prof", "Prof.ssa", "Avv",
            "Ing", "Arch", "On", "Geom", "Rag", "Mons", "Gen", "Col", "Cap", "Magg", "Ten", "Sen",
            "ad es", "p. es", "cfr", "ca", "tel", "pag", "pagg",
        ],
    ),
    ("it", O, &["ecc", "a.C", "d.C", "vol", "art"]),
    (
        "ru",
        N,
        &[
            "т. е",
            "т. к",
            "т. н",
            "ул",
            "им",
            "тыс",
            "млн",
            "млрд",
            "см",
            "св",
            "проф",
            "акад",
            "ок",
            "пр",
            "просп",
            "пл",
            "пер",
            "стр",
            "ген",
            "р",
            "оз",
            "с",
            "пос",
            "дер",
            "респ",
            "гр",
            "ст",
            "п",
            "ч",
        ],
    ),
    ("ru", AN, &["г", "гг"]),
    (
        "ru",
        O,
        &[
            "т. д", "т. п", "и др", "др", "вв", "руб", "коп", "долл", "чел", "обл", "н. э",
        ],
    ),
];

/// Words that commonly start a sentence (articles, pronouns, conjunctions, prepositions…),
/// separated by spaces, one string per language.
/// An attributive abbreviation ends a sentence only before one of these.
static STARTERS: &[&str] = &[
    // English
    "The A An In On At It Its He She They We I You This That These Those There Their His Her \
     Our But And Or So Yet However Meanwhile After Before When While If As According Some \
     Many Most What Who Why How Where For With From By To Since Although Though Despite \
     Still Also Then Now Earlier Later During Under Officials Police",
    // German
    "Der Die Das Den Dem Des Ein Eine Einer Er Sie Es Wir Ich Ihr Im Am Auf Mit Nach Bei \
     Seit Vor Für Aber Und Doch Dann Dabei Damit Daher Deshalb Auch Zudem Außerdem Nun Jetzt \
     Wie Was Wer Wenn Als Da Dies Diese Dieser Dieses Man Zum Zur Laut Trotz Während Unter \
     Über Gegen Noch Bereits Zwar Allerdings Jedoch",
    // French
    "Le Les L Il Elle Ils Elles Un Une Des Du De En Dans Pour Par Mais Et Ce Cette Ces Selon \
     Depuis Après Avant Si Lors Alors Pourtant Cependant Nous Je Vous Son Sa Ses Leur Leurs \
     Aucun",
    // Spanish
    "El Los Las Una Por Para Con Sin Según Pero Y Además Este Esta Estos Estas Esto Ese Eso \
     Desde Hasta Tras Él Ella Ellos Se Su Sus No Lo Al Del Así También Mientras Cuando \
     Aunque",
    // Italian
    "Il Gli Uno Nel Nella Ma E Anche Secondo Questo Questa Questi Dopo Prima Non Lui Lei \
     Loro Noi Dal Della Durante Quando Intanto Inoltre Però",
    // Russian
    "В Во На По С Со К О Об Он Она Они Оно Мы Я Это Этот Эта Эти Но И А Как Так Также Кроме \
     При После До Для За Из От У Уже Ещё Еще Его Её Ее Их Однако Тогда Сейчас Теперь Там \
     Здесь Все Всё Не Что Кто Когда Где Если Хотя Между Через Согласно",
];

/// German month names and their abbreviations (capitalised, so they need a rule), separated
/// by spaces.
static MONTHS: &str =
    "Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November \
    Dezember Jan Feb Febr Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez";

/// German words (lowercased) after which a number with a dot is an ordinal, separated by
/// spaces.
static ORDINAL_TRIGGERS: &str =
    "der die das dem den des am im zum zur vom beim ins ans ab bis seit je ein eine einem \
    einen einer jeder jede jedes jedem jeden ihr ihre ihrem ihren ihrer sein seine seinem \
    seinen seiner unser unsere unserem unseren dieser diese dieses diesem diesen";

/// Languages that write ordinal numbers with a dot (`5.` = fifth).
static ORDINAL_DOT_LANGS: &[&str] = &[
    "de", "da", "nb", "nn", "is", "fi", "et", "lv", "cs", "sk", "sl", "hr", "sr", "bs", "hu", "pl",
    "tr",
];

// The abbreviation and word tables have short keys and are built from the built-in lists
// and the config, never from the text: Fx hashing is much faster there and flooding is no
// concern.
type Map<K, V> = rustc_hash::FxHashMap<K, V>;
type Set<T> = rustc_hash::FxHashSet<T>;

/// Abbreviations of one language (or of several merged).
#[derive(Debug, Clone, Default)]
struct Table {
    /// Full abbreviations, keyed by their parts joined with `.` (`z.B`, `U.S`, `Dr`).
    full: Map<String, Class>,
    /// Leading parts of multi-part abbreviations (`z`, `i.d`) → the parts that can follow.
    prefixes: Map<String, Vec<String>>,
    /// Word endings that make a word an abbreviation (`str`: `Hauptstr.`).
    suffixes: Vec<(String, Class)>,
}

impl Table {
    /// Adds one abbreviation; an existing entry keeps the more conservative class.
    fn add(&mut self, abbr: &str, class: Class) {
        if let Some(end) = abbr.trim().strip_prefix('-') {
            let end = end.trim_end_matches('.');
            if !end.is_empty() && !self.suffixes.iter().any(|(e, _)| e == end) {
                self.suffixes.push((end.to_string(), class));
            }
            return;
        }
        let parts: Vec<&str> = abbr
            .split(|c: char| c == '.' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            return;
        }
        let entry = self.full.entry(parts.join(".")).or_insert(class);
        *entry = (*entry).max(class);
        for cut in 1..parts.len() {
            let list = self.prefixes.entry(parts[..cut].join(".")).or_default();
            if !list.iter().any(|p| p == parts[cut]) {
                list.push(parts[cut].to_string());
            }
        }
    }

    /// Adds every entry of `other`.
    fn merge(&mut self, other: &Table) {
        for (key, &class) in &other.full {
            let entry = self.full.entry(key.clone()).or_insert(class);
            *entry = (*entry).max(class);
        }
        for (end, class) in &other.suffixes {
            if !self.suffixes.iter().any(|(e, _)| e == end) {
                self.suffixes.push((end.clone(), *class));
            }
        }
        for (key, next) in &other.prefixes {
            let list = self.prefixes.entry(key.clone()).or_default();
            for n in next {
                if !list.contains(n) {
                    list.push(n.clone());
                }
            }
        }
    }
}

/// Splits text into sentences.
///
/// See the [module documentation](self) for the rules.
#[derive(Debug, Clone)]
pub struct Segmenter {
    /// Tables of languages with a built-in list or configured entries.
    tables: Map<&'static str, Table>,
    /// Table for other languages: union of the built-in lists plus `"*"` entries.
    fallback: Table,
    /// Table for unknown language: union of everything.
    all: Table,
    starters: Set<&'static str>,
    months: Set<&'static str>,
    triggers: Set<&'static str>,
    /// Chars the scanner has looked at (see [`Segmenter::work`]).
    work: Work,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new(&SegmentConfig::default())
    }
}

impl Segmenter {
    /// A segmenter with the built-in rules plus those of `config`.
    ///
    /// Entries of `config` under keys that are neither `"*"` nor a known language code are
    /// ignored (see [`SegmentConfig::validate`]).
    pub fn new(config: &SegmentConfig) -> Self {
        let mut builtin: HashMap<&'static str, Table> = HashMap::new();
        let mut union = Table::default();
        for &(code, class, list) in BUILTIN {
            let t = builtin.entry(code).or_default();
            for abbr in list {
                t.add(abbr, class);
            }
        }
        for t in builtin.values() {
            union.merge(t);
        }

        let mut global = Table::default();
        let mut configured: HashMap<&'static str, Table> = HashMap::new();
        for (key, list) in &config.abbreviations {
            let target = if key.trim() == "*" {
                &mut global
            } else if let Ok(lang) = Lang::from_code(key) {
                configured.entry(lang.code()).or_default()
            } else {
                continue;
            };
            for abbr in list {
                target.add(abbr, Class::NeverFinal);
            }
        }

        let mut fallback = union.clone();
        fallback.merge(&global);
        let mut all = fallback.clone();
        for t in configured.values() {
            all.merge(t);
        }

        let mut tables = Map::default();
        let codes: HashSet<&'static str> =
            builtin.keys().chain(configured.keys()).copied().collect();
        for code in codes {
            let mut t = builtin.get(code).unwrap_or(&union).clone();
            t.merge(&global);
            if let Some(c) = configured.get(code) {
                t.merge(c);
            }
            tables.insert(code, t);
        }

        Segmenter {
            tables,
            fallback,
            all,
            starters: STARTERS.iter().flat_map(|l| l.split_whitespace()).collect(),
            months: MONTHS.split_whitespace().collect(),
            triggers: ORDINAL_TRIGGERS.split_whitespace().collect(),
            work: Work::default(),
        }
    }

    /// How many times the scanner has looked at a char (around punctuation, quote marks and
    /// paragraph breaks; plain letters are skipped byte by byte) since this segmenter was
    /// made: a measure of work that tests use to check that the cost grows linearly with
    /// the input.
    pub fn work(&self) -> u64 {
        self.work.get()
    }

    /// Byte spans of the sentences of `text`, in order, without surrounding whitespace.
    /// `lang` selects the abbreviation rules (`None`: all languages' rules together).
    pub fn split(&self, text: &str, lang: Option<Lang>) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        self.split_into(text, self.rules(lang), &mut Scratch::default(), &mut spans);
        spans
    }

    /// The abbreviation table and ordinal rule for `lang`.
    fn rules(&self, lang: Option<Lang>) -> Rules<'_> {
        let table = match lang {
            None => &self.all,
            Some(l) => self.tables.get(l.code()).unwrap_or(&self.fallback),
        };
        let ordinal_dots = lang.is_none_or(|l| ORDINAL_DOT_LANGS.contains(&l.code()));
        Rules {
            table,
            ordinal_dots,
        }
    }

    /// Appends the spans of [`Segmenter::split`] to `spans`: directly if `text` is a single
    /// sentence whatever the rules (see [`single_span`]), else by the full scanner.
    fn split_into(
        &self,
        text: &str,
        rules: Rules<'_>,
        scratch: &mut Scratch,
        spans: &mut Vec<Range<usize>>,
    ) {
        match single_span(text) {
            Some(span) => {
                if !span.is_empty() {
                    spans.push(span);
                }
            }
            None => self.split_full(text, rules, scratch, spans),
        }
    }

    /// The full scanner behind [`Segmenter::split`]; appends the spans to `spans`.
    fn split_full(
        &self,
        text: &str,
        rules: Rules<'_>,
        scratch: &mut Scratch,
        spans: &mut Vec<Range<usize>>,
    ) {
        let mut scan = Scanner {
            seg: self,
            table: rules.table,
            ordinal_dots: rules.ordinal_dots,
            text,
            rare: rare_chars(text),
            buf: std::mem::take(scratch),
            cursor: 0,
            depth: 0,
            looks: Cell::new(0),
        };
        scan.run();
        self.work.add(scan.looks.get());
        let bounds = &scan.buf.bounds;
        spans.reserve(bounds.len() + 1);
        let mut from = 0;
        for end in bounds.iter().copied().chain(std::iter::once(text.len())) {
            if end <= from {
                continue;
            }
            let piece = &text[from..end];
            let lead = piece.len() - piece.trim_start().len();
            let body = piece.trim();
            if !body.is_empty() {
                spans.push(from + lead..from + lead + body.len());
            }
            from = end;
        }
        *scratch = scan.buf;
    }

    /// The sentences of `text` as string slices (see [`Segmenter::split`]).
    pub fn sentences<'t>(&self, text: &'t str, lang: Option<Lang>) -> Vec<&'t str> {
        self.split(text, lang)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    /// Fills `segments` of every translatable block of `doc` and numbers them.
    /// Uses `doc.lang` (if set) for the abbreviation rules.
    pub fn segment_document(&self, doc: &mut Document) {
        let rules = self.rules(doc.lang.map(|d| d.lang));
        let mut scratch = Scratch::default();
        let mut spans = Vec::new();
        for block in &mut doc.blocks {
            block.segments.clear();
            if !block.kind.is_translatable() {
                continue;
            }
            spans.clear();
            self.split_into(&block.text, rules, &mut scratch, &mut spans);
            block.segments.reserve_exact(spans.len());
            for span in spans.drain(..) {
                block.segments.push(Segment::new(0, &block.text, span));
            }
        }
        doc.number_segments();
    }
}

/// A work counter shared by the threads using one segmenter or detector (clones start from
/// the count of their original).
#[derive(Debug, Default)]
pub(crate) struct Work(AtomicU64);

impl Work {
    pub(crate) fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Clone for Work {
    fn clone(&self) -> Self {
        Work(AtomicU64::new(self.get()))
    }
}

/// The 1-based input line of each segment of `block`, in order: the block's line plus the
/// line breaks of its text before the segment. One pass over the text for all segments (a
/// count from the block's start per segment would make a large block quadratic).
pub fn segment_lines(block: &Block) -> impl Iterator<Item = usize> + '_ {
    let bytes = block.text.as_bytes();
    let mut pos = 0;
    let mut line = block.line;
    block.segments.iter().map(move |seg| {
        let start = seg.span.start.min(bytes.len());
        if start < pos {
            // Segments out of order (not made by the segmenter): count again from the start.
            pos = 0;
            line = block.line;
        }
        line += bytes[pos..start].iter().filter(|&&b| b == b'\n').count();
        pos = start;
        line
    })
}

/// The segment spans of every block of a document, made by [`Segmenter::document_spans`]
/// without changing the document.
#[derive(Debug, Clone, Default)]
pub struct DocumentSpans {
    spans: Vec<Range<usize>>,
    /// Block `i`'s spans are `spans[first[i]..first[i + 1]]`.
    first: Vec<usize>,
}

impl DocumentSpans {
    /// The tables of consecutive runs of blocks, in order, as the table of all their blocks.
    pub fn concat(parts: Vec<DocumentSpans>) -> DocumentSpans {
        let mut out = DocumentSpans {
            spans: Vec::with_capacity(parts.iter().map(|p| p.spans.len()).sum()),
            first: Vec::with_capacity(parts.iter().map(|p| p.first.len()).sum::<usize>() + 1),
        };
        for part in parts {
            let shift = out.spans.len();
            // Every start but the part's last entry, its end.
            let starts = part.first.len().saturating_sub(1);
            out.first
                .extend(part.first[..starts].iter().map(|f| f + shift));
            out.spans.extend(part.spans);
        }
        out.first.push(out.spans.len());
        out
    }

    /// The segment spans (byte ranges of its text) of block `i`: none for a block that is
    /// not translatable or not in the document.
    pub fn block(&self, i: usize) -> &[Range<usize>] {
        match (self.first.get(i), self.first.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.spans[a..b],
            _ => &[],
        }
    }

    /// The number of segments in all blocks.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no block has a segment.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

impl Segmenter {
    /// The spans [`Segmenter::segment_document`] gives the blocks of `doc` when its language
    /// is `lang`, without making [`Segment`]s or changing the document: one table for the
    /// whole document instead of a text copy per segment (what the QA checker, which only
    /// reads, wants of large documents).
    pub fn document_spans(&self, doc: &Document, lang: Option<Lang>) -> DocumentSpans {
        self.blocks_spans(&doc.blocks, lang)
    }

    /// [`Segmenter::document_spans`] of a run of blocks: block `i` of the table is
    /// `blocks[i]`. The tables of consecutive runs join with [`DocumentSpans::concat`].
    pub fn blocks_spans(&self, blocks: &[Block], lang: Option<Lang>) -> DocumentSpans {
        let rules = self.rules(lang);
        let mut scratch = Scratch::default();
        let mut out = DocumentSpans {
            spans: Vec::with_capacity(blocks.len()),
            first: Vec::with_capacity(blocks.len() + 1),
        };
        for block in blocks {
            out.first.push(out.spans.len());
            if block.kind.is_translatable() {
                self.split_into(&block.text, rules, &mut scratch, &mut out.spans);
            }
        }
        out.first.push(out.spans.len());
        out
    }
}

/// The rules [`Segmenter::split`] applies for one language.
#[derive(Debug, Clone, Copy)]
struct Rules<'s> {
    table: &'s Table,
    /// Whether the language writes ordinal numbers with a dot.
    ordinal_dots: bool,
}

/// Buffers of the scanner, kept between the blocks of a document so that segmenting many
/// short blocks does not allocate for each one. Their contents never carry over: every user
/// clears a buffer before filling it.
#[derive(Debug, Default)]
struct Scratch {
    /// Quote/bracket pair events of the paragraph, sorted: (position of the mark, +1 for an
    /// opening mark, -1 for a closing one). The depth after a character is the sum of the
    /// events up to and including it.
    events: Vec<(usize, i32)>,
    /// Sorted positions of closing marks that have a partner.
    closes: Vec<usize>,
    /// Open quote marks while pairing: (position, mark).
    stack: Vec<(usize, char)>,
    /// Byte ranges of abbreviation parts before a dot.
    parts: Vec<(usize, usize)>,
    /// For each gathered token, the index of its first part in `parts`.
    tokens: Vec<usize>,
    key: String,
    key2: String,
    /// Byte offsets where sentences end.
    bounds: Vec<usize>,
}

/// The span of the whole trimmed `text` (empty if `text` is blank) when the full scanner
/// cannot split it, whatever the language and configuration; `None` when the full scanner
/// has to decide.
///
/// That is the case when no whitespace run counts two line breaks and, after trimming, every
/// terminator before the final run of terminators and closing marks is a narrow one (not CJK
/// full-width) whose run of terminators is directly followed by a char that is neither
/// whitespace nor a closing mark (`3.5%`, `12.500`, `example.com`). Then the scanner returns
/// exactly this span:
/// - Its only bounds outside [`Scanner::scan`] are at whitespace runs of at least two line
///   breaks, which here lie in the leading or trailing whitespace. So one paragraph holds
///   the whole trimmed text, and the others are blank.
/// - [`Scanner::scan`] only stops at terminators. At a run of them before the final run, it
///   consumes no closer (none follows), and as neither whitespace follows nor the run is
///   full-width, it moves on without a bound. From the first terminator of the final run,
///   its run of terminators and closers goes on to the end of the trimmed text: every char
///   there is a terminator or a closer, and what follows is whitespace, where no paired
///   closer can stand. After the run there is nothing or only whitespace up to the
///   paragraph's end, so the scan stops without a bound.
/// - Bounds in the leading or trailing whitespace leave one non-blank piece, which
///   trimming turns into exactly the trimmed text.
///
/// Line breaks are counted per char without looking ahead (so `\r\n` counts two), which
/// only sends more text to the full scanner.
fn single_span(text: &str) -> Option<Range<usize>> {
    let start = text.len() - text.trim_start().len();
    let body = text[start..].trim_end();
    let span = start..start + body.len();
    let head = body.trim_end_matches(|c: char| terminator(c).is_some() || is_closer(c));
    // Plain ASCII (no terminator, no line break) needs no closer look.
    if head.bytes().fold(true, |plain, b| {
        plain & (b < 0x80 && !ascii_term(b) && !ascii_break(b))
    }) {
        return Some(span);
    }
    let mut breaks = 0;
    let mut after_term = false;
    for c in head.chars() {
        match terminator(c) {
            Some(Term::Wide) => return None,
            Some(_) => {
                after_term = true;
                continue;
            }
            None => {}
        }
        if c.is_whitespace() {
            breaks += line_breaks(c, None);
            if after_term || breaks >= 2 {
                return None;
            }
        } else {
            if after_term && is_closer(c) {
                return None;
            }
            breaks = 0;
        }
        after_term = false;
    }
    // `head` ends with neither a terminator nor a closer, so no run of terminators is open.
    Some(span)
}

/// What kind of terminator a character is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    Dot,
    Ellipsis,
    /// `?`, `!` and the full stops of other scripts.
    Strong,
    /// CJK full-width terminators, which need no following space.
    Wide,
}

fn terminator(c: char) -> Option<Term> {
    match c {
        '.' => Some(Term::Dot),
        '…' => Some(Term::Ellipsis),
        '!' | '?' | '‼' | '⁇' | '⁈' | '⁉' | '؟' | '۔' | '।' | '॥' | '።' | '፧' | '։' | '။'
        | '\u{37E}' => Some(Term::Strong),
        '。' | '！' | '？' | '｡' => Some(Term::Wide),
        _ => None,
    }
}

/// Whether the ASCII byte `b` is a terminator (`terminator(char::from(b)).is_some()`).
const fn ascii_term(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?')
}

/// Whether the ASCII byte `b` is whitespace (`char::from(b).is_whitespace()`).
const fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// Whether the ASCII byte `b` is a line break (`line_breaks(char::from(b), None) > 0`).
const fn ascii_break(b: u8) -> bool {
    matches!(b, b'\n'..=b'\r')
}

/// Whether the ASCII byte `b` is a quote mark or bracket (`is_opener` or `is_closer`).
const fn ascii_mark(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'')
}

/// Byte class: an ASCII terminator.
const TERM: u8 = 1;
/// Byte class: ASCII whitespace.
const SPACE: u8 = 2;
/// Byte class: an ASCII quote mark or bracket.
const MARK: u8 = 4;

/// The classes of each byte for the scanner's quick loops: an ASCII byte has the classes of
/// its char, any other byte all of them, so that the loops stop there and look at the char.
static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut table = [TERM | SPACE | MARK; 256];
    let mut b: u8 = 0;
    while b < 0x80 {
        let mut class = 0;
        if ascii_term(b) {
            class |= TERM;
        }
        if ascii_space(b) {
            class |= SPACE;
        }
        if ascii_mark(b) {
            class |= MARK;
        }
        table[b as usize] = class;
        b += 1;
    }
    table
}

/// Whether byte `b` may start a char of `class` (always true for non-ASCII bytes).
fn may_be(b: u8, class: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & class != 0
}

/// Whether a text may hold chars that most short texts lack; false means that it holds none.
#[derive(Debug, Clone, Copy)]
struct Rare {
    /// Line breaks (`line_breaks(c, None) > 0`).
    breaks: bool,
    /// Quote marks and brackets (`is_opener(c) || is_closer(c)`).
    marks: bool,
}

/// A quick look at the bytes of `text` for [`Rare`]: each of those chars is ASCII or starts
/// with the byte 0xC2 or 0xE2 (U+0085, U+2028, U+2029, `«`, `»`, `¿`, `¡`, U+2018–U+203A),
/// so a text without such a byte holds none of them.
fn rare_chars(text: &str) -> Rare {
    let mut rare = Rare {
        breaks: false,
        marks: false,
    };
    for chunk in text.as_bytes().chunks(64) {
        for &b in chunk {
            let lead = b == 0xC2 || b == 0xE2;
            rare.breaks |= lead | ascii_break(b);
            rare.marks |= lead | ascii_mark(b);
        }
        if rare.breaks && rare.marks {
            break;
        }
    }
    rare
}

/// Marks that may close a quote or bracket right after a terminator.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '“' | '”' | '"' | '«' | '»' | '‹' | '›' | '‘' | '’' | '\''
    )
}

/// Marks skipped before the first word of a sentence (and stripped from a token's start).
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '„'
            | '‚'
            | '“'
            | '”'
            | '"'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '‘'
            | '’'
            | '\''
            | '¿'
            | '¡'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–' | '—' | '―' | '•' | '·' | '*')
}

/// Number of line breaks `c` counts for (U+2029 and form feed count as a blank line).
fn line_breaks(c: char, next: Option<char>) -> usize {
    match c {
        '\n' | '\u{2028}' | '\u{85}' | '\u{0B}' => 1,
        '\r' => usize::from(next != Some('\n')),
        '\u{2029}' | '\u{0C}' => 2,
        _ => 0,
    }
}

/// Whether the left neighbour of a quote mark leaves it free to open.
fn left_open(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '„' | '‚' | '—' | '–' | '-' | '/' | '¿' | '¡'
                )
        }
    }
}

/// Whether the right neighbour of a quote mark leaves it free to close.
fn right_close(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || terminator(c).is_some()
                || is_closer(c)
                || matches!(c, ',' | ';' | ':' | '—' | '–' | '-')
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Neither,
}

/// Whether a quote mark or bracket opens, closes or is something else (an apostrophe…).
fn role(c: char, prev: Option<char>, next: Option<char>) -> Role {
    let lo = left_open(prev);
    let rc = right_close(next);
    match c {
        '(' | '[' | '{' => Role::Open,
        ')' | ']' | '}' => Role::Close,
        '„' | '‚' => {
            if next.is_some_and(|n| !n.is_whitespace()) {
                Role::Open
            } else {
                Role::Neither
            }
        }
        '«' | '‹' => {
            if lo && next.is_some() {
                Role::Open
            } else if rc {
                Role::Close
            } else {
                Role::Neither
            }
        }
        '»' | '›' => {
            if lo && !rc {
                Role::Open
            } else {
                Role::Close
            }
        }
        '“' | '‘' => {
            if lo && !rc {
                Role::Open
            } else if !lo {
                Role::Close
            } else {
                Role::Neither
            }
        }
        '”' => {
            if !lo {
                Role::Close
            } else if !rc {
                Role::Open
            } else {
                Role::Neither
            }
        }
        '"' => {
            if lo && !rc {
                Role::Open
            } else if !lo && rc {
                Role::Close
            } else {
                Role::Neither
            }
        }
        '\'' | '’' => {
            if prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
                Role::Neither
            } else if lo && !rc {
                if next.is_some_and(|n| n.is_ascii_digit()) {
                    Role::Neither
                } else {
                    Role::Open
                }
            } else if !lo && rc {
                Role::Close
            } else {
                Role::Neither
            }
        }
        _ => Role::Neither,
    }
}

/// The farthest (in bytes) a closing quote mark or bracket may stand from its opening
/// partner. A stray mark in a long block (a corpus with one sentence per line and no blank
/// lines is one block) would otherwise pair with a mark hundreds of lines away and keep every
/// sentence between them in one segment.
const MAX_PAIR_SPAN: usize = 4096;

/// Whether `close` can close a quote opened by `open`.
fn pairs(open: char, close: char) -> bool {
    match close {
        ')' => open == '(',
        ']' => open == '[',
        '}' => open == '{',
        '”' => matches!(open, '“' | '„' | '”' | '"'),
        '“' => matches!(open, '„' | '"' | '“'),
        '"' => matches!(open, '"' | '„' | '“' | '”'),
        '»' => matches!(open, '«' | '»'),
        '«' => matches!(open, '»' | '«'),
        '›' => matches!(open, '‹' | '›'),
        '‹' => matches!(open, '›' | '‹'),
        '‘' => matches!(open, '‚' | '‘' | '\''),
        '’' => matches!(open, '‘' | '‚' | '\'' | '’'),
        '\'' => matches!(open, '\'' | '‘' | '‚' | '’'),
        _ => false,
    }
}

/// What the word after a candidate starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NextKind {
    Lower,
    Upper,
    Digit,
    /// A letter of a script without case.
    Caseless,
    Other,
}

/// What the token before a single dot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DotToken {
    /// An inner dot of a multi-part abbreviation whose rest follows.
    Internal,
    /// A listed abbreviation, or an unlisted dotted acronym / single letter.
    Abbr(Class),
    /// A number of `digits` digits; `first` if it starts the sentence; `trigger` if the word
    /// before it is a German article or similar.
    Number {
        digits: usize,
        first: bool,
        trigger: bool,
    },
    /// Any other word.
    Plain,
}

/// State of one `split` call. Positions are byte offsets into `text`, always on char
/// boundaries; `lo..hi` is the paragraph being scanned.
struct Scanner<'s, 't> {
    seg: &'s Segmenter,
    table: &'s Table,
    ordinal_dots: bool,
    text: &'t str,
    /// What [`rare_chars`] says of `text`.
    rare: Rare,
    /// The scanner's buffers (see [`Scratch`]), lent by the caller for one text.
    buf: Scratch,
    /// Next event to apply while scanning forward.
    cursor: usize,
    /// Pair depth after the last applied event.
    depth: i32,
    /// Chars looked at by [`Scanner::at`] and [`Scanner::before`].
    looks: Cell<u64>,
}

impl<'t> Scanner<'_, 't> {
    /// The char at byte `i` (`'\0'` past the end).
    fn at(&self, i: usize) -> char {
        self.looks.set(self.looks.get() + 1);
        match self.text.as_bytes().get(i) {
            Some(&b) if b < 0x80 => char::from(b),
            Some(_) => self.text[i..].chars().next().unwrap_or('\0'),
            None => '\0',
        }
    }

    /// The char ending at byte `i` (`'\0'` at the start).
    fn before(&self, i: usize) -> char {
        self.looks.set(self.looks.get() + 1);
        match i.checked_sub(1).and_then(|j| self.text.as_bytes().get(j)) {
            Some(&b) if b < 0x80 => char::from(b),
            Some(_) => self.text[..i].chars().next_back().unwrap_or('\0'),
            None => '\0',
        }
    }

    /// Position after the char at `i`.
    fn after(&self, i: usize) -> usize {
        i + self.at(i).len_utf8()
    }

    /// Splits into paragraphs at blank lines and scans each.
    fn run(&mut self) {
        self.buf.bounds.clear();
        let n = self.text.len();
        if !self.rare.breaks {
            // No blank line without a line break.
            self.paragraph(0, n);
            return;
        }
        let bytes = self.text.as_bytes();
        let mut lo = 0;
        let mut i = 0;
        while i < n {
            if !may_be(bytes[i], SPACE) {
                i += 1;
                continue;
            }
            let c = self.at(i);
            if !c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            let mut e = i;
            let mut breaks = 0;
            while e < n {
                let c = self.at(e);
                if !c.is_whitespace() {
                    break;
                }
                let next = e + c.len_utf8();
                breaks += line_breaks(c, (next < n).then(|| self.at(next)));
                e = next;
            }
            if breaks >= 2 {
                self.paragraph(lo, i);
                self.buf.bounds.push(i);
                lo = e;
            }
            i = e;
        }
        self.paragraph(lo, n);
    }

    fn paragraph(&mut self, lo: usize, hi: usize) {
        if lo >= hi {
            return;
        }
        self.pair_quotes(lo, hi);
        self.scan(lo, hi);
    }

    /// Pairs the quote marks and brackets of `lo..hi` into `events` and `closes`.
    fn pair_quotes(&mut self, lo: usize, hi: usize) {
        self.buf.stack.clear();
        self.buf.events.clear();
        self.buf.closes.clear();
        self.cursor = 0;
        self.depth = 0;
        if !self.rare.marks {
            return;
        }
        let bytes = self.text.as_bytes();
        let mut i = lo;
        while i < hi {
            if !may_be(bytes[i], MARK) {
                i += 1;
                continue;
            }
            let c = self.at(i);
            let next_i = i + c.len_utf8();
            if (is_opener(c) || is_closer(c)) && !matches!(c, '¿' | '¡') {
                let prev = (i > lo).then(|| self.before(i));
                let next = (next_i < hi).then(|| self.at(next_i));
                match role(c, prev, next) {
                    Role::Open => {
                        // Bound the stack so that stray marks cannot make pairing slow.
                        if self.buf.stack.len() >= 64 {
                            self.buf.stack.remove(0);
                        }
                        self.buf.stack.push((i, c));
                    }
                    Role::Close => {
                        // Marks too far back can no longer pair (see `MAX_PAIR_SPAN`).
                        let stale = self
                            .buf
                            .stack
                            .iter()
                            .take_while(|&&(p, _)| i - p > MAX_PAIR_SPAN)
                            .count();
                        self.buf.stack.drain(..stale);
                        if let Some(s) = self.buf.stack.iter().rposition(|&(_, o)| pairs(o, c)) {
                            let open = self.buf.stack[s].0;
                            self.buf.stack.truncate(s);
                            self.buf.events.push((open, 1));
                            self.buf.events.push((i, -1));
                            self.buf.closes.push(i);
                        }
                    }
                    Role::Neither => {}
                }
            }
            i = next_i;
        }
        self.buf.events.sort_unstable();
    }

    /// Pair depth after the char at `p`; `p` must not decrease between calls.
    fn depth_after(&mut self, p: usize) -> i32 {
        while let Some(&(pos, delta)) = self.buf.events.get(self.cursor) {
            if pos > p {
                break;
            }
            self.depth += delta;
            self.cursor += 1;
        }
        self.depth
    }

    /// Consumes closing marks from `k`, including paired closers after inner spaces
    /// (French `« … »`). Returns the position after them.
    fn consume_closers(&self, mut k: usize, hi: usize) -> usize {
        loop {
            while k < hi && is_closer(self.at(k)) {
                k = self.after(k);
            }
            let mut t = k;
            while t < hi {
                let c = self.at(t);
                if !c.is_whitespace() || line_breaks(c, None) > 0 {
                    break;
                }
                t += c.len_utf8();
            }
            if t > k && t < hi && self.buf.closes.binary_search(&t).is_ok() {
                k = self.after(t);
            } else {
                return k;
            }
        }
    }

    fn scan(&mut self, lo: usize, hi: usize) {
        let mut seg_start = lo;
        let bytes = self.text.as_bytes();
        let mut i = lo;
        while i < hi {
            if !may_be(bytes[i], TERM) {
                i += 1;
                continue;
            }
            let c = self.at(i);
            let Some(first) = terminator(c) else {
                i += c.len_utf8();
                continue;
            };
            // The run of terminators and closers.
            let mut k = i;
            let mut strong = false;
            let mut wide = false;
            let mut first_len = 0;
            let mut in_first = true;
            loop {
                while k < hi {
                    let c = self.at(k);
                    let Some(t) = terminator(c) else {
                        break;
                    };
                    strong |= matches!(t, Term::Strong | Term::Wide);
                    wide |= t == Term::Wide;
                    if in_first {
                        first_len += 1;
                    }
                    k += c.len_utf8();
                }
                in_first = false;
                let end = k;
                k = self.consume_closers(k, hi);
                if !(k > end && k < hi && terminator(self.at(k)).is_some()) {
                    break;
                }
            }
            if k >= hi {
                break;
            }
            if !self.at(k).is_whitespace() && !wide {
                i = k;
                continue;
            }
            let mut m = k;
            let mut line_break = false;
            while m < hi {
                let c = self.at(m);
                if !c.is_whitespace() {
                    break;
                }
                line_break |= line_breaks(c, None) > 0;
                m += c.len_utf8();
            }
            if m >= hi {
                break;
            }
            let last = k - self.before(k).len_utf8();
            if self.depth_after(last) > 0 {
                i = k;
                continue;
            }
            let (next, word) = self.next_word(m, hi);
            let split = if strong {
                line_break || next != NextKind::Lower
            } else if first == Term::Dot && first_len == 1 {
                self.dot_decision(i, k, m, lo, seg_start, line_break, next, word)
            } else {
                // Ellipsis; `[…]` and `(…)` mark omissions.
                let omission = i > lo && matches!(self.before(i), '[' | '(');
                !omission && matches!(next, NextKind::Upper | NextKind::Caseless)
            };
            if split {
                self.buf.bounds.push(k);
                seg_start = m;
            }
            i = k;
        }
    }

    /// Classifies the word starting at `m` (after opening marks and dashes) and returns it.
    fn next_word(&self, m: usize, hi: usize) -> (NextKind, &'t str) {
        let mut w = m;
        let mut after_mark = false;
        let mut steps = 0;
        while w < hi && steps < 8 {
            let c = self.at(w);
            if is_opener(c) || is_dash(c) {
                after_mark = true;
            } else if !(after_mark && c.is_whitespace()) {
                break;
            }
            w += c.len_utf8();
            steps += 1;
        }
        if w >= hi {
            return (NextKind::Other, "");
        }
        let c = self.at(w);
        let kind = if c.is_lowercase() {
            NextKind::Lower
        } else if c.is_uppercase() {
            NextKind::Upper
        } else if c.is_numeric() {
            NextKind::Digit
        } else if c.is_alphabetic() {
            NextKind::Caseless
        } else {
            NextKind::Other
        };
        let rest = &self.text[w..hi];
        let len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        (kind, &rest[..len])
    }

    /// Decides whether a single dot at `i` (run ending at `k`, next word at `m`) ends a
    /// sentence.
    #[allow(clippy::too_many_arguments)]
    fn dot_decision(
        &mut self,
        i: usize,
        k: usize,
        m: usize,
        lo: usize,
        seg_start: usize,
        line_break: bool,
        next: NextKind,
        word: &str,
    ) -> bool {
        match self.dot_token(i, k, m, lo, seg_start) {
            DotToken::Internal
            | DotToken::Abbr(Class::NeverFinal)
            | DotToken::Abbr(Class::AfterNumber) => false,
            DotToken::Abbr(Class::Attributive) => {
                next == NextKind::Upper && self.seg.starters.contains(word)
            }
            DotToken::Abbr(Class::Ordinary) => {
                matches!(next, NextKind::Upper | NextKind::Caseless)
            }
            DotToken::Number {
                digits,
                first,
                trigger,
            } => {
                let ordinal = digits <= 3
                    && (first
                        || (self.ordinal_dots
                            && match next {
                                NextKind::Upper => trigger || self.seg.months.contains(word),
                                NextKind::Digit => digits <= 2,
                                _ => false,
                            }));
                !ordinal && (line_break || next != NextKind::Lower)
            }
            DotToken::Plain => line_break || next != NextKind::Lower,
        }
    }

    /// Splits `a..b` at dots into `self.buf.parts`; false if a part is empty.
    fn push_parts(&mut self, a: usize, b: usize) -> bool {
        let mut s = a;
        for (off, byte) in self.text.as_bytes()[a..b].iter().enumerate() {
            if *byte == b'.' {
                let j = a + off;
                if j == s {
                    return false;
                }
                self.buf.parts.push((s, j));
                s = j + 1;
            }
        }
        if s == b {
            return false;
        }
        self.buf.parts.push((s, b));
        true
    }

    /// Start of the whitespace-delimited token that ends at `i` (not before `lo`).
    fn token_start(&self, i: usize, lo: usize) -> usize {
        let mut j = i;
        while j > lo {
            let c = self.before(j);
            if c.is_whitespace() {
                break;
            }
            j -= c.len_utf8();
        }
        j
    }

    /// Skips opening marks from `a` up to `b`.
    fn skip_openers(&self, mut a: usize, b: usize) -> usize {
        while a < b && is_opener(self.at(a)) {
            a = self.after(a);
        }
        a
    }

    /// Puts the parts `from..` of `self.buf.parts`, joined with dots, into `self.buf.key`, and a
    /// copy with the first letter lowercased into `self.buf.key2` (empty if nothing changes).
    fn build_keys(&mut self, from: usize) {
        self.buf.key.clear();
        for (n, &(s, e)) in self.buf.parts[from..].iter().enumerate() {
            if n > 0 {
                self.buf.key.push('.');
            }
            self.buf.key.push_str(&self.text[s..e]);
        }
        self.buf.key2.clear();
        let mut it = self.buf.key.chars();
        if let Some(c) = it.next() {
            if c.is_uppercase() {
                self.buf.key2.extend(c.to_lowercase());
                self.buf.key2.push_str(it.as_str());
            }
        }
    }

    /// Whether the text at `m` is `part` followed by a dot.
    fn continues_with(&self, m: usize, part: &str) -> bool {
        self.text[m..].starts_with(part) && self.text.as_bytes().get(m + part.len()) == Some(&b'.')
    }

    fn dot_token(&mut self, i: usize, k: usize, m: usize, lo: usize, seg_start: usize) -> DotToken {
        let j = self.token_start(i, lo);
        let a = self.skip_openers(j, i);
        if a == i || is_closer(self.before(i)) {
            return DotToken::Plain;
        }

        // Gather this token and up to two tokens before it, each a dotted token ("z. B",
        // "i. d. R") or a short word ("ad es", "и др"), separated by one space.
        let mut ranges = [(a, i); 3];
        let mut count = 1;
        let (mut cur_start, mut cur_a) = (j, a);
        while count < 3 && cur_a == cur_start && cur_start > lo {
            let gap = self.before(cur_start);
            if !gap.is_whitespace() || line_breaks(gap, None) > 0 {
                break;
            }
            let gap_pos = cur_start - gap.len_utf8();
            if gap_pos <= lo {
                break;
            }
            let dotted = self.before(gap_pos) == '.';
            let end = if dotted { gap_pos - 1 } else { gap_pos };
            let s = self.token_start(end, lo);
            let pa = self.skip_openers(s, end);
            let piece = &self.text[pa..end];
            let limit = if dotted { 8 } else { 4 };
            if piece.is_empty()
                || piece.chars().count() > limit
                || (!dotted && !piece.chars().all(char::is_alphabetic))
            {
                break;
            }
            ranges[count] = (pa, end);
            count += 1;
            cur_start = s;
            cur_a = pa;
        }
        self.buf.parts.clear();
        self.buf.tokens.clear();
        let mut usable = count;
        for t in (0..count).rev() {
            let (ra, rb) = ranges[t];
            let mark = self.buf.parts.len();
            if !self.push_parts(ra, rb) {
                if t == 0 {
                    return DotToken::Plain;
                }
                // A malformed earlier token: drop it and everything before it.
                self.buf.parts.clear();
                self.buf.tokens.clear();
                usable = t;
                continue;
            }
            if t < usable {
                self.buf.tokens.push(mark);
            }
        }
        let own_first = self.buf.tokens.last().copied().unwrap_or(0);

        // Inner dot of a multi-part abbreviation whose next part follows.
        if k == i + 1 {
            for ti in 0..self.buf.tokens.len() {
                self.build_keys(self.buf.tokens[ti]);
                let table = self.table;
                for key in [&self.buf.key, &self.buf.key2] {
                    // No table has an empty key (`key2` is empty when it would equal `key`).
                    if key.is_empty() {
                        continue;
                    }
                    if let Some(next) = table.prefixes.get(key.as_str()) {
                        if next.iter().any(|p| self.continues_with(m, p)) {
                            return DotToken::Internal;
                        }
                    }
                }
            }
        }
        // A listed abbreviation, longest first.
        for ti in 0..self.buf.tokens.len() {
            self.build_keys(self.buf.tokens[ti]);
            let table = self.table;
            let found = table.full.get(self.buf.key.as_str()).or_else(|| {
                if self.buf.key2.is_empty() {
                    None
                } else {
                    table.full.get(self.buf.key2.as_str())
                }
            });
            if let Some(&class) = found {
                let start = self.buf.parts[self.buf.tokens[ti]].0;
                return DotToken::Abbr(self.resolve(class, start, lo));
            }
        }

        // The own token alone.
        let text = self.text;
        let own = &self.buf.parts[own_first..];
        if own.len() >= 2 {
            let acronym = own.iter().all(|&(s, e)| {
                let p = &text[s..e];
                p.chars().count() <= 3 && p.chars().all(char::is_alphabetic)
            });
            if !acronym {
                return DotToken::Plain;
            }
            let caps = own
                .iter()
                .all(|&(s, e)| text[s..e].chars().next().is_some_and(char::is_uppercase));
            return DotToken::Abbr(if caps {
                Class::Attributive
            } else {
                Class::Ordinary
            });
        }
        let Some(&(ws, we)) = own.first() else {
            return DotToken::Plain;
        };
        let word = &text[ws..we];
        let suffix = self.table.suffixes.iter().find(|(end, _)| {
            word.len() > end.len()
                && word.ends_with(end.as_str())
                && word[..word.len() - end.len()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic)
        });
        if let Some(&(_, class)) = suffix {
            return DotToken::Abbr(self.resolve(class, ws, lo));
        }
        let mut it = word.chars();
        if let (Some(c), None) = (it.next(), it.next()) {
            if c.is_alphabetic() {
                return DotToken::Abbr(if c.is_uppercase() {
                    Class::NeverFinal
                } else {
                    Class::Ordinary
                });
            }
        }
        if word.bytes().all(|b| b.is_ascii_digit()) {
            let first = self.text[seg_start.min(j)..j]
                .chars()
                .all(|c| c.is_whitespace() || is_opener(c) || is_dash(c));
            let trigger = self.ordinal_dots && self.trigger_before(j, lo);
            return DotToken::Number {
                digits: word.len(),
                first,
                trigger,
            };
        }
        DotToken::Plain
    }

    /// Turns [`Class::AfterNumber`] into the class it has for the token starting at `start`:
    /// ordinary if the token before it starts with a digit, never-final otherwise.
    fn resolve(&self, class: Class, start: usize, lo: usize) -> Class {
        if class != Class::AfterNumber {
            return class;
        }
        let mut e = start;
        while e > lo && is_opener(self.before(e)) {
            e -= self.before(e).len_utf8();
        }
        if e == lo || !self.before(e).is_whitespace() {
            return Class::NeverFinal;
        }
        while e > lo && self.before(e).is_whitespace() {
            e -= self.before(e).len_utf8();
        }
        let s = self.token_start(e, lo);
        if s < e && self.at(s).is_ascii_digit() {
            Class::Ordinary
        } else {
            Class::NeverFinal
        }
    }

    /// Whether the word before `j` (not before `lo`) is an ordinal trigger.
    fn trigger_before(&mut self, j: usize, lo: usize) -> bool {
        let mut e = j;
        while e > lo && self.before(e).is_whitespace() {
            e -= self.before(e).len_utf8();
        }
        let mut s = e;
        while s > lo && self.before(s).is_alphabetic() {
            s -= self.before(s).len_utf8();
        }
        if s == e || (s > lo && !self.before(s).is_whitespace() && !is_opener(self.before(s))) {
            return false;
        }
        self.buf.key.clear();
        for c in self.text[s..e].chars() {
            self.buf.key.extend(c.to_lowercase());
        }
        self.seg.triggers.contains(self.buf.key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Option<Lang> {
        Some(Lang::from_code(code).expect("known code"))
    }

    #[test]
    fn document_spans_are_the_spans_of_segment_document() {
        use crate::doc::{Detection, DetectionSource, Format};
        let text = "# Gipfel in Duschanbe\n\nDr. Müller sagte am 28. Juni: „Wir bleiben.“ Dann ging er.\n\n\
                    ```\ncode. Not split.\n```\n\n- Punkt eins. Punkt zwei!\n- U.S. officials met at 7:09 p.m. on Monday. Talks went on\n  over two lines. (Really?) Yes.\n\n\
                    Ein Satz… noch einer. 3.5% mehr als 2021. Ende";
        for code in ["", "de", "en", "fr"] {
            let lang = if code.is_empty() { None } else { lang(code) };
            let mut doc = crate::doc::parse(Format::Markdown, "t.md", text).expect("parses");
            let seg = Segmenter::default();
            let spans = seg.document_spans(&doc, lang);
            doc.lang = lang.map(|lang| Detection {
                lang,
                confidence: 1.0,
                source: DetectionSource::Given,
            });
            seg.segment_document(&mut doc);
            let mut total = 0;
            for (i, b) in doc.blocks.iter().enumerate() {
                let expected: Vec<Range<usize>> =
                    b.segments.iter().map(|s| s.span.clone()).collect();
                assert_eq!(spans.block(i), expected.as_slice(), "block {i} ({code})");
                total += expected.len();
            }
            assert!(total > 8, "{total} segments");
            assert_eq!(spans.len(), total);
            assert!(spans.block(doc.blocks.len()).is_empty());
            // The tables of runs of blocks, joined, are the document's table.
            let n = doc.blocks.len();
            for cuts in [
                vec![0, n],
                vec![0, 1, n],
                vec![0, 2, 2, 3, n],
                vec![0, n, n],
            ] {
                let parts = cuts
                    .windows(2)
                    .map(|w| seg.blocks_spans(&doc.blocks[w[0]..w[1]], lang))
                    .collect();
                let joined = DocumentSpans::concat(parts);
                assert_eq!(joined.len(), total, "{cuts:?}");
                for i in 0..=n {
                    assert_eq!(joined.block(i), spans.block(i), "block {i} of {cuts:?}");
                }
            }
        }
        assert!(DocumentSpans::concat(Vec::new()).is_empty());
    }

    fn sents(text: &str, code: &str) -> Vec<String> {
        let l = if code.is_empty() { None } else { lang(code) };
        Segmenter::default()
            .sentences(text, l)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn segment_lines_count_the_breaks_before_each_segment() {
        use crate::doc::{Block, BlockKind};
        let text = "Erster Satz.\nZweiter Satz. Dritter\nSatz.\n\nVierter Satz.";
        let mut block = Block::new(BlockKind::Paragraph, text, 7);
        for span in Segmenter::default().split(text, lang("de")) {
            block.segments.push(Segment::new(0, text, span));
        }
        let got: Vec<usize> = segment_lines(&block).collect();
        let naive: Vec<usize> = block
            .segments
            .iter()
            .map(|s| 7 + text[..s.span.start].matches('\n').count())
            .collect();
        assert_eq!(got, naive);
        assert_eq!(got, vec![7, 8, 8, 11]);
        // Out of order (not the segmenter's doing): still right.
        block.segments.reverse();
        let got: Vec<usize> = segment_lines(&block).collect();
        assert_eq!(got, vec![11, 8, 8, 7]);
    }

    #[test]
    fn quotes_pair_only_within_reach() {
        let s = Segmenter::default();
        // Near: the quotation holds its sentences together.
        let near = "«Wir bleiben. Wir kämpfen.» Dann ging er.";
        assert_eq!(s.sentences(near, lang("de")).len(), 2);
        // Far: the marks are left unpaired and the sentences between them split.
        let body = "Das ist ein Satz. ".repeat(400);
        let far = format!("«{body}» Dann ging er.");
        assert!(far.len() > MAX_PAIR_SPAN);
        assert!(s.sentences(&far, lang("de")).len() > 300);
    }

    #[test]
    fn table_normalises_parts() {
        let mut t = Table::default();
        t.add("z. B", Class::NeverFinal);
        t.add("z.B.", Class::Ordinary);
        t.add("  i. d. R ", Class::NeverFinal);
        assert_eq!(t.full.get("z.B"), Some(&Class::NeverFinal));
        assert_eq!(t.full.len(), 2);
        assert_eq!(t.prefixes.get("z"), Some(&vec!["B".to_string()]));
        assert_eq!(t.prefixes.get("i.d"), Some(&vec!["R".to_string()]));
        t.add("...", Class::Ordinary);
        assert_eq!(t.full.len(), 2);
    }

    #[test]
    fn quote_roles() {
        assert_eq!(role('„', Some(' '), Some('W')), Role::Open);
        assert_eq!(role('“', Some('.'), Some(' ')), Role::Close);
        assert_eq!(role('“', Some(' '), Some('W')), Role::Open);
        assert_eq!(role('"', None, Some('W')), Role::Open);
        assert_eq!(role('"', Some('.'), None), Role::Close);
        assert_eq!(role('\'', Some('n'), Some('t')), Role::Neither);
        assert_eq!(role('’', Some('s'), Some(' ')), Role::Close);
        assert_eq!(role('\'', Some(' '), Some('9')), Role::Neither);
        assert_eq!(role('»', Some(' '), Some('H')), Role::Open);
        assert_eq!(role('«', Some('.'), Some(' ')), Role::Close);
        assert_eq!(role('«', Some(' '), Some('\u{a0}')), Role::Open);
        assert_eq!(role('»', Some('\u{a0}'), Some(' ')), Role::Close);
        assert!(pairs('„', '“') && pairs('„', '"') && pairs('«', '»') && pairs('»', '«'));
        assert!(!pairs('(', '»') && !pairs('«', ')'));
    }

    #[test]
    fn empty_and_blank() {
        let s = Segmenter::default();
        assert!(s.split("", None).is_empty());
        assert!(s.split(" \n\t \u{a0}", None).is_empty());
        assert_eq!(s.split("  Hallo  ", None), vec![2..7]);
        assert_eq!(sents(".", ""), vec!["."]);
        assert_eq!(sents("... ! ?", ""), vec!["... !", "?"]);
    }

    #[test]
    fn basic_splits() {
        assert_eq!(
            sents("Das ist gut. Das ist schlecht! Ist es? Ja.", "de"),
            vec!["Das ist gut.", "Das ist schlecht!", "Ist es?", "Ja."]
        );
        assert_eq!(
            sents("He left. then he came back.", "en"),
            vec!["He left. then he came back."]
        );
    }

    #[test]
    fn multi_part_abbreviations() {
        assert_eq!(
            sents("Er kam z. B. Montag. Dann ging er.", "de"),
            vec!["Er kam z. B. Montag.", "Dann ging er."]
        );
        assert_eq!(
            sents("Er kam z.B. Montag. Dann i. d. R. Dienstag.", "de"),
            vec!["Er kam z.B. Montag.", "Dann i. d. R. Dienstag."]
        );
        // Sentence-initial capital.
        assert_eq!(
            sents("Z. B. Berlin. Dann Hamburg.", "de"),
            vec!["Z. B. Berlin.", "Dann Hamburg."]
        );
    }

    #[test]
    fn config_abbreviations() {
        let mut config = SegmentConfig::default();
        config
            .abbreviations
            .insert("de".into(), vec!["Verf".into(), "s. Anh".into()]);
        config.abbreviations.insert("*".into(), vec!["Xy.".into()]);
        config.abbreviations.insert("xx".into(), vec!["Foo".into()]);
        assert!(config.validate().is_err());
        let s = Segmenter::new(&config);
        let text = "Das schrieb der Verf. Müller. Siehe s. Anh. Tabelle. Xy. Abc.";
        assert_eq!(
            s.sentences(text, lang("de")),
            vec![
                "Das schrieb der Verf. Müller.",
                "Siehe s. Anh. Tabelle.",
                "Xy. Abc."
            ]
        );
        // "*" applies to other languages too; "de" entries only to German (and None).
        assert_eq!(
            s.sentences("Hi Verf. Smith. Xy. Abc.", lang("en")),
            vec!["Hi Verf.", "Smith.", "Xy. Abc."]
        );
        assert_eq!(
            s.sentences("Hi Verf. Smith. Xy. Abc.", None),
            vec!["Hi Verf. Smith.", "Xy. Abc."]
        );
        // Unknown keys are ignored, not fatal.
        assert_eq!(s.sentences("Foo. Bar.", lang("de")), vec!["Foo.", "Bar."]);
    }

    #[test]
    fn unlisted_language_uses_union() {
        assert_eq!(
            sents("Dr. Jansen kwam. Hij ging.", "nl"),
            vec!["Dr. Jansen kwam.", "Hij ging."]
        );
    }

    #[test]
    fn wide_terminators_need_no_space() {
        assert_eq!(
            sents("今天很好。明天也好！真的吗？是的。", "zh"),
            vec!["今天很好。", "明天也好！", "真的吗？", "是的。"]
        );
    }

    #[test]
    fn unmatched_quote_does_not_block() {
        assert_eq!(
            sents("„Wir kommen. Bald. Dann gehen wir.", "de"),
            vec!["„Wir kommen.", "Bald.", "Dann gehen wir."]
        );
    }

    #[test]
    fn rare_chars_finds_every_rare_char() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            let rare = rare_chars(&text);
            assert!(rare.breaks || line_breaks(c, None) == 0, "{c:?}");
            assert!(rare.marks || !(is_opener(c) || is_closer(c)), "{c:?}");
        }
        let rare = rare_chars("Am 12. Juni soll in Wien über Москва 日本 beraten werden.");
        assert!(!rare.breaks && !rare.marks);
    }

    #[test]
    fn ascii_classes_match_char_classes() {
        for b in 0..0x80u8 {
            let c = char::from(b);
            assert_eq!(ascii_term(b), terminator(c).is_some(), "{c:?}");
            assert_eq!(ascii_space(b), c.is_whitespace(), "{c:?}");
            assert_eq!(ascii_break(b), line_breaks(c, None) > 0, "{c:?}");
            assert_eq!(ascii_mark(b), is_opener(c) || is_closer(c), "{c:?}");
            assert_eq!(may_be(b, TERM), ascii_term(b));
            assert_eq!(may_be(b, SPACE), ascii_space(b));
            assert_eq!(may_be(b, MARK), ascii_mark(b));
        }
        for b in 0x80..=0xFF {
            assert!(may_be(b, TERM) && may_be(b, SPACE) && may_be(b, MARK));
        }
    }

    /// Every line, every paragraph and the whole text of the files in `../shared/corpus/`
    /// (next to the repository); none, with a notice, if the directory is absent, unless
    /// `TARJUMAN_REQUIRE_SHARED=1`.
    fn shared_corpus() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                assert!(
                    std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"),
                    "{} is required: {e}",
                    dir.display()
                );
                eprintln!("skipping the shared corpus: {}: {e}", dir.display());
                return Vec::new();
            }
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.expect("readable corpus directory").path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        let mut texts = Vec::new();
        for path in paths {
            let bytes = std::fs::read(&path).expect("readable corpus file");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            texts.extend(text.split('\n').map(str::to_string));
            texts.extend(text.lines().map(str::to_string));
            texts.extend(text.split("\n\n").map(str::to_string));
            texts.push(text);
        }
        texts
    }

    /// Short units like those of PO files and the marks around sentence ends.
    const SHORT_UNITS: &[&str] = &[
        "The government announced aid worth 12,500 euros.",
        "Am 12. Juni soll in Wien über weitere Sanktionen beraten werden.",
        "Am 12. Juni.",
        "Bis zum 12.",
        "12.",
        "12. Juni",
        "1. FC Köln",
        "Seite 3. Dann",
        "in 2020. The",
        "12.500 Euro.",
        "3.5% growth.",
        "example.com is down.",
        "U.S.-led talks.",
        "v1.2.3 released!",
        "Hallo.Welt",
        "a.b. c",
        "Dr. Müller kommt.",
        "He met Dr. Smith",
        "U.S. officials said.",
        "U.S. President Joe Biden. The end.",
        "etc.",
        "usw. und so weiter.",
        "z. B.",
        "z. B. heute",
        "Hauptstr. 5",
        "Был в 1991 г. Тогда",
        "ул. Ленина",
        "„Wir kommen.“",
        "„Wer?“ fragte er.",
        "\"Yes.\" He left.",
        "\"Yes\".",
        "«Oui.» Il part.",
        "« Oui. » Il part.",
        "« Oui. »",
        "»Zitat.« Weiter",
        "‚Zitat.‘ Weiter",
        "'Quote.' Next",
        "O'Neil's dog.",
        "(Siehe oben.)",
        "(siehe oben).",
        "[…] und dann",
        "Er sagte (…) Dann",
        "Hello (world).",
        "Hello (world.)",
        "Hello [world]!",
        "(Reuters)",
        "(Reuters) - The",
        "[1]",
        "It ends here .",
        "It ends here . ",
        "Word . Next",
        "Word ? Next",
        "Word ?",
        "x .y",
        "x. y",
        "at 7:09 p.m .",
        "Update from June 28, 7:09 p.m .:",
        "7:09 p.m. Sunday",
        "Wait…",
        "Wait… What?",
        "Wait... What?",
        "Wait … what",
        "Really?!",
        "Really?! Yes.",
        "What?!\"",
        "What?!\" he asked.",
        "Why?Because",
        "Mr.",
        "Mr. ",
        ".",
        "...",
        "... ! ?",
        "?!",
        "!?",
        "…",
        "“.”",
        ").",
        " . ",
        "",
        "   ",
        "\n",
        "\n\n",
        "\u{2029}",
        "\u{2029}Text.\u{2029}",
        "\n\nText.\n\n",
        "Line one\nline two.",
        "Line one.\nLine two",
        "Line one.\nline two",
        "Para one\n\nPara two",
        "Para one\n \nPara two",
        "Line\r\nbreak.",
        "Line\rbreak",
        "Line\r\rbreak",
        "x\u{2028}y",
        "a\u{c}b",
        "a\u{b}b",
        "a\u{85}b",
        "今天很好。",
        "今天很好。明天",
        "Hi。 there",
        "Hi。there",
        "Что? Да.",
        "  leading and trailing  ",
        "\t Tab.\t",
        "\u{a0}Nbsp.\u{a0}",
        "\u{202f}Schmal.\u{202f}»",
        "Sí. ¿Qué?",
        "नमस्ते। ठीक है।",
        "Hi‼ There",
        "Hi؟ there",
    ];

    /// Pieces for random short units.
    const UNIT_PIECES: &[&str] = &[
        "Wort",
        "word",
        "The",
        "Am",
        "im",
        "12",
        "12.",
        "12,500",
        "1991",
        "Juni",
        "euros",
        "Dr.",
        "z. B.",
        "U.S.",
        "p.m",
        "p.m.",
        "etc.",
        "г.",
        "Москва",
        "3.5%",
        ".",
        " .",
        "…",
        "...",
        "?",
        "!",
        "?!",
        "。",
        "„",
        "“",
        "\"",
        "«",
        "»",
        "'",
        "’",
        "(",
        ")",
        "[",
        "]",
        "[…]",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\u{a0}",
        "\u{2028}",
        "\u{2029}",
        "—",
        "¿",
        "A",
        "b",
        "x.",
        "日本",
        "🙂",
    ];

    /// The fast path and the full scanner give the same spans on every input, for every
    /// language, and `split` and `segment_document` agree with the full scanner.
    #[test]
    fn fast_path_matches_full_scanner() {
        let mut texts: Vec<String> = SHORT_UNITS.iter().map(|t| t.to_string()).collect();
        texts.extend(shared_corpus());
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..6000 {
            let len = 1 + rng.next() % 10;
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(rng.pick(UNIT_PIECES));
                if rng.next() % 2 == 0 {
                    text.push(' ');
                }
            }
            texts.push(text);
        }
        let mut config = SegmentConfig::default();
        config
            .abbreviations
            .insert("*".into(), vec!["Wort".into(), "-ort".into()]);
        let segmenters = [Segmenter::default(), Segmenter::new(&config)];
        let langs = [
            None,
            lang("de"),
            lang("en"),
            lang("fr"),
            lang("es"),
            lang("it"),
            lang("ru"),
            lang("zh"),
            lang("nl"),
        ];
        let mut scratch = Scratch::default();
        let mut fast = 0;
        for text in &texts {
            let single = single_span(text);
            fast += usize::from(single.is_some());
            for s in &segmenters {
                for &l in &langs {
                    let mut full = Vec::new();
                    s.split_full(text, s.rules(l), &mut scratch, &mut full);
                    if let Some(span) = &single {
                        let expected: Vec<_> = Some(span.clone())
                            .filter(|r| !r.is_empty())
                            .into_iter()
                            .collect();
                        assert_eq!(full, expected, "fast path on {text:?}, {l:?}");
                    }
                    assert_eq!(s.split(text, l), full, "split on {text:?}, {l:?}");
                }
            }
        }
        assert!(fast > texts.len() / 4, "fast path taken {fast} times");
        for text in [
            "The government announced aid worth 12,500 euros.",
            "Die Regierung kündigte Hilfen über 12.500 Euro an.",
            "„Wir kommen“, sagte sie.",
            "Is this the end?!\"",
            "  Er kam um 10.30 Uhr … ",
            "Save",
        ] {
            assert!(single_span(text).is_some(), "no fast path for {text:?}");
        }

        // Whole documents, with the buffers reused from block to block.
        for s in &segmenters {
            for &l in &langs {
                let mut doc = Document::new(crate::doc::Format::Text, "test");
                doc.lang = l.map(|lang| crate::doc::Detection {
                    lang,
                    confidence: 1.0,
                    source: crate::doc::DetectionSource::Given,
                });
                for (n, text) in texts.iter().enumerate() {
                    doc.blocks.push(crate::doc::Block::new(
                        crate::doc::BlockKind::Paragraph,
                        text.clone(),
                        n,
                    ));
                }
                s.segment_document(&mut doc);
                let mut id = 0;
                for block in &doc.blocks {
                    let spans: Vec<_> = block.segments.iter().map(|g| g.span.clone()).collect();
                    assert_eq!(spans, s.split(&block.text, l), "{:?}", block.text);
                    for g in &block.segments {
                        assert_eq!(g.text, block.text[g.span.clone()]);
                        assert_eq!(g.id, id);
                        id += 1;
                    }
                }
            }
        }
    }

    /// A tiny deterministic generator (xorshift) for the coverage property.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            let n = u64::try_from(items.len()).unwrap_or(1);
            items[usize::try_from(self.next() % n).unwrap_or(0)]
        }
    }

    fn check_invariants(s: &Segmenter, text: &str, l: Option<Lang>) {
        let spans = s.split(text, l);
        let mut last = 0;
        for r in &spans {
            assert!(r.start < r.end, "empty span {r:?} in {text:?}");
            assert!(r.start >= last, "overlap/order {spans:?} in {text:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let piece = &text[r.clone()];
            assert_eq!(piece, piece.trim(), "untrimmed span in {text:?}");
            assert!(
                text[last..r.start].trim().is_empty(),
                "dropped text before {r:?} in {text:?}"
            );
            last = r.end;
        }
        assert!(text[last..].trim().is_empty(), "dropped tail in {text:?}");
    }

    #[test]
    fn spans_cover_all_text() {
        let pieces = [
            "Wort",
            "word",
            "Dr.",
            "z. B.",
            "U.S.",
            "etc.",
            "usw.",
            "3.5%",
            "3,5",
            "28.",
            "Juni",
            "1.",
            "…",
            "...",
            ".",
            "?",
            "!",
            "?!",
            "„",
            "“",
            "\"",
            "«",
            "»",
            "‚",
            "‘",
            "’",
            "'",
            "(",
            ")",
            "[…]",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\r\n",
            "\u{a0}",
            "\u{202f}",
            "\t",
            "é",
            "Ä",
            "ß",
            "т. е.",
            "г.",
            "Москва",
            "EE. UU.",
            "p. ej.",
            "M.",
            "J.",
            "—",
            "¿",
            "¡",
            "。",
            "日本",
            "🙂",
            "a.m.",
            "7:09",
            "Nr.",
            "i. d. R.",
            "\u{2029}",
            "A",
            "b",
            "x.",
        ];
        let langs = [
            None,
            lang("de"),
            lang("en"),
            lang("fr"),
            lang("ru"),
            lang("zh"),
        ];
        let s = Segmenter::default();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..4000 {
            let len = 1 + rng.next() % 40;
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(rng.pick(&pieces));
                if rng.next() % 3 == 0 {
                    text.push(' ');
                }
            }
            check_invariants(&s, &text, langs[round % langs.len()]);
        }
    }
}
