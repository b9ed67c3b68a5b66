//! Numbers, dates, times, percentages and amounts: extraction with the conventions of the
//! text's language, and comparison of a source with its translation.
//!
//! `1.500,5` in German and `1,500.5` in English are the same value; `28. Juni` and `June 28`
//! both give the day 28 and the month 6 (a month name counts only next to a number, so
//! "im Juni" / "in June" are words, not dates); `19:09 Uhr` and `7:09 p.m.` are the same
//! time; `29.06.2022` gives 29, 6 and 2022. Small numbers written as words ("three",
//! "drei") satisfy a digit on the other side, but are never reported themselves.

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::OnceLock;

use crate::lang::Lang;

use super::units;
use super::Severity;

/// A value found in text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number (also a day, a year, a month given by its name).
    Number(f64),
    /// A time of day in minutes after midnight; `ambiguous` when it had no a.m./p.m. and
    /// could be twelve hours later.
    Time {
        /// Minutes after midnight.
        minutes: u32,
        /// Whether `minutes + 720` is the same reading.
        ambiguous: bool,
    },
}

impl Value {
    /// A normalised string for the value.
    pub fn key(&self) -> String {
        match *self {
            Value::Number(x) => format_number(x),
            Value::Time { minutes, .. } => format!("{}:{:02}", (minutes / 60) % 12, minutes % 60),
        }
    }

    fn matches(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::Number(a), Value::Number(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            (
                Value::Time {
                    minutes: a,
                    ambiguous: aa,
                },
                Value::Time {
                    minutes: b,
                    ambiguous: ba,
                },
            ) => a == b || ((aa || ba) && (a % 720 == b % 720)),
            // A whole hour and the bare number of that hour (`19 Uhr` / `at 19`, `7 pm` / `7`).
            (Value::Time { minutes, .. }, Value::Number(x))
            | (Value::Number(x), Value::Time { minutes, .. }) => {
                minutes % 60 == 0
                    && x.fract() == 0.0
                    && (x as u32 == minutes / 60 || x as u32 == (minutes / 60) % 12)
            }
        }
    }
}

fn format_number(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// One value with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The value.
    pub value: Value,
    /// Byte range in the text.
    pub span: Range<usize>,
    /// Whether it was written as a word ("three"): such values only satisfy digits.
    pub soft: bool,
    /// Whether it is a month given by its name (`April`): a month name anywhere on the other
    /// side satisfies it.
    pub month: bool,
    /// Whether its decimal or thousands mark is the other convention's (`3,5` in English,
    /// `3.5` in German).
    pub foreign: bool,
}

/// A difference between the values of a source and a target.
#[derive(Debug, Clone, PartialEq)]
pub struct NumIssue {
    /// Byte range in the target text, if the problem is there.
    pub target_span: Option<Range<usize>>,
    /// The offending text.
    pub text: String,
    /// What is wrong.
    pub message: String,
    /// The value to use.
    pub suggestion: Option<String>,
    /// Error for missing or changed values, warning for values the source does not have.
    pub severity: Severity,
}

/// Whether `source` is a message to the translators rather than text: it names them
/// (`translator`, `TRANSLATORS:`) and a place in the program's source (`trust.c:`).
fn to_translators(source: &str) -> bool {
    // (`translator` in any ASCII case, found without a lowercased copy of the text.)
    source
        .as_bytes()
        .windows(10)
        .any(|w| w.eq_ignore_ascii_case(b"translator"))
        && source.split_whitespace().any(|w| {
            w.split_once(':').is_some_and(|(file, _)| {
                file.rsplit_once('.').is_some_and(|(stem, ext)| {
                    !stem.is_empty()
                        && matches!(ext, "c" | "h" | "cc" | "cpp" | "py" | "rs" | "js" | "vala")
                })
            })
        })
}

/// Whether `lang` writes decimals with a comma (and groups thousands with a dot or space).
fn decimal_comma(lang: Option<Lang>) -> Option<bool> {
    let code = lang?.code();
    Some(!matches!(
        code,
        "en" | "zh" | "ja" | "ko" | "he" | "th" | "hi" | "ar" | "fa" | "ur"
    ))
}

/// Month names: (lowercase name, month, whether the name is written in lowercase in its
/// language, so that a lowercase word next to a number counts as the month).
const MONTHS: [(&str, u8, bool); 103] = [
    ("january", 1, false),
    ("february", 2, false),
    ("march", 3, false),
    ("april", 4, false),
    ("may", 5, false),
    ("june", 6, false),
    ("july", 7, false),
    ("august", 8, false),
    ("september", 9, false),
    ("october", 10, false),
    ("november", 11, false),
    ("december", 12, false),
    ("januar", 1, false),
    ("jänner", 1, false),
    ("februar", 2, false),
    ("märz", 3, false),
    ("mai", 5, false),
    ("juni", 6, false),
    ("juli", 7, false),
    ("oktober", 10, false),
    ("dezember", 12, false),
    ("jan", 1, false),
    ("feb", 2, false),
    ("mar", 3, false),
    ("apr", 4, false),
    ("jun", 6, false),
    ("jul", 7, false),
    ("aug", 8, false),
    ("sep", 9, false),
    ("sept", 9, false),
    ("oct", 10, false),
    ("okt", 10, false),
    ("nov", 11, false),
    ("dec", 12, false),
    ("dez", 12, false),
    ("enero", 1, true),
    ("febrero", 2, true),
    ("marzo", 3, true),
    ("abril", 4, true),
    ("mayo", 5, true),
    ("junio", 6, true),
    ("julio", 7, true),
    ("agosto", 8, true),
    ("septiembre", 9, true),
    ("octubre", 10, true),
    ("noviembre", 11, true),
    ("diciembre", 12, true),
    ("janvier", 1, true),
    ("février", 2, true),
    ("mars", 3, true),
    ("avril", 4, true),
    ("mai", 5, true),
    ("juin", 6, true),
    ("juillet", 7, true),
    ("août", 8, true),
    ("septembre", 9, true),
    ("octobre", 10, true),
    ("novembre", 11, true),
    ("décembre", 12, true),
    ("gennaio", 1, true),
    ("febbraio", 2, true),
    ("aprile", 4, true),
    ("maggio", 5, true),
    ("giugno", 6, true),
    ("luglio", 7, true),
    ("settembre", 9, true),
    ("ottobre", 10, true),
    ("dicembre", 12, true),
    ("janeiro", 1, true),
    ("fevereiro", 2, true),
    ("março", 3, true),
    ("maio", 5, true),
    ("junho", 6, true),
    ("julho", 7, true),
    ("setembro", 9, true),
    ("outubro", 10, true),
    ("novembro", 11, true),
    ("dezembro", 12, true),
    ("января", 1, true),
    ("февраля", 2, true),
    ("марта", 3, true),
    ("апреля", 4, true),
    ("мая", 5, true),
    ("июня", 6, true),
    ("июля", 7, true),
    ("августа", 8, true),
    ("сентября", 9, true),
    ("октября", 10, true),
    ("ноября", 11, true),
    ("декабря", 12, true),
    ("январь", 1, true),
    ("февраль", 2, true),
    ("март", 3, true),
    ("апрель", 4, true),
    ("май", 5, true),
    ("июнь", 6, true),
    ("июль", 7, true),
    ("август", 8, true),
    ("сентябрь", 9, true),
    ("октябрь", 10, true),
    ("ноябрь", 11, true),
    ("декабрь", 12, true),
    ("setiembre", 9, true),
];

/// Numbers written as words (English, German, French, Spanish, Portuguese, Russian): two to
/// twenty, the tens and a hundred, zero (`zero`, `null`, `cero`, `zéro`), English `both`
/// (two), and one as English `one` and German `eins` (in the others it is also the
/// article: `un`, `uno`, `um`, `ein`). Left out are the words that are also common words
/// of another of the languages (French `seize`, `cent`).
const NUMBER_WORDS: &[(&str, u8)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("both", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("null", 0),
    ("eins", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
    ("zehn", 10),
    ("elf", 11),
    ("zwölf", 12),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("cero", 0),
    ("zéro", 0),
    ("dois", 2),
    ("duas", 2),
    ("três", 3),
    ("quatro", 4),
    ("sete", 7),
    ("oito", 8),
    ("nove", 9),
    ("dez", 10),
    ("onze", 11),
    ("doze", 12),
    ("два", 2),
    ("две", 2),
    ("двух", 2),
    ("три", 3),
    ("трёх", 3),
    ("трех", 3),
    ("четыре", 4),
    ("четырёх", 4),
    ("пять", 5),
    ("пяти", 5),
    ("шесть", 6),
    ("семь", 7),
    ("восемь", 8),
    ("девять", 9),
    ("десять", 10),
    ("одиннадцать", 11),
    ("двенадцать", 12),
    ("twee", 2),
    ("drie", 3),
    ("vijf", 5),
    ("zes", 6),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("twice", 2),
    ("thrice", 3),
    ("dreizehn", 13),
    ("vierzehn", 14),
    ("fünfzehn", 15),
    ("sechzehn", 16),
    ("siebzehn", 17),
    ("achtzehn", 18),
    ("neunzehn", 19),
    ("zwanzig", 20),
    ("dreißig", 30),
    ("vierzig", 40),
    ("fünfzig", 50),
    ("sechzig", 60),
    ("siebzig", 70),
    ("achtzig", 80),
    ("neunzig", 90),
    ("hundert", 100),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("vingt", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
    ("trece", 13),
    ("catorce", 14),
    ("quince", 15),
    ("dieciséis", 16),
    ("diecisiete", 17),
    ("dieciocho", 18),
    ("diecinueve", 19),
    ("veinte", 20),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
    ("sesenta", 60),
    ("setenta", 70),
    ("ochenta", 80),
    ("noventa", 90),
    ("cien", 100),
    ("treze", 13),
    ("quatorze", 14),
    ("dezesseis", 16),
    ("dezessete", 17),
    ("dezoito", 18),
    ("dezenove", 19),
    ("vinte", 20),
    ("trinta", 30),
    ("quarenta", 40),
    ("cinquenta", 50),
    ("sessenta", 60),
    ("oitenta", 80),
    ("тринадцать", 13),
    ("четырнадцать", 14),
    ("пятнадцать", 15),
    ("шестнадцать", 16),
    ("семнадцать", 17),
    ("восемнадцать", 18),
    ("девятнадцать", 19),
    ("двадцать", 20),
    ("тридцать", 30),
    ("сорок", 40),
    ("пятьдесят", 50),
    ("шестьдесят", 60),
    ("семьдесят", 70),
    ("восемьдесят", 80),
    ("девяносто", 90),
    ("сто", 100),
];

/// A half, as in `half a million` / `eine halbe Million` (500,000 with the scale word).
const HALVES: [&str; 3] = ["half", "halbe", "halben"];

/// Ordinal numbers from first to twelfth by their stems, the words that begin with them
/// (`fünfte`, `fünften`, `troisième`, `tercera`, `пятого`): a stem and at most four more
/// letters.
const ORDINAL_STEMS: [(&str, u8); 65] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("erst", 1),
    ("zweit", 2),
    ("dritt", 3),
    ("viert", 4),
    ("fünft", 5),
    ("sechst", 6),
    ("siebt", 7),
    ("zwölft", 12),
    ("premi", 1),
    ("deuxi", 2),
    ("troisi", 3),
    ("quatri", 4),
    ("cinqui", 5),
    ("sixi", 6),
    ("septi", 7),
    ("huiti", 8),
    ("neuvi", 9),
    ("dixi", 10),
    ("primer", 1),
    ("segund", 2),
    ("tercer", 3),
    ("cuart", 4),
    ("quint", 5),
    ("sext", 6),
    ("séptim", 7),
    ("octav", 8),
    ("noven", 9),
    ("décim", 10),
    ("primeir", 1),
    ("terceir", 3),
    ("quart", 4),
    ("sétim", 7),
    ("oitav", 8),
    ("перв", 1),
    ("втор", 2),
    ("трет", 3),
    ("четвёрт", 4),
    ("четверт", 4),
    ("пят", 5),
    ("шест", 6),
    ("седьм", 7),
    ("восьм", 8),
    ("девят", 9),
    ("десят", 10),
    ("одиннадцат", 11),
    ("двенадцат", 12),
    ("achte", 8),
    ("neunt", 9),
    ("zehnt", 10),
    ("elft", 11),
    ("onzi", 11),
    ("douzi", 12),
    ("nono", 9),
];

/// [`MONTHS`], [`NUMBER_WORDS`] and [`ORDINAL_STEMS`] keyed by their lowercase words, made
/// once: every word of every unit is looked up, and a scan of the tables per word cost more
/// than the rest of the number check.
struct WordTables {
    /// Each name's (month, written in lowercase) entries, in table order.
    months: FxHashMap<&'static str, Vec<(u8, bool)>>,
    numbers: FxHashMap<&'static str, u8>,
    /// Each stem's place in the table (the first stem that fits wins) and value.
    ordinals: FxHashMap<&'static str, (usize, u8)>,
    /// The shortest and longest ordinal stem, in characters.
    stem_chars: (usize, usize),
    /// The first three letters of every month name, number word and ordinal stem: a word
    /// whose lowercase form begins otherwise is none of them (most words of a text), and is
    /// neither lowercased nor looked up.
    starts: Starts,
}

/// A set of three-letter beginnings of words, in lowercase.
#[derive(Default)]
struct Starts(rustc_hash::FxHashSet<u64>);

/// Three characters as one key.
fn start_key(a: char, b: char, c: char) -> u64 {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

impl Starts {
    fn insert(&mut self, word: &str) {
        let mut c = word.chars();
        // Every entry has three letters or more (a test says so).
        if let (Some(a), Some(b), Some(c)) = (c.next(), c.next(), c.next()) {
            self.0.insert(start_key(a, b, c));
        }
    }

    /// Whether the lowercase form of `word` may begin with one of the set's beginnings.
    fn may_start(&self, word: &str) -> bool {
        let b = word.as_bytes();
        let key = if b.len() >= 3 && b[..3].is_ascii() {
            let l = |i: usize| char::from(b[i].to_ascii_lowercase());
            start_key(l(0), l(1), l(2))
        } else {
            let mut c = word.chars().flat_map(char::to_lowercase);
            let (Some(x), Some(y), Some(z)) = (c.next(), c.next(), c.next()) else {
                return false;
            };
            start_key(x, y, z)
        };
        self.0.contains(&key)
    }
}

fn word_tables() -> &'static WordTables {
    static TABLES: OnceLock<WordTables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut months: FxHashMap<&'static str, Vec<(u8, bool)>> = FxHashMap::default();
        for &(name, m, lower) in &MONTHS {
            months.entry(name).or_default().push((m, lower));
        }
        let mut numbers = FxHashMap::default();
        for &(name, v) in NUMBER_WORDS {
            numbers.entry(name).or_insert(v);
        }
        let mut ordinals = FxHashMap::default();
        for (i, &(stem, v)) in ORDINAL_STEMS.iter().enumerate() {
            ordinals.entry(stem).or_insert((i, v));
        }
        let lens = ORDINAL_STEMS.iter().map(|(s, _)| s.chars().count());
        let stem_chars = (lens.clone().min().unwrap_or(0), lens.max().unwrap_or(0));
        let mut starts = Starts::default();
        for w in MONTHS
            .iter()
            .map(|m| m.0)
            .chain(NUMBER_WORDS.iter().map(|n| n.0))
            .chain(ORDINAL_STEMS.iter().map(|o| o.0))
            .chain(HALVES)
        {
            starts.insert(w);
        }
        WordTables {
            months,
            numbers,
            ordinals,
            stem_chars,
            starts,
        }
    })
}

/// The month named by `lower` (a lowercase word): the first entry of [`MONTHS`] for it
/// that `capital` (the word as written begins with a capital) allows.
fn month_named(lower: &str, capital: bool) -> Option<u8> {
    word_tables()
        .months
        .get(lower)?
        .iter()
        .find(|(_, written_lower)| capital || *written_lower)
        .map(|&(m, _)| m)
}

/// The value of a number word or ordinal (see [`NUMBER_WORDS`], [`ORDINAL_STEMS`]), given
/// the word in lowercase; also of the compounds that German and English make of a number
/// word: times (`zehnmal`, `dreifach`, `tenfold`), and a half more (`zweieinhalb`: 2.5).
fn number_word(lower: &str) -> Option<f64> {
    let n = lower.chars().count();
    if !(3..=18).contains(&n) {
        return None;
    }
    let tables = word_tables();
    if let Some(&v) = tables.numbers.get(lower) {
        return Some(f64::from(v));
    }
    if HALVES.contains(&lower) {
        return Some(0.5);
    }
    for (suffix, half) in [("mal", 0.0), ("fach", 0.0), ("fold", 0.0), ("einhalb", 0.5)] {
        if let Some(&v) = lower
            .strip_suffix(suffix)
            .and_then(|stem| tables.numbers.get(stem))
        {
            return Some(f64::from(v) + half);
        }
    }
    if n > 16 {
        return None;
    }
    // A stem and at most four more letters: the prefixes of the word from the shortest
    // stem's length on; of several stems that fit, the first in the table.
    let (shortest, longest) = tables.stem_chars;
    lower
        .char_indices()
        .map(|(at, c)| at + c.len_utf8())
        .enumerate()
        .map(|(k, end)| (k + 1, end))
        .filter(|&(chars, _)| chars >= shortest && chars <= longest && n <= chars + 4)
        .filter_map(|(_, end)| tables.ordinals.get(&lower[..end]))
        .min_by_key(|(place, _)| *place)
        .map(|&(_, v)| f64::from(v))
}

/// The end of the printf placeholder (`%[n$][flags][width][.precision][length]conversion`)
/// whose argument number, width or precision begins at `start` of `b`, if the digits there
/// are one: the `%` is at most a few flag bytes before them.
fn printf_digits(b: &[u8], start: usize) -> Option<usize> {
    let head = &b[start.saturating_sub(8)..start];
    let back = head
        .iter()
        .rev()
        .position(|c| !matches!(c, b'-' | b'+' | b' ' | b'#' | b'0' | b'\'' | b'.'))?;
    let percent = start - back - 1;
    if b[percent] != b'%' || (percent > 0 && b[percent - 1] == b'%') {
        return None;
    }
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = percent + 1;
    // An argument number.
    let n = digits(i);
    if n > i && b.get(n) == Some(&b'$') {
        i = n + 1;
    }
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b'-' | b'+' | b' ' | b'#' | b'0' | b'\''))
    {
        i += 1;
    }
    i = digits(i);
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    for length in [&b"hh"[..], b"ll", b"h", b"l", b"L", b"q", b"j", b"z", b"t"] {
        if b[i.min(b.len())..].starts_with(length) {
            i += length.len();
            break;
        }
    }
    (i > start && b.get(i).is_some_and(|c| b"diouxXeEfFgGaAcspn".contains(c))).then_some(i + 1)
}

/// The end of the numeric character reference (`&#39;`, `&#x2F;`) whose digits include
/// the one at `start` of `b`, if they are one.
fn char_reference_end(b: &[u8], start: usize) -> Option<usize> {
    // (Hexadecimal digits may stand before the first decimal one: `&#xA0;`.)
    let from = start
        - b[..start]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
    let head = &b[..from];
    let (digits_from, hex) = if head.ends_with(b"&#") && from == start {
        (from, false)
    } else if head.ends_with(b"&#x") || head.ends_with(b"&#X") {
        (from, true)
    } else {
        return None;
    };
    let len = b[digits_from..]
        .iter()
        .take_while(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
        .count();
    (len > 0 && b.get(digits_from + len) == Some(&b';')).then_some(digits_from + len + 1)
}

/// The value of a number word (see [`number_word`]) that is the whole of `lower` or its
/// first part before a hyphen (`twelve-second`, `ten-year-old`), with the length in bytes
/// of the part read.
fn hyphened_number_word(lower: &str) -> Option<(f64, usize)> {
    if let Some(v) = number_word(lower) {
        return Some((v, lower.len()));
    }
    let (head, _) = lower.split_once(['-', '\u{2010}'])?;
    number_word(head).map(|v| (v, head.len()))
}

/// A clock time whose colon a stray space follows (`13: 30 Uhr`, `1: 30 pm`), starting at
/// `start` with its hour's digits up to `end`: the minutes after midnight, whether it is
/// ambiguous (no a.m./p.m. and at most 12 hours), and its length in bytes. Only with a
/// clock word after it, so that a list (`Schritt 1: 20 Minuten`) stays two numbers. The
/// space itself is the spacing check's to report.
fn torn_time(text: &str, start: usize, end: usize) -> Option<(u32, bool, usize)> {
    let hour = &text[start..end];
    let rest = text[end..].strip_prefix(": ")?;
    let mm = rest.get(..2)?;
    if hour.len() > 2
        || !mm.bytes().all(|b| b.is_ascii_digit())
        || rest.as_bytes().get(2).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let after = rest[2..].trim_start_matches([' ', '\u{a0}']);
    let h = clock_time(hour, after)? / 60;
    let m = mm.parse::<u32>().ok().filter(|m| *m < 60)?;
    let (am, pm) = (meridiem(after, "a"), meridiem(after, "p"));
    let minutes = if pm && h < 12 {
        (h + 12) * 60 + m
    } else if am && h == 12 {
        m
    } else {
        h * 60 + m
    };
    Some((minutes, !am && !pm && h <= 12, end - start + 4))
}

/// Every value in `text`, read with the conventions of `lang` (`None`: guessed per number).
pub fn extract(text: &str, lang: Option<Lang>) -> Vec<Num> {
    extract_with(text, lang, true)
}

/// [`extract`] given the [`super::words`] of `text` (a caller that has them already).
pub(super) fn extract_in(text: &str, words: &[Range<usize>], lang: Option<Lang>) -> Vec<Num> {
    extract_from(text, lang, Some(words))
}

/// [`extract`], with the number words (`soft` values) only if `soft`.
fn extract_with(text: &str, lang: Option<Lang>, soft: bool) -> Vec<Num> {
    if soft {
        extract_from(text, lang, Some(&super::words(text)))
    } else {
        extract_from(text, lang, None)
    }
}

/// [`extract`] with the number words of `words` (all words of `text`), or without number
/// words when `words` is `None`.
fn extract_from(text: &str, lang: Option<Lang>, words: Option<&[Range<usize>]>) -> Vec<Num> {
    let soft = words.is_some();
    let comma = decimal_comma(lang);
    let space_groups = lang.is_some_and(|l| {
        matches!(
            l.code(),
            "fr" | "ru" | "uk" | "pl" | "cs" | "sk" | "sv" | "nb" | "fi" | "bg"
        )
    });
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Every maximal run of ASCII digits, for the month names beside them.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(skip) = b[i..].iter().position(u8::is_ascii_digit) else {
            break;
        };
        i += skip;
        let start = i;
        // Digits with inner separators `.` `,` `:` and thin/no-break spaces before 3 digits.
        let mut end = i;
        let mut j = i;
        loop {
            let run_start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            runs.push(run_start..j);
            end = j.max(end);
            if j < b.len()
                && matches!(b[j], b'.' | b',' | b':')
                && b.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                j += 1;
                continue;
            }
            // U+00A0 / U+202F as thousands separators; in a language that groups thousands
            // with spaces (`4 500` in French), a plain space too, between groups of three
            // digits after at most three (`le port 4 500`, not `les 12 1000`).
            let rest = &text[j..];
            if let Some(sp) = ['\u{a0}', '\u{202f}']
                .iter()
                .find(|c| rest.starts_with(**c))
            {
                let after = &rest[sp.len_utf8()..];
                if after.len() >= 3 && after.as_bytes()[..3].iter().all(u8::is_ascii_digit) {
                    j += sp.len_utf8();
                    continue;
                }
            }
            if space_groups
                && rest.starts_with(' ')
                && j - run_start <= 3
                && (run_start == start || j - run_start == 3)
                && !b[start..j].contains(&b'.')
                && !b[start..j].contains(&b',')
                && b.get(j + 1..j + 4)
                    .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                && !b.get(j + 4).is_some_and(u8::is_ascii_digit)
            {
                j += 1;
                continue;
            }
            break;
        }
        let raw = &text[start..end];
        // A hexadecimal literal or the prefix of a placeholder (`0x1F`, `0x%llx`) is code.
        if raw == "0" && matches!(b.get(end), Some(b'x' | b'X')) {
            i = end + 1;
            while i < b.len() && b[i].is_ascii_hexdigit() {
                i += 1;
            }
            continue;
        }
        // A numeric character reference (`&#39;`, `&#x27;`) is a character of markup.
        if let Some(reference_end) = char_reference_end(b, start) {
            i = reference_end;
            continue;
        }
        // Digits with dots that go on into a name (`0.168.192.in-addr.arpa`, `3.4.txt`)
        // are a domain or a file, not a number.
        if b.get(end) == Some(&b'.')
            && b.get(end + 1).is_some_and(u8::is_ascii_alphabetic)
            && b[start..end].contains(&b'.')
        {
            i = end + 1;
            continue;
        }
        // The argument number, width or precision of a printf placeholder (`%-20s`,
        // `%.255s`, `%2$d`): the printf check compares placeholders.
        if let Some(placeholder_end) = printf_digits(b, start) {
            i = placeholder_end;
            continue;
        }
        if let Some((minutes, ambiguous, len)) = torn_time(text, start, end) {
            out.push(Num {
                value: Value::Time { minutes, ambiguous },
                span: start..start + len,
                soft: false,
                month: false,
                foreign: false,
            });
            i = start + len;
            continue;
        }
        parse_token(text, raw, start, comma, &mut out);
        i = end;
    }
    // Month names next to a number, and small numbers as words.
    // (Digits of a score or a time, `Februar 2:1`, are no day or year of the month.)
    let digits_near = |r: &Range<usize>| -> bool {
        let before = text[..r.start].trim_end_matches([' ', '.', '\u{a0}']);
        let after = text[r.end..].trim_start_matches([' ', '\u{a0}']);
        let day_before = before.ends_with(|c: char| c.is_ascii_digit())
            && !before
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .ends_with(':');
        let day_after = after.starts_with(|c: char| c.is_ascii_digit())
            && !after
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with(':');
        day_before || day_after
    };
    // Month names count only next to digits; number words only when asked for.
    let has_digits = !out.is_empty();
    if !has_digits && !soft {
        return out;
    }
    // Without number words, only a month next to a number can count, so only the words on
    // either side of a number are looked at; number words need every word.
    let beside;
    let candidates = match words {
        Some(all) => all,
        None => {
            beside = words_beside_digits(text, &runs);
            &beside[..]
        }
    };
    let tables = word_tables();
    // The lowercase form of the word looked up, in one buffer for all of them.
    let mut lower = String::new();
    for r in candidates {
        let w = &text[r.clone()];
        if w.len() < 3
            || w.len() > 24
            || w.as_bytes()[0].is_ascii_digit()
            || !tables.starts.may_start(w)
        {
            // (Not a month name, number word or ordinal: nothing to look up.)
            continue;
        }
        // A month counts only capitalised and next to digits; otherwise the name matters
        // only for keeping it from being read as a number word.
        let counts =
            has_digits && w.chars().next().is_some_and(char::is_uppercase) && digits_near(r);
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        let month = if has_digits && (soft || digits_near(r)) {
            tables
                .months
                .get(lower.as_str())
                .and_then(|entries| entries.iter().find(|(_, lower)| capital || *lower))
        } else {
            None
        };
        let counts = counts || month.is_some_and(|m| m.1 && digits_near(r));
        if let Some(&(m, _)) = month {
            if counts {
                out.push(Num {
                    value: Value::Number(f64::from(m)),
                    span: r.clone(),
                    soft: false,
                    month: true,
                    foreign: false,
                });
            }
        } else if let Some((n, len)) = soft.then(|| hyphened_number_word(&lower)).flatten() {
            out.push(Num {
                value: Value::Number(n),
                span: r.start..r.start + len,
                soft: true,
                month: false,
                foreign: false,
            });
        }
    }
    out.sort_by_key(|n| n.span.start);
    out
}

/// The words (as [`super::words`] finds them) that [`extract_with`] calls next to digits: a
/// word after a run of ASCII digits and spaces, dots or no-break spaces (`28. Juni`), or
/// before spaces or no-break spaces and a digit (`June 28`). `runs` are the maximal runs of
/// ASCII digits in `text`, in order. In text order, each once.
fn words_beside_digits(text: &str, runs: &[Range<usize>]) -> Vec<Range<usize>> {
    let is_word_char = |c: char| c.is_alphanumeric();
    let joiner = |c: char| matches!(c, '\'' | '’' | '-' | '‐');
    let mut out: Vec<Range<usize>> = Vec::new();
    for run in runs {
        let (run_start, i) = (run.start, run.end);
        // A word after the run: at least one separator between, else the digits and the
        // letters are one word.
        let after = &text[i..];
        let rest = after.trim_start_matches([' ', '.', '\u{a0}']);
        let start = i + (after.len() - rest.len());
        if start > i && rest.starts_with(is_word_char) {
            let mut end = start;
            let mut chars = rest.char_indices().peekable();
            while let Some((k, c)) = chars.next() {
                let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
                if is_word_char(c) || (joiner(c) && next_is_word) {
                    end = start + k + c.len_utf8();
                } else {
                    break;
                }
            }
            out.push(start..end);
        }
        // A word before the run, with at least one space between.
        let before = &text[..run_start];
        let kept = before.trim_end_matches([' ', '\u{a0}']);
        if kept.len() < before.len() && kept.ends_with(is_word_char) {
            let end = kept.len();
            let mut begin = end;
            let mut chars = kept.char_indices().rev().peekable();
            let mut after_is_word = false;
            while let Some((k, c)) = chars.next() {
                let before_is_word = chars.peek().is_some_and(|&(_, p)| is_word_char(p));
                if is_word_char(c) || (joiner(c) && after_is_word && before_is_word) {
                    begin = k;
                    after_is_word = is_word_char(c);
                } else {
                    break;
                }
            }
            out.push(begin..end);
        }
    }
    out.sort_by_key(|r| r.start);
    out.dedup();
    out
}

fn parse_token(text: &str, raw: &str, start: usize, comma: Option<bool>, out: &mut Vec<Num>) {
    let push = |out: &mut Vec<Num>, v: Value, s: usize, e: usize| {
        out.push(Num {
            value: v,
            span: s..e,
            soft: false,
            month: false,
            foreign: false,
        })
    };
    let after = text[start + raw.len()..].trim_start_matches([' ', '\u{a0}']);
    // A clock time written with a dot (`7.15 Uhr`, `7.15 am`) or a whole hour with its
    // clock word (`19 Uhr`, `7 p.m.`).
    if let Some(minutes) = clock_time(raw, after) {
        let (am, pm) = (meridiem(after, "a"), meridiem(after, "p"));
        let minutes = if pm && minutes < 720 {
            minutes + 720
        } else if am && (720..780).contains(&minutes) {
            minutes - 720
        } else {
            minutes
        };
        let ambiguous = !am && !pm && minutes <= 720;
        push(
            out,
            Value::Time { minutes, ambiguous },
            start,
            start + raw.len(),
        );
        return;
    }
    // A day and month with dots (`18.04.`): two numbers, not a decimal.
    if let Some((d, m)) = raw.split_once('.') {
        let dm = (d.parse::<u32>(), m.parse::<u32>());
        if text[start + raw.len()..].starts_with('.')
            && matches!(dm, (Ok(1..=31), Ok(1..=12)))
            && m.len() == 2
        {
            push(
                out,
                Value::Number(f64::from(dm.0.unwrap_or(0))),
                start,
                start + d.len(),
            );
            push(
                out,
                Value::Number(f64::from(dm.1.unwrap_or(0))),
                start + d.len() + 1,
                start + raw.len(),
            );
            return;
        }
    }
    // Times: H:MM (optionally with a.m./p.m. after it).
    if let Some((h, m)) = raw.split_once(':') {
        if let (Ok(h), Ok(mm)) = (h.parse::<u32>(), m.parse::<u32>()) {
            if h < 24 && mm < 60 && m.len() == 2 && !m.contains([',', '.']) {
                let after = text[start + raw.len()..].trim_start().as_bytes();
                let starts = |p: &str| {
                    after.len() >= p.len() && after[..p.len()].eq_ignore_ascii_case(p.as_bytes())
                };
                let pm = starts("p.m") || starts("pm");
                let am = starts("a.m") || starts("am");
                let minutes = if pm && h < 12 {
                    (h + 12) * 60 + mm
                } else if am && h == 12 {
                    mm
                } else {
                    h * 60 + mm
                };
                let ambiguous = !pm && !am && h <= 12;
                push(
                    out,
                    Value::Time { minutes, ambiguous },
                    start,
                    start + raw.len(),
                );
                return;
            }
        }
        // Not a time: the parts are separate numbers (scores, ratios).
        let mut off = start;
        for part in raw.split(':') {
            parse_token(text, part, off, comma, out);
            off += part.len() + 1;
        }
        return;
    }
    let clean: std::borrow::Cow<str> = if raw.contains(['\u{a0}', '\u{202f}', ' ']) {
        raw.replace(['\u{a0}', '\u{202f}', ' '], "").into()
    } else {
        raw.into()
    };
    let dots = clean.matches('.').count();
    let commas = clean.matches(',').count();
    let groups_of_three = |sep: char| clean.split(sep).skip(1).all(|g| g.len() == 3);
    let value = if dots > 0 && commas > 0 {
        // Both: the last one is the decimal mark.
        let (dec, grp) = if clean.rfind('.') > clean.rfind(',') {
            ('.', ',')
        } else {
            (',', '.')
        };
        parse_cleaned(&clean, Some(grp), Some(dec))
    } else if dots + commas == 0 {
        parse_cleaned(&clean, None, None)
    } else {
        let sep = if dots > 0 { '.' } else { ',' };
        let count = dots + commas;
        let is_grouping = groups_of_three(sep)
            && !clean.starts_with('0')
            && match comma {
                // The language's group mark before groups of three is grouping.
                Some(true) => sep == '.' || count > 1,
                Some(false) => sep == ',' || count > 1,
                None => true,
            };
        if is_grouping {
            parse_cleaned(&clean, Some(sep), None)
        } else if count == 1 {
            parse_cleaned(&clean, None, Some(sep))
        } else {
            // A date or version: separate numbers.
            let mut off = start;
            for part in raw.split(sep) {
                if let Ok(v) = part.parse::<f64>() {
                    push(out, Value::Number(v), off, off + part.len());
                }
                off += part.len() + 1;
            }
            return;
        }
    };
    if let Some(v) = value {
        push(out, Value::Number(v), start, start + raw.len());
        // The decimal mark (the last mark when both are there, else a single mark read as
        // a decimal) against the language's.
        let decimal_mark = if dots > 0 && commas > 0 {
            Some(if clean.rfind('.') > clean.rfind(',') {
                '.'
            } else {
                ','
            })
        } else if dots + commas == 1 && v.fract() != 0.0 {
            Some(if dots > 0 { '.' } else { ',' })
        } else {
            None
        };
        if let (Some(mark), Some(c), Some(last)) = (decimal_mark, comma, out.last_mut()) {
            last.foreign = (mark == ',') != c;
        }
    }
}

/// Minutes after midnight of a clock time: `H.MM` or `H` followed by a clock word (`Uhr`,
/// `h`, `am`, `a.m.`, `pm`, `p.m.`, `o'clock`). `after` is the text after the number, spaces
/// skipped.
fn clock_time(raw: &str, after: &str) -> Option<u32> {
    let lower: String = after.chars().take(8).flat_map(char::to_lowercase).collect();
    let word_end = |rest: &str| !rest.starts_with(|c: char| c.is_alphanumeric());
    let clock = ["uhr", "am", "pm", "o'clock", "o’clock"]
        .iter()
        .any(|w| lower.strip_prefix(w).is_some_and(word_end))
        || lower.starts_with("a.m")
        || lower.starts_with("p.m");
    if !clock {
        return None;
    }
    let (h, m) = match raw.split_once('.') {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        Some(_) => return None,
        None => (raw.parse::<u32>().ok()?, 0),
    };
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Whether `after` (the text after a time) starts with `a.m.`/`am` (`first` = "a") or
/// `p.m.`/`pm` (`first` = "p").
fn meridiem(after: &str, first: &str) -> bool {
    let b = after.as_bytes();
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let end_ok = |n: usize| !b.get(n).is_some_and(u8::is_ascii_alphanumeric);
    (starts(&format!("{first}.m")) && end_ok(3)) || (starts(&format!("{first}m")) && end_ok(2))
}

/// `s` read as a number after dropping every `group` mark and reading `decimal` as the
/// decimal point; without allocating for ordinary lengths.
fn parse_cleaned(s: &str, group: Option<char>, decimal: Option<char>) -> Option<f64> {
    let mut buf = [0u8; 64];
    let mut n = 0;
    for c in s.chars() {
        if Some(c) == group {
            continue;
        }
        let c = if Some(c) == decimal { '.' } else { c };
        if !c.is_ascii() || n == buf.len() {
            // Not seen in practice: digits and ASCII marks only, and short.
            let owned: String = s
                .chars()
                .filter(|&c| Some(c) != group)
                .map(|c| if Some(c) == decimal { '.' } else { c })
                .collect();
            return owned.parse().ok();
        }
        buf[n] = c as u8;
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).ok()?.parse().ok()
}

/// The values of `source` that `target` lacks or changed, and the values `target` has that
/// `source` does not.
pub fn compare(source: &str, from: Option<Lang>, target: &str, to: Option<Lang>) -> Vec<NumIssue> {
    // A message to the translators (gettext's convention: `10 translator see
    // trust.c:uid_trust_string_fixed`) is answered with a setting, not translated: its
    // numbers are the translator's to choose (there, a column width).
    if to_translators(source) {
        return Vec::new();
    }
    let mut src = extract_with(source, from, false);
    let mut tgt = extract_with(target, to, false);
    let agree = src.len() == tgt.len()
        && src
            .iter()
            .all(|s| tgt.iter().filter(|t| t.value.matches(&s.value)).count() >= 1)
        && tgt
            .iter()
            .all(|t| src.iter().filter(|s| s.value.matches(&t.value)).count() >= 1);
    if agree && src.len() <= 1 && !tgt.iter().any(|t| t.foreign) {
        return match (src.first(), tgt.first()) {
            (Some(s), Some(t)) => unit_changed(source, from, s, target, to, t)
                .into_iter()
                .chain(scale_changed(source, from, s, target, to, t))
                .collect(),
            _ => Vec::new(),
        };
    }
    if !agree {
        // Number words may make up the difference.
        src = extract_with(source, from, true);
        tgt = extract_with(target, to, true);
    }
    let mut s_used = vec![false; src.len()];
    let mut t_used = vec![false; tgt.len()];
    // Exact matches first (hard with hard, then soft on one side: two words need no
    // match, and one that matched a word would be lost to a number it could satisfy).
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for pass in 0..2 {
        for (i, s) in src.iter().enumerate() {
            if s_used[i] || (pass == 0 && s.soft) {
                continue;
            }
            if let Some(j) = (0..tgt.len()).find(|&j| {
                !t_used[j]
                    && (if pass == 0 {
                        !tgt[j].soft
                    } else {
                        !(s.soft && tgt[j].soft)
                    })
                    && tgt[j].value.matches(&s.value)
            }) {
                s_used[i] = true;
                t_used[j] = true;
                pairs.push((i, j));
            }
        }
    }
    // A month named on one side is satisfied by its name anywhere on the other side
    // (`25. April` / `the 25th of April`).
    for (nums, used, other) in [(&src, &mut s_used, target), (&tgt, &mut t_used, source)] {
        if nums.iter().zip(used.iter()).any(|(n, u)| !*u && n.month) {
            let names = month_names(other);
            for (n, u) in nums.iter().zip(used.iter_mut()) {
                if !*u
                    && n.month
                    && names
                        .iter()
                        .any(|m| n.value.matches(&Value::Number(f64::from(*m))))
                {
                    *u = true;
                }
            }
        }
    }
    let mut out: Vec<NumIssue> = pairs
        .iter()
        .filter_map(|&(i, j)| {
            unit_changed(source, from, &src[i], target, to, &tgt[j])
                .or_else(|| scale_changed(source, from, &src[i], target, to, &tgt[j]))
        })
        .collect();
    // The same value written with the other language's marks: `3,5 percent` in English.
    for (j, t) in tgt.iter().enumerate() {
        if t_used[j] && t.foreign {
            let written = &target[t.span.clone()];
            // Copied as the source writes it, a number may be a version or a code
            // (`JDK 1.2`) rather than a quantity: a note; a percentage or an amount is a
            // quantity.
            let severity = if copied(source, written) && !quantity(target, t.span.clone()) {
                Severity::Info
            } else {
                Severity::Error
            };
            out.push(NumIssue {
                target_span: Some(t.span.clone()),
                text: written.to_string(),
                message: format!("wrong decimal separator for {}: `{written}`", lang_name(to)),
                suggestion: Some(render_grouped(&t.value, to)),
                severity,
            });
        }
    }
    // A number copied with the source's marks (`1.000` in English) reads as another value;
    // read with the other convention it is the source's.
    let comma_to = decimal_comma(to);
    for (i, s) in src.iter().enumerate() {
        if s_used[i] || s.soft {
            continue;
        }
        let Some(c) = comma_to else { break };
        let found = (0..tgt.len()).find(|&j| {
            !t_used[j]
                && !tgt[j].soft
                && reread(&target[tgt[j].span.clone()], !c).is_some_and(|v| {
                    Value::Number(v).matches(&s.value) && !Value::Number(v).matches(&tgt[j].value)
                })
        });
        if let Some(j) = found {
            s_used[i] = true;
            t_used[j] = true;
            let written = &target[tgt[j].span.clone()];
            let mark = if written.contains(',') && written.contains('.') {
                "decimal and thousands separators"
            } else if s.value.key().contains('.') {
                "decimal separator"
            } else {
                "thousands separator"
            };
            // Copied as the source writes it, where the source's own reading would be a
            // decimal padded with zeros (`100.000` in an English text), the source was
            // written in the target's convention, and the translator kept its number: a note.
            let severity = if copied(source, written) && padded_decimal(written, !c) {
                Severity::Info
            } else {
                Severity::Error
            };
            out.push(NumIssue {
                target_span: Some(tgt[j].span.clone()),
                text: written.to_string(),
                message: format!(
                    "wrong {mark} for {}: `{written}` reads as another number there",
                    lang_name(to)
                ),
                suggestion: Some(render_grouped(&s.value, to)),
                severity,
            });
        }
    }
    {
        let mut s_side = Side {
            text: source,
            lang: from,
            nums: &src,
            used: &mut s_used,
        };
        let mut t_side = Side {
            text: target,
            lang: to,
            nums: &tgt,
            used: &mut t_used,
        };
        // A number with its scale word written out in digits, or the other way round
        // (`500000` / `eine halbe Million`, `2.5 million` / `2.500.000`).
        satisfy(&mut s_side, &mut t_side, false, same_scaled);
        satisfy(&mut t_side, &mut s_side, false, same_scaled);
        // A measure converted into another unit (`200 feet` / `60 Meter`, `115 °F` /
        // `46 °C`); the other side's number may be matched already (a source may give
        // both, `115 Fahrenheit, 46 degrees Celsius`).
        satisfy(&mut s_side, &mut t_side, true, same_converted);
        satisfy(&mut t_side, &mut s_side, true, same_converted);
    }
    let missing: Vec<&Num> = src
        .iter()
        .zip(&s_used)
        .filter(|(n, used)| !**used && !n.soft)
        .map(|(n, _)| n)
        .collect();
    let extra: Vec<&Num> = tgt
        .iter()
        .zip(&t_used)
        .filter(|(n, used)| !**used && !n.soft)
        .map(|(n, _)| n)
        .collect();
    let pairs = missing.len().min(extra.len());
    for k in 0..pairs {
        let (s, t) = (missing[k], extra[k]);
        out.push(NumIssue {
            target_span: Some(t.span.clone()),
            text: target[t.span.clone()].to_string(),
            message: format!(
                "number changed: `{}` in the source, `{}` in the target",
                &source[s.span.clone()],
                &target[t.span.clone()]
            ),
            suggestion: Some(render(&s.value, to)),
            severity: Severity::Error,
        });
    }
    for s in &missing[pairs..] {
        // Small numbers and ordinals are often written out in words (`5th` / `fünfte`,
        // `1st` / `premier`) in languages whose number words are not known here.
        let severity = match s.value {
            Value::Number(v) if v.fract() == 0.0 && (0.0..=12.0).contains(&v) => Severity::Warning,
            _ => Severity::Error,
        };
        out.push(NumIssue {
            target_span: None,
            text: source[s.span.clone()].to_string(),
            message: format!(
                "number `{}` of the source is missing in the target",
                &source[s.span.clone()]
            ),
            suggestion: None,
            severity,
        });
    }
    for t in &extra[pairs..] {
        out.push(NumIssue {
            target_span: Some(t.span.clone()),
            text: target[t.span.clone()].to_string(),
            message: format!("number `{}` is not in the source", &target[t.span.clone()]),
            suggestion: None,
            severity: Severity::Warning,
        });
    }
    out
}

/// The same number with another unit of the same measure, unconverted (`150 pounds` /
/// `150 Kilogramm`): an error naming what the source's amount is in the target's unit.
fn unit_changed(
    source: &str,
    from: Option<Lang>,
    s: &Num,
    target: &str,
    to: Option<Lang>,
    t: &Num,
) -> Option<NumIssue> {
    let (Value::Number(x), Value::Number(y)) = (s.value, t.value) else {
        return None;
    };
    let us = units::unit_of(source, s.span.clone(), from)?;
    let ut = units::unit_of(target, t.span.clone(), to)?;
    if us.dimension != ut.dimension || us == ut || units::same_measure(x, us, y, ut) {
        return None;
    }
    let written = &target[t.span.clone()];
    let should = (us.base(x) - ut.offset) / ut.scale;
    // Two significant digits are what a translator would write.
    let magnitude = 10f64.powf(should.abs().max(1e-9).log10().floor() - 1.0);
    let rounded = (should / magnitude).round() * magnitude;
    let quoted = &target[t.span.start..units::unit_end(target, t.span.end)];
    let unit_word = quoted[written.len()..].trim_start_matches([' ', '\u{a0}', '\u{202f}', '-']);
    Some(NumIssue {
        target_span: Some(t.span.clone()),
        text: written.to_string(),
        message: format!(
            "unit changed but not the number: `{}` in the source is about {} {unit_word}, \
             not `{quoted}`",
            &source[s.span.start..units::unit_end(source, s.span.end)],
            render(&Value::Number(rounded), to)
        ),
        suggestion: Some(render(&Value::Number(rounded), to)),
        severity: Severity::Error,
    })
}

/// The same number with a scale word that scales it differently: a false friend (`2
/// billion` / `2 Billionen`, a thousand times more), an error naming the word to use.
fn scale_changed(
    source: &str,
    from: Option<Lang>,
    s: &Num,
    target: &str,
    to: Option<Lang>,
    t: &Num,
) -> Option<NumIssue> {
    let ss = units::scale_right_after(source, s.span.end, from)?;
    let ts = units::scale_right_after(target, t.span.end, to)?;
    if ss == ts {
        return None;
    }
    let quoted = &target[t.span.start..units::unit_end(target, t.span.end)];
    Some(NumIssue {
        target_span: Some(t.span.start..units::unit_end(target, t.span.end)),
        text: quoted.to_string(),
        message: format!(
            "number changed: `{}` in the source is {}, `{quoted}` here is {}",
            &source[s.span.start..units::unit_end(source, s.span.end)],
            render_grouped(&Value::Number(scaled_value(s, ss)), to),
            render_grouped(&Value::Number(scaled_value(t, ts)), to),
        ),
        suggestion: units::scale_word(ss, to).map(|w| format!("{} {w}", &target[t.span.clone()])),
        severity: Severity::Error,
    })
}

fn scaled_value(n: &Num, factor: f64) -> f64 {
    match n.value {
        Value::Number(x) => x * factor,
        Value::Time { .. } => 0.0,
    }
}

/// One side of [`compare`]: its text, language, values and which of them are matched.
struct Side<'s> {
    text: &'s str,
    lang: Option<Lang>,
    nums: &'s [Num],
    used: &'s mut [bool],
}

/// Satisfies each unmatched number of `a` written in digits with a number of `b` that
/// `same` relates to it: an unmatched one, which is then matched too, or, when `any` is
/// set and there is none, one matched already.
fn satisfy(a: &mut Side, b: &mut Side, any: bool, same: fn(&Side, &Num, &Side, &Num) -> bool) {
    for i in 0..a.nums.len() {
        let n = &a.nums[i];
        if a.used[i] || n.soft {
            continue;
        }
        let unmatched = (0..b.nums.len()).find(|&j| !b.used[j] && same(a, n, b, &b.nums[j]));
        if let Some(j) = unmatched {
            b.used[j] = true;
            a.used[i] = true;
        } else if any && b.nums.iter().any(|m| same(a, n, b, m)) {
            a.used[i] = true;
        }
    }
}

/// Whether `n` of `a` and `m` of `b` are one value once the scale words after them are
/// applied, at least one of them having one (`500000` / `eine halbe Million`).
fn same_scaled(a: &Side, n: &Num, b: &Side, m: &Num) -> bool {
    let (Value::Number(x), Value::Number(y)) = (n.value, m.value) else {
        return false;
    };
    let xs = x * units::scale_of(a.text, n.span.end, a.lang).unwrap_or(1.0);
    let ys = y * units::scale_of(b.text, m.span.end, b.lang).unwrap_or(1.0);
    (xs != x || ys != y) && (xs - ys).abs() <= 1e-9 * xs.abs().max(1.0)
}

/// Whether `n` of `a` and `m` of `b` are one measure written in two units (`200 feet` /
/// `60 Meter`).
fn same_converted(a: &Side, n: &Num, b: &Side, m: &Num) -> bool {
    let (Value::Number(x), Value::Number(y)) = (n.value, m.value) else {
        return false;
    };
    match (
        units::unit_of(a.text, n.span.clone(), a.lang),
        units::unit_of(b.text, m.span.clone(), b.lang),
    ) {
        (Some(u), Some(v)) => u != v && units::same_measure(x, u, y, v),
        _ => false,
    }
}

/// Whether `written`, read with a decimal comma (`comma`) or point, is a decimal of three
/// places ending in a zero, which nobody writes so (`100.000`, `1.500` in English): digits, one
/// decimal mark, three digits.
fn padded_decimal(written: &str, comma: bool) -> bool {
    let mark = if comma { ',' } else { '.' };
    written.split_once(mark).is_some_and(|(whole, fraction)| {
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() == 3
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && fraction.ends_with('0')
    })
}

/// Whether `written` stands in `source` as a token of its own (not inside a longer number).
fn copied(source: &str, written: &str) -> bool {
    source.match_indices(written).any(|(i, _)| {
        let before = source[..i].chars().next_back();
        let after = source[i + written.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Whether the number at `span` of `text` is a quantity by what stands beside it: a percent
/// sign or word after it, a currency sign before or after it.
fn quantity(text: &str, span: Range<usize>) -> bool {
    let after = text[span.end..].trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let before = text[..span.start].trim_end_matches([' ', '\u{a0}', '\u{202f}']);
    let lower = after.to_lowercase();
    after.starts_with(['%', '‰', '€', '$', '£', '¥', '₽'])
        || before.ends_with(['€', '$', '£', '¥', '₽'])
        || [
            "percent",
            "per cent",
            "prozent",
            "por ciento",
            "pour cent",
            "por cento",
            "процент",
            "euro",
            "dollar",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
}

fn lang_name(lang: Option<Lang>) -> &'static str {
    lang.map_or("the target language", Lang::name)
}

/// `written` (one number token) read with decimal commas (`comma`) or decimal points.
fn reread(written: &str, comma: bool) -> Option<f64> {
    let mut out = Vec::new();
    parse_token(written, written, 0, Some(comma), &mut out);
    match out.as_slice() {
        [n] if n.span == (0..written.len()) => match n.value {
            Value::Number(v) => Some(v),
            Value::Time { .. } => None,
        },
        _ => None,
    }
}

/// The months named anywhere in `text` (any case), by number.
fn month_names(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for r in super::words(text) {
        let w = &text[r];
        if w.len() < 3 || w.len() > 10 {
            continue;
        }
        if let Some(m) = month_named(&w.to_lowercase(), true) {
            out.push(m);
        }
    }
    out
}

/// A value written the way `lang` writes it, thousands grouped from four digits on.
fn render_grouped(v: &Value, lang: Option<Lang>) -> String {
    let plain = render(v, lang);
    let (grp, dec) = if decimal_comma(lang).unwrap_or(false) {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (int, frac) = plain.split_once(dec).unwrap_or((&plain, ""));
    if int.contains(grp) || int.trim_start_matches('-').len() != 4 {
        return plain;
    }
    let mut s = String::new();
    for (k, ch) in int.char_indices() {
        if k == int.len() - 3 && !int[..k].trim_start_matches('-').is_empty() {
            s.push(grp);
        }
        s.push(ch);
    }
    if !frac.is_empty() {
        s.push(dec);
        s.push_str(frac);
    }
    s
}

/// A value written the way `lang` writes it.
pub fn render(v: &Value, lang: Option<Lang>) -> String {
    match *v {
        Value::Time { minutes, .. } => format!("{}:{:02}", minutes / 60, minutes % 60),
        Value::Number(x) => {
            let plain = format_number(x);
            let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
            let comma = decimal_comma(lang).unwrap_or(false);
            let (grp, dec) = if comma { ('.', ',') } else { (',', '.') };
            let neg = int.starts_with('-');
            let digits = int.trim_start_matches('-');
            let mut grouped = String::new();
            // Years and small numbers are written without grouping.
            if digits.len() > 4 {
                for (k, c) in digits.chars().enumerate() {
                    if k > 0 && (digits.len() - k) % 3 == 0 {
                        grouped.push(grp);
                    }
                    grouped.push(c);
                }
            } else {
                grouped.push_str(digits);
            }
            let mut s = String::new();
            if neg {
                s.push('-');
            }
            s.push_str(&grouped);
            if !frac.is_empty() {
                s.push(dec);
                s.push_str(frac);
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table lookups, without the three-letter filter.
    fn listed(w: &str) -> bool {
        let lower: String = w.chars().flat_map(char::to_lowercase).collect();
        word_tables().months.contains_key(lower.as_str()) || number_word(&lower).is_some()
    }

    #[test]
    fn character_references_are_no_numbers() {
        let keys =
            |t: &str| -> Vec<String> { extract(t, None).iter().map(|n| n.value.key()).collect() };
        assert!(keys("Yes, I&#39;m sure").is_empty());
        assert!(keys("a&#x27;b &#xA0; &#X2F;").is_empty());
        // Not a reference: no `;`, or no `&#` before the digits.
        assert_eq!(keys("Room &#39 and #39;"), ["39", "39"]);
    }

    #[test]
    fn the_start_filter_never_turns_away_a_listed_word() {
        let tables = word_tables();
        // Every entry has the three letters the filter keys on.
        for (w, _) in NUMBER_WORDS.iter().chain(ORDINAL_STEMS.iter()) {
            assert!(w.chars().count() >= 3, "{w}");
        }
        assert!(MONTHS.iter().all(|m| m.0.chars().count() >= 3));
        // The entries in every case, and every word of real text in the languages of the
        // tables: a word the filter turns away is never one the tables know.
        let mut words: Vec<String> = Vec::new();
        for (w, _) in NUMBER_WORDS.iter().chain(ORDINAL_STEMS.iter()) {
            words.extend([w.to_string(), w.to_uppercase(), format!("{w}ten")]);
        }
        for m in MONTHS {
            let mut c = m.0.chars();
            let title: String = c
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(c)
                .collect();
            words.extend([m.0.to_string(), m.0.to_uppercase(), title]);
        }
        let Some(real) = super::super::text::real_texts(40) else {
            return;
        };
        for t in real {
            words.extend(
                super::super::words(&t)
                    .into_iter()
                    .map(|r| t[r].to_string()),
            );
        }
        let (mut turned_away, mut listed_seen) = (0, 0);
        for w in &words {
            let known = listed(w);
            listed_seen += usize::from(known);
            if !tables.starts.may_start(w) {
                assert!(!known, "{w:?} is listed but filtered out");
                turned_away += 1;
            }
        }
        assert!(listed_seen > 500, "{listed_seen} listed words");
        // It is a filter: most words of real text are turned away without a lookup.
        if words.len() > 100_000 {
            assert!(
                turned_away * 10 > words.len() * 8,
                "{turned_away} of {}",
                words.len()
            );
        }
    }

    #[test]
    fn cleaned_numbers_read_like_replaced_strings() {
        let marks = [None, Some('.'), Some(',')];
        for s in [
            "1.500,5", "1,500.5", "12.500", "3,5", "007", "1.2.3", "0,25", "12", ".5",
        ] {
            for group in marks {
                for decimal in marks.iter().copied().filter(|d| *d != group || d.is_none()) {
                    let mut expected = s.to_string();
                    if let Some(g) = group {
                        expected = expected.replace(g, "");
                    }
                    if let Some(d) = decimal {
                        expected = expected.replace(d, ".");
                    }
                    assert_eq!(
                        parse_cleaned(s, group, decimal),
                        expected.parse::<f64>().ok(),
                        "{s:?} {group:?} {decimal:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn words_beside_digits_are_the_words_next_to_digits() {
        // The reference: every word of the text, kept when digits are next to it the way
        // `extract_with` looks for them.
        fn reference(text: &str) -> Vec<Range<usize>> {
            super::super::words(text)
                .into_iter()
                .filter(|r| {
                    let before = text[..r.start].trim_end_matches([' ', '.', '\u{a0}']);
                    let after = text[r.end..].trim_start_matches([' ', '\u{a0}']);
                    before.ends_with(|c: char| c.is_ascii_digit())
                        || after.starts_with(|c: char| c.is_ascii_digit())
                })
                .collect()
        }
        let pieces = [
            "28", "3", ".", " ", "\u{a0}", "Juni", "März", "mid-June", "O'Neill", "-", "'", "’",
            "x", "2024", ",", "Ä", "é", "—", "a-", "-b", "12:30", "p.m", "Juni-", "1.500,5",
        ];
        // Every sequence of up to four pieces, and a fixed pseudo-random sample of longer ones.
        let mut texts: Vec<String> = Vec::new();
        for a in pieces {
            for b in pieces {
                texts.push(format!("{a}{b}"));
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..8 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            texts.push(t);
        }
        // Maximal runs of ASCII digits.
        fn runs(text: &str) -> Vec<Range<usize>> {
            let mut out: Vec<Range<usize>> = Vec::new();
            for (i, c) in text.bytes().enumerate() {
                if c.is_ascii_digit() {
                    match out.last_mut() {
                        Some(r) if r.end == i => r.end = i + 1,
                        _ => out.push(i..i + 1),
                    }
                }
            }
            out
        }
        for t in &texts {
            assert_eq!(words_beside_digits(t, &runs(t)), reference(t), "{t:?}");
        }
    }

    fn lang(c: &str) -> Option<Lang> {
        Lang::from_code(c).ok()
    }

    fn keys(t: &str, l: &str) -> Vec<String> {
        extract(t, lang(l)).iter().map(|n| n.value.key()).collect()
    }

    #[test]
    fn locale_aware_values() {
        assert_eq!(keys("1.500,5 Euro", "de"), ["1500.5"]);
        assert_eq!(keys("1,500.5 euros", "en"), ["1500.5"]);
        assert_eq!(keys("2,5 Prozent", "de"), ["2.5"]);
        assert_eq!(keys("2.5 percent", "en"), ["2.5"]);
        assert_eq!(keys("12.000 Menschen", "de"), ["12000"]);
        assert_eq!(keys("12,000 people", "en"), ["12000"]);
        assert_eq!(keys("am 29.06.2022", "de"), ["29", "6", "2022"]);
    }

    #[test]
    fn dates_and_times_match_across_languages() {
        assert!(compare(
            "am 28. Juni um 19:09 Uhr",
            lang("de"),
            "on June 28 at 7:09 p.m.",
            lang("en")
        )
        .is_empty());
        assert!(compare("1.500,5 Tonnen", lang("de"), "1,500.5 tonnes", lang("en")).is_empty());
        assert!(compare("drei Tote", lang("de"), "3 dead", lang("en")).is_empty());
        // A month name without a number is a word, not a date.
        assert!(compare("im Juni", lang("de"), "in the summer", lang("en")).is_empty());
    }

    #[test]
    fn changed_and_missing_numbers() {
        let issues = compare(
            "Es gab 1.500 Festnahmen und 12 Verletzte.",
            lang("de"),
            "There were 1,600 arrests and injuries.",
            lang("en"),
        );
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert!(issues[0].message.contains("changed"));
        assert_eq!(issues[0].text, "1,600");
        assert_eq!(issues[0].suggestion.as_deref(), Some("1500"));
        assert!(issues[1].message.contains("missing"));
        let moved = compare("am 28. Juni", lang("de"), "on July 28", lang("en"));
        assert_eq!(moved.len(), 1, "{moved:?}");
        assert_eq!(moved[0].text, "July");
    }

    /// Sentence pairs from a human translation of TED talks into German (the reference of
    /// the WMT 2021 MQM study): measures converted and rounded, number words and their
    /// compounds are the source's numbers; an unconverted or wrongly converted one is not.
    #[test]
    fn converted_measures_and_compound_number_words() {
        let clean = [
            (
                "The icebergs around me were almost 200 feet out of the water.",
                "Die Eisberge um mich herum ragten beinah 60 Meter aus dem Wasser.",
            ),
            (
                "That's about a 15-foot boat.",
                "Das ist etwa fünf Meter lang.",
            ),
            (
                "Not only will it raise itself to 115 Fahrenheit, 43 or 44 degrees \
                 Centigrade, for two days.",
                "Er erwärmt sich nicht nur auf 43 bis 44 °C für ca. 2 Tage.",
            ),
            (
                "So these projects are large-scale reconfigurable robots -- 8 ft., 12 ft. \
                 long proteins.",
                "Diese Projekte sind großangelegte, rekonfigurierbare Roboter – zweieinhalb \
                 bis vier Meter lange Proteine.",
            ),
            (
                "We have proteins that can fold in 10000 nanoseconds.",
                "Proteine, die sich in zehn Mikrosekunden falten können.",
            ),
            (
                "We have exciting machines -- five years, 2.5 million parts.",
                "Wir haben aufregende Maschinen – fünf Jahre, zweieinhalb Millionen Teile.",
            ),
            (
                "Maybe they collapsed to two black holes -- each one 10 times the mass \
                 of the Sun.",
                "Vielleicht kollabierten sie zu zwei Schwarzen Löchern, jedes mit einer \
                 Masse zehnmal so groß wie die der Sonne.",
            ),
            (
                "Not just a little bit worse, but anything from twice as common to 10 \
                 times as common.",
                "Nicht nur ein bisschen, sondern irgendwo zwischen 2 Mal und 10 Mal so \
                 verbreitet.",
            ),
            (
                "Fourteen billion years pass and this song is still ringing.",
                "14 Milliarden Jahre gehen vorüber, und dieses Lied erklingt noch immer.",
            ),
        ];
        for (en, de) in clean {
            let issues = compare(en, lang("en"), de, lang("de"));
            assert!(issues.is_empty(), "{en} / {de}: {issues:?}");
        }
        let wrong = [
            // The number kept, the unit changed: 200 feet are 61 metres.
            (
                "The icebergs were almost 200 feet out of the water.",
                "Die Eisberge ragten beinah 200 Meter aus dem Wasser.",
                "61",
            ),
            ("It weighs 150 pounds.", "Es wiegt 150 Kilogramm.", "68"),
            ("It was 50 °F outside.", "Draußen waren es 50 °C.", "10"),
        ];
        for (en, de, should) in wrong {
            let issues = compare(en, lang("en"), de, lang("de"));
            assert_eq!(issues.len(), 1, "{en} / {de}: {issues:?}");
            assert_eq!(issues[0].severity, Severity::Error);
            assert_eq!(issues[0].suggestion.as_deref(), Some(should), "{issues:?}");
        }
        // Scale words: written out in digits, or a half of one, are the same number; a
        // false friend (an English billion is a German Milliarde) is not.
        for (en, de) in [
            (
                "So in the current state of manufacturing, we have skyscrapers -- two and a \
                 half years, 500000 to a million parts.",
                "In der gegenwärtigen Fertigungsindustrie haben wir Wolkenkratzer – \
                 zweieinhalb Jahre, eine halbe bis eine Million Teile.",
            ),
            (
                "It is worth 2.5 million dollars.",
                "Es ist 2.500.000 Dollar wert.",
            ),
            (
                "It is worth 2 billion dollars.",
                "Es ist 2 Milliarden Dollar wert.",
            ),
            (
                "Between 2 and 3 million people.",
                "Zwischen 2 und 3 Millionen Menschen.",
            ),
        ] {
            let issues = compare(en, lang("en"), de, lang("de"));
            assert!(issues.is_empty(), "{en} / {de}: {issues:?}");
        }
        let issues = compare(
            "It is worth 2 billion dollars.",
            lang("en"),
            "Es ist 2 Billionen Dollar wert.",
            lang("de"),
        );
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].suggestion.as_deref(), Some("2 Milliarden"));
        let issues = compare(
            "It is worth 2 billion dollars.",
            lang("en"),
            "Vale 2 billones de dólares.",
            lang("es"),
        );
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(compare(
            "It is worth 2 billion dollars.",
            lang("en"),
            "Vale 2 mil millones de dólares.",
            lang("es"),
        )
        .is_empty());
        // Converted, but to another amount: 200 feet are not 90 metres.
        let issues = compare(
            "The icebergs were almost 200 feet out of the water.",
            lang("en"),
            "Die Eisberge ragten beinah 90 Meter aus dem Wasser.",
            lang("de"),
        );
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].message.contains("changed"), "{issues:?}");
    }

    #[test]
    fn months_are_compared_as_months() {
        assert!(compare(
            "vom 18. bis 25. April",
            lang("de"),
            "from the 18th to the 25th of April",
            lang("en")
        )
        .is_empty());
        assert!(compare("am 18.04. wurde", lang("de"), "on April 18", lang("en")).is_empty());
        assert!(compare("el 3 de mayo", lang("es"), "am 3. Mai", lang("de")).is_empty());
        let moved = compare(
            "vom 18. April",
            lang("de"),
            "from the 18th of May",
            lang("en"),
        );
        assert_eq!(moved.len(), 1, "{moved:?}");
    }

    #[test]
    fn clock_times_with_dots_and_words() {
        for (de, en) in [
            ("um 7.15 Uhr", "at 7.15 am"),
            ("um 7.15 Uhr", "at 7:15 a.m."),
            ("um 19 Uhr", "at 7 p.m."),
            ("um 15.34 Uhr", "at 15:34"),
        ] {
            assert!(
                compare(de, lang("de"), en, lang("en")).is_empty(),
                "{de} / {en}"
            );
        }
        assert_eq!(
            compare("um 19 Uhr", lang("de"), "at 8 p.m.", lang("en")).len(),
            1
        );
    }

    #[test]
    fn torn_times_scores_and_hyphened_number_words() {
        // A time with a stray space after its colon is still the time (the spacing check
        // reports the space); without a clock word the two numbers stay two.
        for (en, de) in [
            ("around 1.30pm", "gegen 13: 30 Uhr"),
            ("at 1:30 pm", "um 1: 30 pm"),
            ("won 2-1 last February", "gewann letzten Februar 2:1"),
            ("a twelve-second scene", "eine 12-sekündige Szene"),
            ("a ten-year-old boy", "ein 10-jähriger Junge"),
            ("Step 1: 20 minutes", "Schritt 1: 20 Minuten"),
        ] {
            assert!(
                compare(en, lang("en"), de, lang("de")).is_empty(),
                "{en} / {de}: {:?}",
                compare(en, lang("en"), de, lang("de"))
            );
        }
        assert_eq!(keys("Schritt 1: 20 Minuten", "de").len(), 2);
        // A month beside a day is still the month.
        assert_eq!(keys("am 2. Februar", "de").len(), 2);
        assert_eq!(keys("Februar 2:1", "de").len(), 2);
        // The time read is the time written.
        assert_eq!(
            compare("around 2.30pm", lang("en"), "gegen 13: 30 Uhr", lang("de")).len(),
            1
        );
    }

    #[test]
    fn separators_follow_the_language() {
        assert!(compare("100.000 Menschen", lang("de"), "100,000 people", lang("en")).is_empty());
        let copied = compare("1.000 Menschen", lang("de"), "1.000 people", lang("en"));
        assert_eq!(copied.len(), 1, "{copied:?}");
        assert!(
            copied[0].message.contains("thousands separator"),
            "{copied:?}"
        );
        assert_eq!(copied[0].suggestion.as_deref(), Some("1,000"));
        let decimal = compare("3,5 Prozent", lang("de"), "3,5 percent", lang("en"));
        assert_eq!(decimal.len(), 1, "{decimal:?}");
        assert!(
            decimal[0].message.contains("decimal separator"),
            "{decimal:?}"
        );
        assert_eq!(decimal[0].suggestion.as_deref(), Some("3.5"));
        let german = compare("3.5 percent", lang("en"), "3.5 Prozent", lang("de"));
        assert_eq!(german.len(), 1, "{german:?}");
        assert_eq!(german[0].suggestion.as_deref(), Some("3,5"));
        // An English source written with German grouping (`100.000`: as English, a decimal
        // padded with zeros), copied: a note; a copied English decimal is still an error.
        let kept = compare(
            "no more than 100.000 dates",
            lang("en"),
            "maximal 100.000 Termine",
            lang("de"),
        );
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].severity, Severity::Info, "{kept:?}");
        let slip = compare(
            "about 1.234 dates",
            lang("en"),
            "etwa 1.234 Termine",
            lang("de"),
        );
        assert_eq!(slip.len(), 1, "{slip:?}");
        assert_eq!(slip[0].severity, Severity::Error, "{slip:?}");
    }
    #[test]
    fn a_message_to_the_translators_sets_its_own_numbers() {
        // gnupg's column width, set by each translation (Debian's Spanish catalogue).
        let s = "10 translator see trust.c:uid_trust_string_fixed";
        assert!(compare(s, lang("en"), "13 no apto para supersticiosos", lang("es")).is_empty());
        // Text that merely mentions translators still has its numbers compared.
        let s = "10 translators worked on it";
        assert_eq!(
            compare(s, lang("en"), "13 traductores trabajaron", lang("es")).len(),
            1
        );
    }
}
