//! Reading a Hunspell `.aff`/`.dic` pair: the options the check needs, the affix rules and
//! the stems with their flags, as Hunspell (and spellbook, against which the lexicon is
//! tested) reads them.

use std::path::Path;

use super::LexiconError;

/// A flag, as the `FLAG` directive encodes it (a byte, two bytes, a number or a UTF-16 unit).
pub(crate) type Flag = u16;

/// A sorted set of flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Flags(Box<[Flag]>);

impl Flags {
    fn new(mut v: Vec<Flag>) -> Flags {
        v.sort_unstable();
        v.dedup();
        Flags(v.into_boxed_slice())
    }

    /// Whether the set holds `f`.
    pub(crate) fn has(&self, f: Flag) -> bool {
        self.0.binary_search(&f).is_ok()
    }

    /// Whether the set holds the optional flag `f`.
    pub(crate) fn has_opt(&self, f: Option<Flag>) -> bool {
        f.is_some_and(|f| self.has(f))
    }

    /// The flags, sorted.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        self.0.iter().copied()
    }
}

/// How flags are written (`FLAG`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlagType {
    Short,
    Long,
    Numeric,
    Utf8,
}

/// One element of an affix condition: a character, any character, or a class.
#[derive(Debug, Clone)]
enum CondElem {
    Any,
    Char(char),
    Class { negated: bool, chars: Vec<char> },
}

impl CondElem {
    fn matches(&self, c: char) -> bool {
        match self {
            CondElem::Any => true,
            CondElem::Char(x) => *x == c,
            CondElem::Class { negated, chars } => chars.contains(&c) != *negated,
        }
    }
}

/// An affix condition (`[^aeiou]y`), matched against the start (prefix) or the end
/// (suffix) of the stem it applies to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Condition(Vec<CondElem>);

impl Condition {
    fn parse(s: &str) -> Condition {
        if s == "." {
            return Condition::default();
        }
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '.' => out.push(CondElem::Any),
                '[' => {
                    let negated = chars.next_if_eq(&'^').is_some();
                    let mut class = Vec::new();
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                        class.push(c);
                    }
                    out.push(CondElem::Class {
                        negated,
                        chars: class,
                    });
                }
                c => out.push(CondElem::Char(c)),
            }
        }
        Condition(out)
    }

    /// Whether the first characters of `w` match.
    pub(crate) fn matches_start(&self, w: &str) -> bool {
        let mut chars = w.chars();
        self.0
            .iter()
            .all(|e| chars.next().is_some_and(|c| e.matches(c)))
    }

    /// Whether the last characters of `w` match.
    pub(crate) fn matches_end(&self, w: &str) -> bool {
        let n = self.0.len();
        let tail: Vec<char> = w.chars().rev().take(n).collect();
        tail.len() == n
            && self
                .0
                .iter()
                .zip(tail.iter().rev())
                .all(|(e, &c)| e.matches(c))
    }
}

/// A prefix or suffix rule: `strip` taken from the stem, `add` put in its place, when the
/// stem meets `cond`; `cont` are the flags the affixed form carries on (continuation
/// classes, compound flags, NEEDAFFIX…).
#[derive(Debug, Clone)]
pub(crate) struct Affix {
    /// The flag that names the rule.
    pub(crate) flag: Flag,
    /// Whether the rule combines with affixes of the other kind (`Y`).
    pub(crate) cross: bool,
    pub(crate) strip: String,
    pub(crate) add: String,
    pub(crate) cond: Condition,
    pub(crate) cont: Flags,
}

impl Affix {
    /// The suffixed form of `stem`, if the rule applies.
    pub(crate) fn suffixed(&self, stem: &str) -> Option<String> {
        let base = stem.strip_suffix(self.strip.as_str())?;
        self.cond.matches_end(stem).then(|| {
            let mut w = String::with_capacity(base.len() + self.add.len());
            w.push_str(base);
            w.push_str(&self.add);
            w
        })
    }

    /// The prefixed form of `stem`, if the rule applies (its condition is checked on
    /// `cond_on`, which is `stem` but for one of spellbook's orders of stripping).
    pub(crate) fn prefixed(&self, stem: &str, cond_on: &str) -> Option<String> {
        let base = stem.strip_prefix(self.strip.as_str())?;
        self.cond.matches_start(cond_on).then(|| {
            let mut w = String::with_capacity(base.len() + self.add.len());
            w.push_str(&self.add);
            w.push_str(base);
            w
        })
    }
}

/// An element of a `COMPOUNDRULE`: a flag, once, at most once (`?`) or any number of times
/// (`*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    One,
    Optional,
    Any,
}

/// The options of an `.aff` file that the check uses at run time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) need_affix: Option<Flag>,
    pub(crate) forbidden: Option<Flag>,
    pub(crate) only_in_compound: Option<Flag>,
    pub(crate) keep_case: Option<Flag>,
    pub(crate) circumfix: Option<Flag>,
    pub(crate) compound: Option<Flag>,
    pub(crate) compound_begin: Option<Flag>,
    pub(crate) compound_middle: Option<Flag>,
    pub(crate) compound_end: Option<Flag>,
    pub(crate) compound_permit: Option<Flag>,
    pub(crate) compound_forbid: Option<Flag>,
    /// `COMPOUNDMIN` (default 3).
    pub(crate) compound_min: usize,
    pub(crate) check_triple: bool,
    pub(crate) check_case: bool,
    pub(crate) check_sharps: bool,
    /// `COMPOUNDRULE`s, with the flags as indices into `rule_flags`.
    pub(crate) rules: Vec<Vec<(u8, Repeat)>>,
    /// The flags the rules name (at most 32).
    pub(crate) rule_flags: Vec<Flag>,
    /// `BREAK` patterns (default `-`, `^-`, `-$`).
    pub(crate) breaks: Vec<String>,
    /// `ICONV` pairs.
    pub(crate) iconv: Vec<(String, String)>,
    /// `IGNORE` characters.
    pub(crate) ignore: Vec<char>,
}

impl Options {
    /// Whether the classic compounding (by flags) is on.
    pub(crate) fn compounding(&self) -> bool {
        self.compound.is_some() || self.compound_begin.is_some()
    }

    /// The rule-flag mask of `flags` (bit `i`: `rule_flags[i]`).
    pub(crate) fn rule_mask(&self, flags: &Flags) -> u32 {
        self.rule_flags
            .iter()
            .enumerate()
            .filter(|(_, &f)| flags.has(f))
            .fold(0, |m, (i, _)| m | (1 << i))
    }
}

/// A parsed `.aff` file.
#[derive(Debug, Default)]
pub(crate) struct Aff {
    pub(crate) opts: Options,
    pub(crate) prefixes: Vec<Affix>,
    pub(crate) suffixes: Vec<Affix>,
    flag_type: Option<FlagType>,
    aliases: Vec<Flags>,
}

/// Directives whose effect on the verdict the lexicon does not model: a dictionary that
/// uses one is checked by the caller's fallback.
const UNSUPPORTED: [&str; 11] = [
    "COMPLEXPREFIXES",
    "CHECKCOMPOUNDDUP",
    "CHECKCOMPOUNDREP",
    "CHECKCOMPOUNDPATTERN",
    "COMPOUNDWORDMAX",
    "COMPOUNDROOT",
    "COMPOUNDSYLLABLE",
    "FORCEUCASE",
    "SIMPLIFIEDTRIPLE",
    "FORBIDWARN",
    "SYLLABLENUM",
];

/// Reads a dictionary file as UTF-8, or as ISO 8859-1 when it is not valid UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, LexiconError> {
    let bytes = std::fs::read(path).map_err(|source| LexiconError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().into_iter().map(char::from).collect(),
    })
}

impl Aff {
    /// Parses `.aff` text; with `affixes` false, the PFX/SFX tables are skipped (the check
    /// of a compiled lexicon needs only the options).
    pub(crate) fn parse(text: &str, path: &Path, affixes: bool) -> Result<Aff, LexiconError> {
        let mut aff = Aff {
            opts: Options {
                compound_min: 3,
                breaks: vec!["-".into(), "^-".into(), "-$".into()],
                ..Options::default()
            },
            ..Aff::default()
        };
        let bad = |line: usize, message: String| LexiconError::Parse {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut lines = text.lines().enumerate().peekable();
        let mut breaks_set = false;
        let mut rule_strings = Vec::new();
        while let Some((n, line)) = lines.next() {
            let line = line.trim_start_matches('\u{feff}');
            let mut words = line.split_whitespace();
            let Some(key) = words.next() else { continue };
            let arg = words.next();
            let flag = |aff: &Aff| -> Result<Option<Flag>, LexiconError> {
                match arg {
                    Some(a) => aff
                        .parse_flags(a)
                        .map(|f| f.0.first().copied())
                        .map_err(|m| bad(n + 1, m)),
                    None => Ok(None),
                }
            };
            if UNSUPPORTED.contains(&key) {
                return Err(LexiconError::Unsupported {
                    path: path.to_path_buf(),
                    directive: key.to_string(),
                });
            }
            match key {
                "FLAG" => {
                    aff.flag_type = Some(match arg {
                        Some("long") => FlagType::Long,
                        Some("num") => FlagType::Numeric,
                        Some("UTF-8") => FlagType::Utf8,
                        _ => FlagType::Short,
                    })
                }
                "LANG" if matches!(arg, Some("tr" | "tr_TR" | "az" | "az_AZ" | "crh")) => {
                    return Err(LexiconError::Unsupported {
                        path: path.to_path_buf(),
                        directive: format!("LANG {}", arg.unwrap_or_default()),
                    })
                }
                "NEEDAFFIX" | "PSEUDOROOT" => aff.opts.need_affix = flag(&aff)?,
                "FORBIDDENWORD" => aff.opts.forbidden = flag(&aff)?,
                "ONLYINCOMPOUND" => aff.opts.only_in_compound = flag(&aff)?,
                "KEEPCASE" => aff.opts.keep_case = flag(&aff)?,
                "CIRCUMFIX" => aff.opts.circumfix = flag(&aff)?,
                "COMPOUNDFLAG" => aff.opts.compound = flag(&aff)?,
                "COMPOUNDBEGIN" => aff.opts.compound_begin = flag(&aff)?,
                "COMPOUNDMIDDLE" => aff.opts.compound_middle = flag(&aff)?,
                "COMPOUNDEND" | "COMPOUNDLAST" => aff.opts.compound_end = flag(&aff)?,
                "COMPOUNDPERMITFLAG" => aff.opts.compound_permit = flag(&aff)?,
                "COMPOUNDFORBIDFLAG" => aff.opts.compound_forbid = flag(&aff)?,
                "COMPOUNDMIN" => {
                    let v: usize = arg
                        .and_then(|a| a.parse().ok())
                        .ok_or_else(|| bad(n + 1, "COMPOUNDMIN needs a number".into()))?;
                    aff.opts.compound_min = v.max(1);
                }
                "CHECKCOMPOUNDTRIPLE" => aff.opts.check_triple = true,
                "CHECKCOMPOUNDCASE" => aff.opts.check_case = true,
                "CHECKSHARPS" => aff.opts.check_sharps = true,
                "IGNORE" => aff.opts.ignore = arg.unwrap_or_default().chars().collect(),
                "AF" | "BREAK" | "ICONV" | "COMPOUNDRULE" => {
                    // A table: its size, then that many lines of the same key.
                    let Some(count) = arg.and_then(|a| a.parse::<usize>().ok()) else {
                        // (`AF` lines after the header are entries, read below.)
                        if key == "AF" {
                            if let Some(a) = arg {
                                let f = aff.parse_flags(a).map_err(|m| bad(n + 1, m))?;
                                aff.aliases.push(f);
                            }
                            continue;
                        }
                        return Err(bad(n + 1, format!("{key} needs a count")));
                    };
                    if key == "BREAK" && !breaks_set {
                        aff.opts.breaks.clear();
                        breaks_set = true;
                    }
                    for _ in 0..count {
                        let Some((m, l)) = lines.next() else { break };
                        let mut w = l.split_whitespace();
                        if w.next() != Some(key) {
                            return Err(bad(m + 1, format!("expected a {key} line")));
                        }
                        let a = w.next().unwrap_or_default();
                        match key {
                            "AF" => {
                                let f = aff.parse_flags(a).map_err(|e| bad(m + 1, e))?;
                                aff.aliases.push(f);
                            }
                            "BREAK" => aff.opts.breaks.push(a.to_string()),
                            "ICONV" => {
                                let b = w.next().unwrap_or_default();
                                aff.opts
                                    .iconv
                                    .push((a.to_string(), b.replace('_', " ").to_string()));
                            }
                            _ => rule_strings.push((m + 1, a.to_string())),
                        }
                    }
                }
                "PFX" | "SFX" if affixes => {
                    let (Some(f), Some(cross), Some(count)) = (arg, words.next(), words.next())
                    else {
                        return Err(bad(n + 1, format!("{key} header needs flag, Y/N, count")));
                    };
                    let flag = aff
                        .parse_flags(f)
                        .map_err(|m| bad(n + 1, m))?
                        .0
                        .first()
                        .copied()
                        .ok_or_else(|| bad(n + 1, "empty affix flag".into()))?;
                    let count: usize = count
                        .parse()
                        .map_err(|_| bad(n + 1, format!("{key} count is not a number")))?;
                    let cross = cross == "Y";
                    for _ in 0..count {
                        let Some((m, l)) = lines.next() else { break };
                        let mut w = l.split_whitespace();
                        let (Some(k), Some(_), Some(strip), Some(add)) =
                            (w.next(), w.next(), w.next(), w.next())
                        else {
                            return Err(bad(m + 1, format!("short {key} line")));
                        };
                        if k != key {
                            return Err(bad(m + 1, format!("expected a {key} line")));
                        }
                        let cond = w.next().unwrap_or(".");
                        let (add, cont) = match add.split_once('/') {
                            Some((a, c)) => (a, aff.decode_flags(c).map_err(|e| bad(m + 1, e))?),
                            None => (add, Flags::default()),
                        };
                        let zero = |s: &str| {
                            if s == "0" {
                                String::new()
                            } else {
                                s.to_string()
                            }
                        };
                        let mut add = zero(add);
                        if !aff.opts.ignore.is_empty() {
                            add.retain(|c| !aff.opts.ignore.contains(&c));
                        }
                        let affix = Affix {
                            flag,
                            cross,
                            strip: zero(strip),
                            add,
                            cond: Condition::parse(cond),
                            cont,
                        };
                        if key == "PFX" {
                            aff.prefixes.push(affix);
                        } else {
                            aff.suffixes.push(affix);
                        }
                    }
                }
                _ => {}
            }
        }
        for (line, r) in rule_strings {
            let rule = aff.parse_rule(&r).map_err(|m| bad(line, m))?;
            aff.opts.rules.push(rule);
        }
        aff.opts
            .breaks
            .retain(|b| !b.is_empty() && b != "^" && b != "$");
        Ok(aff)
    }

    fn flag_type(&self) -> FlagType {
        self.flag_type.unwrap_or(FlagType::Short)
    }

    /// Flags as written (no alias lookup).
    fn parse_flags(&self, s: &str) -> Result<Flags, String> {
        let v: Vec<Flag> = match self.flag_type() {
            FlagType::Short => s.bytes().map(Flag::from).collect(),
            FlagType::Long => {
                let b = s.as_bytes();
                if b.len() % 2 == 1 {
                    return Err(format!("long flags '{s}' have an odd length"));
                }
                b.chunks(2)
                    .map(|p| u16::from_ne_bytes([p[0], p[1]]))
                    .collect()
            }
            FlagType::Numeric => s
                .split(',')
                .map(|n| n.parse::<u16>().map_err(|e| format!("flag '{n}': {e}")))
                .collect::<Result<_, _>>()?,
            FlagType::Utf8 => s.encode_utf16().collect(),
        };
        Ok(Flags::new(v))
    }

    /// Flags of a `.dic` entry or an affix's continuation: an `AF` alias number or flags.
    pub(crate) fn decode_flags(&self, s: &str) -> Result<Flags, String> {
        if self.flag_type() != FlagType::Numeric && !self.aliases.is_empty() {
            if let Some(i) = s.parse::<usize>().ok().filter(|&i| i > 0) {
                if let Some(f) = self.aliases.get(i - 1) {
                    return Ok(f.clone());
                }
            }
        }
        self.parse_flags(s)
    }

    fn parse_rule(&mut self, s: &str) -> Result<Vec<(u8, Repeat)>, String> {
        let mut flags = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let flag = match (self.flag_type(), c) {
                (_, '*' | '?') => return Err(format!("COMPOUNDRULE '{s}': misplaced '{c}'")),
                (FlagType::Short, c) if c.is_ascii() => c as u16,
                (FlagType::Utf8, c) => {
                    let mut buf = [0u16; 2];
                    c.encode_utf16(&mut buf)[0]
                }
                (_, '(') => {
                    let inner: String = chars.by_ref().take_while(|&c| c != ')').collect();
                    *self
                        .parse_flags(&inner)?
                        .0
                        .first()
                        .ok_or_else(|| format!("COMPOUNDRULE '{s}': empty ()"))?
                }
                _ => return Err(format!("COMPOUNDRULE '{s}' is not supported")),
            };
            let rep = match chars.peek() {
                Some('?') => Repeat::Optional,
                Some('*') => Repeat::Any,
                _ => Repeat::One,
            };
            if rep != Repeat::One {
                chars.next();
            }
            let idx = match self.opts.rule_flags.iter().position(|&f| f == flag) {
                Some(i) => i,
                None => {
                    if self.opts.rule_flags.len() == 32 {
                        return Err("more than 32 flags in COMPOUNDRULEs".into());
                    }
                    self.opts.rule_flags.push(flag);
                    self.opts.rule_flags.len() - 1
                }
            };
            flags.push((idx as u8, rep));
        }
        Ok(flags)
    }
}

/// A `.dic` entry: the stem and its flags; `hidden` for the title-case twin that a
/// mixed-case or all-capitals entry with flags gets (checked only in some case forms).
#[derive(Debug)]
pub(crate) struct Stem {
    pub(crate) word: String,
    pub(crate) flags: Flags,
    pub(crate) hidden: bool,
}

/// Reads the `.dic` text into stems, in file order.
pub(crate) fn parse_dic(aff: &Aff, text: &str, path: &Path) -> Result<Vec<Stem>, LexiconError> {
    let mut lines = text.lines().enumerate();
    // The first line is the entry count (a hint).
    let first = lines
        .next()
        .map(|(_, l)| l.trim().trim_start_matches('\u{feff}'));
    if first
        .and_then(|l| l.split_whitespace().next()?.parse::<usize>().ok())
        .is_none()
    {
        return Err(LexiconError::Parse {
            path: path.to_path_buf(),
            line: 1,
            message: "the first line must be the number of entries".into(),
        });
    }
    let mut stems = Vec::new();
    for (n, line) in lines {
        let line = line.trim();
        if line.is_empty() || (line.starts_with('/') && line.len() > 1) {
            continue;
        }
        let (word, flags) = split_dic_line(line);
        let flags = aff
            .decode_flags(&flags)
            .map_err(|message| LexiconError::Parse {
                path: path.to_path_buf(),
                line: n + 1,
                message,
            })?;
        let mut word = word;
        if !aff.opts.ignore.is_empty() {
            word.retain(|c| !aff.opts.ignore.contains(&c));
        }
        let casing = super::Casing::of(&word);
        if (matches!(casing, super::Casing::Mixed | super::Casing::MixedInit)
            && !flags.has_opt(aff.opts.forbidden))
            || (casing == super::Casing::All && !flags.0.is_empty())
        {
            stems.push(Stem {
                word: super::titlecase(&word),
                flags: flags.clone(),
                hidden: true,
            });
        }
        stems.push(Stem {
            word,
            flags,
            hidden: false,
        });
    }
    Ok(stems)
}

/// A `.dic` line as word and flag text: the word ends at an unescaped `/` (not the first
/// character), a tab, or a space before a morphological field (`po:noun`).
fn split_dic_line(line: &str) -> (String, String) {
    let mut word = String::with_capacity(line.len());
    let mut escaped = false;
    let mut rest = None;
    for (i, c) in line.char_indices() {
        match c {
            '/' if escaped => {
                word.pop();
                word.push('/');
            }
            '/' if i != 0 => {
                rest = Some(&line[i + 1..]);
                break;
            }
            '\t' => break,
            ' ' => {
                let next = line[i + 1..].trim_start();
                let mut cs = next.chars();
                let field = cs.next().is_some_and(char::is_lowercase)
                    && cs.next().is_some_and(char::is_lowercase)
                    && cs.next() == Some(':');
                if field {
                    break;
                }
                word.push(c);
            }
            c => word.push(c),
        }
        escaped = c == '\\';
    }
    let flags = rest
        .map(|r| r.split_whitespace().next().unwrap_or_default().to_string())
        .unwrap_or_default();
    (word, flags)
}
