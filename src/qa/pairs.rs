//! The checks translators of software catalogues rely on (those of translate-toolkit's
//! `pofilter`), on a source unit and its translation: printf and brace placeholders,
//! leading and trailing whitespace, doubled spaces, end punctuation, URLs, e-mail
//! addresses, XML/HTML tags and accelerator keys. Each is its own check; each compares the
//! target with its source, so that what the source does itself is never reported.

use std::borrow::Cow;
use std::ops::Range;

use super::{CheckKind, Raw, Severity};

/// What a plural form of a catalogue entry may do with the placeholders of its source, as
/// gettext's `msgfmt --check` allows.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Plural<'a> {
    /// The entry's other source (`msgid_plural` for `msgstr[0]`), whose placeholders the
    /// form may hold too: Russian `msgstr[0]` also serves 21, 31, … (`%(count)s час` for
    /// `an hour`).
    pub also: Option<&'a str>,
    /// The form stands for one count only (German `msgstr[0]`), so it may leave the count
    /// out (`Eine Datei` for `%d file`).
    pub single_count: bool,
}

impl Plural<'_> {
    /// Takes out of `src` and `tgt` what the form may do: target placeholders that only
    /// the other source has, and, in a form for one count, source placeholders of a count
    /// (an integer conversion or a named placeholder) that the target leaves out.
    fn allow(
        &self,
        tokens: fn(&str) -> Vec<Range<usize>>,
        source: &str,
        src: &mut Vec<Range<usize>>,
        target: &str,
        tgt: &mut Vec<Range<usize>>,
    ) {
        if self.also.is_none() && !self.single_count {
            return;
        }
        // Which placeholders each side has that the other lacks (as multisets).
        let mut unmatched = vec![true; src.len()];
        let mut extra = vec![false; tgt.len()];
        for (j, r) in tgt.iter().enumerate() {
            let key = token_key(&target[r.clone()]);
            match (0..src.len())
                .find(|&i| unmatched[i] && token_key(&source[src[i].clone()]) == key)
            {
                Some(i) => unmatched[i] = false,
                None => extra[j] = true,
            }
        }
        if let Some(also) = self.also {
            let mut theirs: Vec<&str> = tokens(also).into_iter().map(|r| &also[r]).collect();
            let mut j = 0;
            tgt.retain(|r| {
                j += 1;
                if !extra[j - 1] {
                    return true;
                }
                let key = token_key(&target[r.clone()]);
                match theirs.iter().position(|a| token_key(a) == key) {
                    Some(k) => {
                        theirs.remove(k);
                        false
                    }
                    None => true,
                }
            });
        }
        if self.single_count {
            let mut i = 0;
            src.retain(|r| {
                i += 1;
                !(unmatched[i - 1] && counts(&source[r.clone()]))
            });
        }
    }
}

/// Whether a placeholder can stand for a count: an integer conversion (`%d`, `%lu`,
/// `%2$d`) or one filled by name or number (`%(count)s`, `{n}`, `{0}`), whose absence
/// shifts no other argument.
fn counts(p: &str) -> bool {
    if named(p) || p.starts_with('{') {
        return true;
    }
    p.starts_with('%') && p.ends_with(['d', 'i', 'u'])
}

/// The pair checks that are enabled, run over one unit (`plural`: what a plural form of a
/// catalogue entry may do besides).
pub(super) fn check(
    source: &str,
    target: &str,
    plural: Plural<'_>,
    enabled: impl Fn(CheckKind) -> bool,
    out: &mut Vec<Raw>,
) {
    if target.trim().is_empty() || source.trim().is_empty() {
        return;
    }
    if enabled(CheckKind::Printf)
        && (source.contains('%') || target.contains('%'))
        && !(date_format(source) && date_format(target))
    {
        let (mut src, mut tgt) = (printf(source), printf(target));
        reordered(source, &mut src, target, &mut tgt);
        plural.allow(printf, source, &mut src, target, &mut tgt);
        compare_tokens(
            CheckKind::Printf,
            "printf placeholder",
            &src,
            source,
            &tgt,
            target,
            out,
        );
    }
    if enabled(CheckKind::BraceFormat) && (source.contains('{') || target.contains('{')) {
        let (mut src, mut tgt) = (braces(source), braces(target));
        numbered_fields(source, &mut src, target, &mut tgt);
        plural.allow(braces, source, &mut src, target, &mut tgt);
        compare_tokens(
            CheckKind::BraceFormat,
            "placeholder",
            &src,
            source,
            &tgt,
            target,
            out,
        );
    }
    if enabled(CheckKind::Url) && (source.contains("://") || target.contains("://")) {
        compare_tokens(
            CheckKind::Url,
            "URL",
            &urls(source),
            source,
            &urls(target),
            target,
            out,
        );
    }
    if enabled(CheckKind::Email) && (source.contains('@') || target.contains('@')) {
        compare_tokens(
            CheckKind::Email,
            "e-mail address",
            &emails(source),
            source,
            &emails(target),
            target,
            out,
        );
    }
    if enabled(CheckKind::XmlTags) && (source.contains('<') || target.contains('<')) {
        compare_tokens(
            CheckKind::XmlTags,
            "tag",
            &tags(source),
            source,
            &tags(target),
            target,
            out,
        );
    }
    if enabled(CheckKind::Accelerator) {
        accelerator(source, target, out);
    }
    if enabled(CheckKind::LeadingWhitespace) {
        let (s, t) = (lead(source), lead(target));
        if s != t {
            out.push(Raw {
                span: Some(0..t.len()),
                text: t.to_string(),
                suggestion: Some(s.to_string()),
                ..Raw::new(
                    CheckKind::LeadingWhitespace,
                    Severity::Warning,
                    format!(
                        "leading whitespace differs from the source ({} in the source, {} here)",
                        describe_ws(s),
                        describe_ws(t)
                    ),
                )
            });
        }
    }
    if enabled(CheckKind::TrailingWhitespace) {
        let (s, t) = (trail(source), trail(target));
        if s != t {
            out.push(Raw {
                span: Some(target.len() - t.len()..target.len()),
                text: t.to_string(),
                suggestion: Some(s.to_string()),
                ..Raw::new(
                    CheckKind::TrailingWhitespace,
                    Severity::Warning,
                    format!(
                        "trailing whitespace differs from the source ({} in the source, {} here)",
                        describe_ws(s),
                        describe_ws(t)
                    ),
                )
            });
        }
    }
    if enabled(CheckKind::DoubleSpace) {
        let (s, t) = (double_spaces(source), double_spaces(target));
        // Double spaces taken out are a tidy-up; added ones are a slip. Two spaces after a
        // sentence (`…each one.  These fields`, the typing of man pages) and two between
        // words are counted apart: a translator who drops the first kind and slips in the
        // second has added one.
        // (Sentence spacing: after a full stop, `?` or `!` and before no lowercase letter
        // (`en %s.  %s agregado`); spaces that line up columns, `activation:  (size`, are
        // no sentence's.)
        let after_stop = |text: &str, r: &Range<usize>| {
            text[..r.start]
                .trim_end_matches(['"', '\'', ')', ']', '»', '”', '’', '>'])
                .ends_with(['.', '!', '?'])
                && !text[r.end..].starts_with(char::is_lowercase)
        };
        let inside = |text: &str, rs: &[Range<usize>]| -> Vec<Range<usize>> {
            rs.iter()
                .filter(|r| !after_stop(text, r))
                .cloned()
                .collect()
        };
        // Only sentence spacing added (`configuré(s).  Fonctionne` for a source spaced
        // once) is the translator's typing convention: a note.
        let (s_in, t_in) = (inside(source, &s), inside(target, &t));
        let (t, s, severity) = if t_in.len() > s_in.len() {
            (t_in, s_in, Severity::Warning)
        } else if t.len() > s.len() {
            (t, s, Severity::Info)
        } else {
            (t, s, Severity::Warning)
        };
        if t.len() > s.len() {
            let span = t.first().cloned();
            out.push(Raw {
                text: span
                    .clone()
                    .map_or(String::new(), |r| target[r].to_string()),
                span,
                ..Raw::new(
                    CheckKind::DoubleSpace,
                    severity,
                    format!(
                        "{} double space(s) inside the text, the source has {}",
                        t.len(),
                        s.len()
                    ),
                )
            });
        }
    }
    if enabled(CheckKind::EndPunctuation) {
        end_punctuation(source, target, out);
    }
}

fn lead(s: &str) -> &str {
    &s[..s.len() - s.trim_start().len()]
}

fn trail(s: &str) -> &str {
    &s[s.trim_end().len()..]
}

fn describe_ws(s: &str) -> String {
    if s.is_empty() {
        return "none".into();
    }
    let newlines = s.matches('\n').count();
    let spaces = s.chars().filter(|c| *c == ' ' || *c == '\u{a0}').count();
    let tabs = s.matches('\t').count();
    let mut parts = Vec::new();
    if spaces > 0 {
        parts.push(format!("{spaces} space(s)"));
    }
    if tabs > 0 {
        parts.push(format!("{tabs} tab(s)"));
    }
    if newlines > 0 {
        parts.push(format!("{newlines} line break(s)"));
    }
    parts.join(", ")
}

/// Runs of two or more spaces between two non-space characters on one line.
fn double_spaces(s: &str) -> Vec<Range<usize>> {
    // (Most texts have no two spaces in a row at all.)
    if !s.contains("  ") {
        return Vec::new();
    }
    double_spaces_scan(s)
}

/// The line-by-line scan of [`double_spaces`].
fn double_spaces_scan(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (line_start, line) in line_offsets(s) {
        let body = line.trim();
        let off = line_start + (line.len() - line.trim_start().len());
        let b = body.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b' ' && b.get(i + 1) == Some(&b' ') {
                let mut e = i;
                while e < b.len() && b[e] == b' ' {
                    e += 1;
                }
                out.push(off + i..off + e);
                i = e;
            } else {
                i += 1;
            }
        }
    }
    out
}

fn line_offsets(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    s.split('\n').map(move |l| {
        let at = pos;
        pos += l.len() + 1;
        (at, l)
    })
}

/// The argument number of a printf placeholder that has one (`%2$s`: 2) and the byte
/// where the rest of the placeholder begins after its `$` (`%2$s`: 3).
pub(super) fn printf_argument(p: &str) -> Option<(usize, usize)> {
    let rest = p.strip_prefix('%')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && rest.as_bytes().get(digits) == Some(&b'$'))
        .then(|| rest[..digits].parse().ok().map(|n| (n, digits + 2)))
        .flatten()
}

/// Takes out of `src` and `tgt` the placeholders that a translation numbers to reorder
/// them (`%s … %s` / `%2$s … %1$s`, as gettext allows): a target's `%N$…` is the source's
/// N-th placeholder when it is the same but for the number.
fn reordered(source: &str, src: &mut Vec<Range<usize>>, target: &str, tgt: &mut Vec<Range<usize>>) {
    if src
        .iter()
        .any(|r| printf_argument(&source[r.clone()]).is_some())
        || !tgt
            .iter()
            .any(|r| printf_argument(&target[r.clone()]).is_some())
    {
        return;
    }
    let mut matched = vec![false; src.len()];
    tgt.retain(|r| {
        let t = &target[r.clone()];
        let Some((n, skip)) = printf_argument(t) else {
            return true;
        };
        let Some(s) = n.checked_sub(1).and_then(|i| src.get(i)) else {
            return true;
        };
        let s = &source[s.clone()];
        if matched[n - 1] || s.get(1..) != t.get(skip..) {
            return true;
        }
        matched[n - 1] = true;
        false
    });
    let mut k = 0;
    src.retain(|_| {
        k += 1;
        !matched[k - 1]
    });
}

/// Whether `s` is a date format of `strftime` (`%b %d, %Y`, `%d.%m.%Y %H:%M`): it has a
/// year (`%Y`, `%y`), which no printf conversion is. (Other directives are not enough:
/// binutils' messages write `%B`, `%A` and `%H` for their own arguments.) A translation
/// writes the date in its own order and fields, so the printf check leaves the pair alone.
fn date_format(s: &str) -> bool {
    let b = s.as_bytes();
    let year = (1..b.len())
        .any(|i| b[i - 1] == b'%' && matches!(b[i], b'Y' | b'y') && (i < 2 || b[i - 2] != b'%'));
    // A format, not a text about formats (`date --help`): at most two words outside its
    // directives (` %A, den %d. %B %Y`).
    year && {
        let mut words = 0;
        let mut prev = ' ';
        let mut in_word = false;
        for c in s.chars() {
            let letter = c.is_alphabetic() && prev != '%';
            if letter && !in_word {
                words += 1;
            }
            in_word = letter;
            prev = c;
        }
        words <= 2
    }
}

/// The field number of a `str.format` field (`{0}`, `{1:>8}`) and the length of `{` and the
/// number; `Some(None)` for a field numbered automatically (`{}`, `{:>8}`, `{!r}`); `None` for
/// any other token (`{name}`, a template's `{{ name }}`).
fn field_number(p: &str) -> Option<Option<(usize, usize)>> {
    let rest = p.strip_prefix('{')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    match rest.as_bytes().get(digits) {
        Some(b'}' | b':' | b'!') if digits == 0 => Some(None),
        Some(b'}' | b':' | b'!') => Some(rest[..digits].parse().ok().map(|n| (n, digits + 1))),
        _ => None,
    }
}

/// Takes out of `src` and `tgt` the fields that a translation numbers (`{}` / `{0}`, which
/// Python's `str.format` fills alike): when every field of the source is numbered
/// automatically and the target numbers all of its own, a target's `{N…}` is the source's
/// N-th field (counted from 0) if the two are the same but for the number.
fn numbered_fields(
    source: &str,
    src: &mut Vec<Range<usize>>,
    target: &str,
    tgt: &mut Vec<Range<usize>>,
) {
    let fields = |text: &str, rs: &[Range<usize>]| -> Vec<Option<(usize, usize)>> {
        rs.iter()
            .filter_map(|r| field_number(&text[r.clone()]))
            .collect()
    };
    let (s, t) = (fields(source, src), fields(target, tgt));
    if s.is_empty()
        || s.iter().any(Option::is_some)
        || t.is_empty()
        || t.iter().any(Option::is_none)
    {
        return;
    }
    // The source's automatic fields, in order (every field token of the source is one).
    let auto: Vec<usize> = (0..src.len())
        .filter(|&i| field_number(&source[src[i].clone()]).is_some())
        .collect();
    let mut matched = vec![false; auto.len()];
    tgt.retain(|r| {
        let t = &target[r.clone()];
        let Some(Some((n, skip))) = field_number(t) else {
            return true;
        };
        let Some(&i) = auto.get(n) else {
            return true;
        };
        if matched[n] || source[src[i].clone()].get(1..) != t.get(skip..) {
            return true;
        }
        matched[n] = true;
        false
    });
    let taken: Vec<usize> = (0..auto.len())
        .filter(|&k| matched[k])
        .map(|k| auto[k])
        .collect();
    let mut i = 0;
    src.retain(|_| {
        i += 1;
        !taken.contains(&(i - 1))
    });
}

/// Tokens compared as multisets: each token of the source missing in the target and each
/// token of the target not in the source is reported (one finding per token; a changed
/// token is one finding naming both).
fn compare_tokens(
    check: CheckKind,
    what: &str,
    src: &[Range<usize>],
    source: &str,
    tgt: &[Range<usize>],
    target: &str,
    out: &mut Vec<Raw>,
) {
    let mut left: Vec<&str> = src.iter().map(|r| &source[r.clone()]).collect();
    let mut extra: Vec<Range<usize>> = Vec::new();
    for r in tgt {
        let t = token_key(&target[r.clone()]);
        match left.iter().position(|s| token_key(s) == t) {
            Some(i) => {
                left.remove(i);
            }
            None => extra.push(r.clone()),
        }
    }
    // A named placeholder (`{name}`, `%(name)s`) is filled by name: written once or twice
    // (`another {name} below` left out in German), it is the same placeholder. Not where
    // it is glued to code before it (`ATTRS{attribute}` of a udev rule).
    if matches!(check, CheckKind::Printf | CheckKind::BraceFormat) {
        let standalone = |text: &str, r: &Range<usize>| {
            !text[..r.start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '$' | '%' | '_'))
        };
        // Every occurrence of `p` in `text` stands alone, and `other` has `p` too.
        let by_name =
            |p: &str, text: &str, own: &[Range<usize>], other: &str, theirs: &[Range<usize>]| {
                named(p)
                    && own
                        .iter()
                        .filter(|r| &text[(*r).clone()] == p)
                        .all(|r| standalone(text, r))
                    && theirs.iter().any(|r| &other[r.clone()] == p)
            };
        left.retain(|s| !by_name(s, source, src, target, tgt));
        extra.retain(|r| !by_name(&target[r.clone()], target, tgt, source, src));
    }
    // Which differences are errors: translators localise example e-mail addresses and
    // add their team's, so those are notes; a placeholder whose conversion is the same
    // but whose flags or width differ (`%#llx` / `0x%llx`) prints the same value; a
    // metavariable in capitals translated (`{HEXNUMBER}` / `{HEXZAHL}`) is no placeholder
    // of a format.
    let grade = |s: Option<&str>, t: Option<&str>| match check {
        // An address replaced by another (an example localised, the team's own added) is
        // routine; one lost or garbled (two edits from the source's) is not.
        CheckKind::Email => match (s, t) {
            (Some(s), Some(t)) if near(s, t) => Severity::Error,
            (_, Some(_)) => Severity::Info,
            _ => Severity::Warning,
        },
        // A link moved to https, to the translation's own page or elsewhere on the same
        // site is routine (a note); one garbled (two edits) or to another site is not.
        CheckKind::Url => match (s, t) {
            (Some(s), Some(t)) => url_change(s, t),
            _ => Severity::Error,
        },
        // A tag whose only change is its link (`<ulink url="…">`) is graded as the link;
        // an empty element written the other way (`<br>` / `<br/>`) by how it reads in XML.
        CheckKind::XmlTags => match (s, t) {
            (Some(s), Some(t)) if reclosed(s, t).is_some() => {
                if reclosed(s, t) == Some(true) {
                    Severity::Info
                } else {
                    Severity::Warning
                }
            }
            (Some(s), Some(t)) => match (urls(s).as_slice(), urls(t).as_slice()) {
                ([a], [b]) if s[..a.start] == t[..b.start] && s[a.end..] == t[b.end..] => {
                    url_change(&s[a.clone()], &t[b.clone()])
                }
                _ => Severity::Error,
            },
            _ => Severity::Error,
        },
        CheckKind::Printf => match (s, t) {
            (Some(s), Some(t)) if same_conversion(s, t) => Severity::Warning,
            _ => Severity::Error,
        },
        CheckKind::BraceFormat => match (s, t) {
            (Some(s), Some(t)) if metavariable(s) && metavariable(t) => Severity::Warning,
            _ => Severity::Error,
        },
        _ => Severity::Error,
    };
    if check == CheckKind::XmlTags {
        set_off_pairs(&mut left, &mut extra, source, target, out);
    }
    let pairs = left.len().min(extra.len());
    for (s, r) in left.iter().zip(&extra).take(pairs) {
        let t = &target[r.clone()];
        out.push(Raw {
            span: Some(r.clone()),
            text: t.to_string(),
            suggestion: Some(s.to_string()),
            ..Raw::new(
                check,
                grade(Some(s), Some(t)),
                format!("{what} changed: `{s}` in the source, `{t}` here"),
            )
        });
    }
    for s in &left[pairs..] {
        out.push(Raw {
            text: s.to_string(),
            ..Raw::new(
                check,
                grade(Some(s), None),
                format!("{what} `{s}` of the source is missing"),
            )
        });
    }
    for r in &extra[pairs..] {
        let t = &target[r.clone()];
        out.push(Raw {
            span: Some(r.clone()),
            text: t.to_string(),
            ..Raw::new(
                check,
                grade(None, Some(t)),
                format!("{what} `{t}` is not in the source"),
            )
        });
    }
}

/// Whether `t` is the tag `s` with only its self-closing slash added or taken away (`<br>`,
/// `<br/>`, `<br />`): `Some(true)` when `t` is the self-closed one (well-formed in XML and
/// read alike in HTML), `Some(false)` when `t` lost the slash (not well-formed in XML).
fn reclosed(s: &str, t: &str) -> Option<bool> {
    let inner = |tag: &str| -> Option<(String, bool)> {
        let body = tag.strip_prefix('<')?.strip_suffix('>')?;
        if body.starts_with('/') {
            return None;
        }
        let (body, closed) = match body.strip_suffix('/') {
            Some(b) => (b.trim_end(), true),
            None => (body.trim_end(), false),
        };
        Some((body.to_ascii_lowercase(), closed))
    };
    let ((sb, sc), (tb, tc)) = (inner(s)?, inner(t)?);
    (sb == tb && sc != tc).then_some(tc)
}

/// How much a link changed from `s` to `t` matters: moved to https, to the translation's
/// own page or elsewhere on the same site is routine (a note); garbled (two edits) or to
/// another site is an error.
fn url_change(s: &str, t: &str) -> Severity {
    if (example_url(s) && example_url(t) && skeleton(s) == skeleton(t))
        || (!near(s, t) && url_host(s) == url_host(t))
        || language_swap(s, t)
        || (url_host(s) == url_host(t) && scheme_only(s, t))
        || example_domain_localised(s, t)
    {
        Severity::Info
    } else {
        Severity::Error
    }
}

/// Whether `t` is the link `s` to a domain reserved for examples (RFC 2606: `example.com`,
/// `example.org`, `example.net`, `….example`, `….test`, `….invalid`) with only that domain's
/// name translated (`http://www.example.com/` → `http://www.ejemplo.com/`): an example, as a
/// translator localises it. Scheme, path and top-level domain stay.
fn example_domain_localised(s: &str, t: &str) -> bool {
    let (hs, ht) = (url_host(s), url_host(t));
    let reserved = {
        let h = hs.to_ascii_lowercase();
        ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| h == *d || h.ends_with(&format!(".{d}")))
            || [".example", ".test", ".invalid"]
                .iter()
                .any(|tld| h.ends_with(tld))
    };
    let (Some(is), Some(it)) = (s.find(hs), t.find(ht)) else {
        return false;
    };
    reserved
        && hs != ht
        && s[..is] == t[..it]
        && s[is + hs.len()..] == t[it + ht.len()..]
        && hs.rsplit('.').next() == ht.rsplit('.').next()
}

/// Whether a placeholder is filled by name: `{name}`, `{{ name }}`, `%(name)s` or
/// `%name%`, not `{}`, `{0}` or `%s`.
fn named(p: &str) -> bool {
    let inner = if let Some(rest) = p.strip_prefix("%(") {
        rest.split(')').next().unwrap_or("")
    } else if let Some(rest) = p.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
        // A template's `{{ name }}` (Twig, Jinja), not one with filters or calls.
        rest.trim()
    } else if let Some(rest) = p.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        rest
    } else if let Some(rest) = p.strip_prefix('%').and_then(|r| r.strip_suffix('%')) {
        // Symfony's `%name%`.
        rest
    } else {
        return false;
    };
    inner
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && inner.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Whether URL `t` is `s` with one language code for another (`…/en/releases/` /
/// `…/fr/releases/`, `?lang=en` / `?lang=de`): the link to the translation's own page.
fn language_swap(s: &str, t: &str) -> bool {
    fn parts(u: &str) -> Vec<&str> {
        u.split(|c: char| !c.is_ascii_alphanumeric()).collect()
    }
    let (a, b) = (parts(s), parts(t));
    let code = |p: &str| p.len() == 2 && p.bytes().all(|c| c.is_ascii_lowercase());
    a.len() == b.len() && {
        let differ: Vec<(&&str, &&str)> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
        matches!(differ.as_slice(), [(x, y)] if code(x) && code(y)) && s.len() == t.len()
    }
}

/// Inline elements that only set words off (a quotation, emphasis, a foreign word, a
/// title, a superscript ordinal's ending): their rendering is the translation's own, so that a translator may set off a
/// button's name (`wenn Sie <quote>Manuell</quote> wählen`) or a word kept in English
/// (`<emphasis>framebuffer</emphasis>`), or write the language's own quotation marks
/// instead of a `<quote>` pair. Such a pair changes no structure of the text.
const SET_OFF: [&str; 16] = [
    "quote",
    "q",
    "emphasis",
    "em",
    "i",
    "b",
    "strong",
    "u",
    "cite",
    "citetitle",
    "foreignphrase",
    "firstterm",
    "wordasword",
    "tt",
    "sup",
    "sub",
];

/// The element name of a tag and whether it closes (`</quote>` → `("quote", true)`);
/// `None` for a self-closing tag.
fn tag_name(tag: &str) -> Option<(&str, bool)> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    if inner.ends_with('/') {
        return None;
    }
    let (closing, body) = match inner.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, inner),
    };
    let name = body.split(char::is_whitespace).next().unwrap_or("");
    Some((name, closing))
}

/// Takes whole pairs of [`SET_OFF`] tags that one side has and the other lacks out of the
/// unmatched tags (`left`: the source's, `extra`: the target's), as notes: as many opening
/// as closing tags of the element, opening first, on the side that has them. A lone
/// opening or closing tag left behind (a tag lost, `<b>` for `<p>`) stays an error, and so
/// does a pair when either text writes the element's tags unbalanced (a lone `<quote>`,
/// which [`tags`] takes for no tag, is a partner lost).
fn set_off_pairs(
    left: &mut Vec<&str>,
    extra: &mut Vec<Range<usize>>,
    source: &str,
    target: &str,
    out: &mut Vec<Raw>,
) {
    // As many opening as closing tags of `name` written in `text`, tags or not.
    fn balanced(text: &str, name: &str) -> bool {
        let opening = [">", " ", "\t", "\n"]
            .iter()
            .map(|end| text.matches(&format!("<{name}{end}")).count())
            .sum::<usize>();
        opening == text.matches(&format!("</{name}>")).count()
    }
    // Whether the tags (in text order) of element `name` among `tags` form whole pairs.
    fn whole_pairs<'t>(tags: impl Iterator<Item = &'t str>, name: &str) -> Option<usize> {
        let (mut depth, mut pairs) = (0usize, 0usize);
        for t in tags {
            match tag_name(t) {
                Some((n, false)) if n.eq_ignore_ascii_case(name) => depth += 1,
                Some((n, true)) if n.eq_ignore_ascii_case(name) => {
                    depth = depth.checked_sub(1)?;
                    pairs += 1;
                }
                _ => {}
            }
        }
        (depth == 0 && pairs > 0).then_some(pairs)
    }
    let of = |t: &str, name: &str| tag_name(t).is_some_and(|(n, _)| n.eq_ignore_ascii_case(name));
    for name in SET_OFF {
        // Whole pairs on either side first (a look at the few unmatched tags), the texts
        // searched for the element's tags only then.
        let ours = whole_pairs(left.iter().copied(), name);
        let theirs = whole_pairs(extra.iter().map(|r| &target[r.clone()]), name);
        if (ours.is_none() && theirs.is_none())
            || !balanced(source, name)
            || !balanced(target, name)
        {
            continue;
        }
        if let Some(pairs) = ours {
            left.retain(|t| !of(t, name));
            out.push(Raw::new(
                CheckKind::XmlTags,
                Severity::Info,
                format!(
                    "{pairs} `<{name}>` pair(s) of the source left out (the words are set off otherwise or not at all)"
                ),
            ));
        }
        if let Some(pairs) = theirs {
            let first = extra
                .iter()
                .find(|r| of(&target[(*r).clone()], name))
                .cloned();
            extra.retain(|r| !of(&target[r.clone()], name));
            out.push(Raw {
                text: first
                    .clone()
                    .map_or(String::new(), |r| target[r].to_string()),
                span: first,
                ..Raw::new(
                    CheckKind::XmlTags,
                    Severity::Info,
                    format!(
                        "{pairs} `<{name}>` pair(s) that the source does not have set words off"
                    ),
                )
            });
        }
    }
}

/// The host of a URL without `www.` (`gnu.org` of `https://www.gnu.org/help`).
fn url_host(u: &str) -> &str {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host)
}

/// Whether a URL names no real host, but a placeholder word that a translation may
/// translate (`smb://user:password@server/printer`): its host, without user and port, has
/// no dot and is no `localhost`.
fn example_url(u: &str) -> bool {
    let host = url_host(u);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    !host.is_empty()
        && !host.contains(['.', '[', '%', '{', '$'])
        && !host.eq_ignore_ascii_case("localhost")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The scheme and the punctuation of a URL, in order (`smb://:@/` of
/// `smb://user:password@server/printer`): what stays when its placeholder words are
/// translated.
fn skeleton(u: &str) -> String {
    let (scheme, rest) = u.split_once("://").unwrap_or(("", u));
    let mut out = scheme.to_ascii_lowercase() + "://";
    out.extend(rest.chars().filter(|c| !c.is_alphanumeric()));
    out
}

/// Whether two URLs differ only in their scheme and a `www.` (`http://www.gnu.org/x`,
/// `https://gnu.org/x`).
fn scheme_only(s: &str, t: &str) -> bool {
    let strip = |u: &str| -> String {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        rest.strip_prefix("www.").unwrap_or(rest).to_string()
    };
    strip(s) == strip(t)
}

/// Whether `t` is `s` with at most two characters changed.
fn near(s: &str, t: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (s.chars().collect(), t.chars().collect());
    super::lexicon::distance_within(&a, &b, 2) <= 2
}

/// Whether two printf conversions take the same argument the same way: the same argument
/// position, length modifier and conversion letter (flags, width and precision may
/// differ).
fn same_conversion(s: &str, t: &str) -> bool {
    let core = |p: &str| -> (String, String) {
        let body = &p[1..];
        let position = body
            .find('$')
            .map_or(String::new(), |k| body[..k].to_string());
        let tail: String = body
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '@')
            .collect();
        (position, tail)
    };
    // A placeholder filled by name (`%(name)s`, `%name%`) is another one by another name.
    let by_name = |p: &str| p.starts_with("%(") || (p.len() > 2 && p.ends_with('%'));
    !by_name(s) && !by_name(t) && core(s) == core(t)
}

/// Whether a brace placeholder is a metavariable of a usage message: a word in capitals
/// (`{HEXNUMBER}`), not a format's index or name.
fn metavariable(p: &str) -> bool {
    let inner = p.trim_start_matches('{').trim_end_matches('}');
    inner.chars().count() >= 3
        && inner.chars().all(|c| c.is_uppercase() || c == '_')
        && inner.chars().any(char::is_alphabetic)
}

/// printf conversions: `%s`, `%d`, `%5.2f`, `%-10s`, `%1$s`, `%lu`, `%zu`, `%(name)s`;
/// `%%` is a literal percent sign.
pub fn printf(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'%') {
            i += 2;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        // A placeholder named between two signs (`%minutes%` of Symfony, `%name%`): one
        // token, not the conversion `%m` and text.
        if let Some(end) = percent_named(b, i) {
            out.push(start..end);
            i = end;
            continue;
        }
        // Python's `%(name)s`.
        if b.get(j) == Some(&b'(') {
            match s[j..].find(')') {
                Some(k) if k > 1 => j += k + 1,
                _ => {
                    i += 1;
                    continue;
                }
            }
        } else {
            // Argument position `1$`.
            let d = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
            if d > 0 && b.get(j + d) == Some(&b'$') {
                j += d + 1;
            }
        }
        while j < b.len() && matches!(b[j], b'-' | b'+' | b' ' | b'#' | b'0' | b'\'') {
            // A space flag only before digits or a conversion, not `50 % of`.
            if b[j] == b' ' && !b.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
                break;
            }
            j += 1;
        }
        while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'*') {
            j += 1;
        }
        if b.get(j) == Some(&b'.') {
            j += 1;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'*') {
                j += 1;
            }
        }
        while j < b.len() && matches!(b[j], b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't' | b'I') {
            j += 1;
        }
        let conv = b.get(j).copied();
        let is_conv = conv.is_some_and(|c| b"diouxXeEfFgGaAcspnmCS@".contains(&c));
        // `50 %` or `% of` (a space right after the sign) is no conversion.
        if is_conv && b.get(i + 1) != Some(&b' ') {
            out.push(start..j + 1);
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The printf and brace placeholders of a text (see [`printf`] and [`braces`]), printf's
/// first.
pub(super) fn placeholders(s: &str) -> impl Iterator<Item = Range<usize>> {
    printf(s).into_iter().chain(braces(s))
}

/// The end of a placeholder named between two percent signs that starts at `i`
/// (`%minutes%`, `%user_name%`): a letter, then letters, digits, `_` or `.`, then `%`,
/// followed by no letter, digit or `%` (`%ld%%` is `%ld` and a percent sign).
fn percent_named(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i + 1)?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let len = b[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
        .count();
    let close = i + 1 + len;
    (len >= 2
        && b.get(close) == Some(&b'%')
        && !b
            .get(close + 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'%'))
    .then_some(close + 1)
}

/// Brace placeholders: `{0}`, `{name}`, `{}`, `{0:>5}`, `{user.name}`; template
/// placeholders and tags of Twig, Jinja, Mustache and Handlebars: `{{ name }}`,
/// `{{ user.name|upper }}`, `{{{raw}}}`, `{% trans %}`. A `{{` that opens no template
/// expression is a literal brace. Single braces around text with spaces are no
/// placeholders.
pub fn braces(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' && matches!(b.get(i + 1), Some(b'{' | b'%')) {
            match template(s, i) {
                Some(end) => {
                    out.push(i..end);
                    i = end;
                }
                None => i += 2,
            }
            continue;
        }
        if b[i] != b'{' {
            i += 1;
            continue;
        }
        match s[i + 1..].find(['}', '{', '\n']) {
            Some(k) if b[i + 1 + k] == b'}' => {
                let inner = &s[i + 1..i + 1 + k];
                let name = inner.split([':', '!']).next().unwrap_or("");
                let ok = name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
                    && !inner.contains(' ')
                    || (name.is_empty() && !inner.contains(' '));
                if ok && inner.len() <= 40 {
                    out.push(i..i + k + 2);
                }
                i += k + 2;
            }
            _ => i += 1,
        }
    }
    out
}

/// The byte offset right after the last character of `s` that is `stop` (0 if none): the
/// start of the run at the end of `s` made of other characters. The stop character may be
/// several bytes long (a no-break space before a URL).
fn after_last(s: &str, stop: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| stop(c))
        .map_or(0, |(p, c)| p + c.len_utf8())
}

/// The end of a template placeholder or tag that starts at `at` (`{{ … }}`, `{{{ … }}}`,
/// `{% … %}`): on one line, at most 120 bytes, holding an expression (names, members,
/// filters, calls, quoted strings), not prose.
fn template(s: &str, at: usize) -> Option<usize> {
    let rest = &s[at..];
    let (open, close) = if rest.starts_with("{{{") {
        ("{{{", "}}}")
    } else if rest.starts_with("{{") {
        ("{{", "}}")
    } else {
        ("{%", "%}")
    };
    let body_start = at + open.len();
    let k = s[body_start..].find(close)?;
    let inner = &s[body_start..body_start + k];
    let expr = inner.trim();
    let first = expr.chars().next()?;
    let ok = k <= 120
        && !inner.contains(['\n', '{', '}'])
        && (first.is_alphanumeric()
            || matches!(
                first,
                '_' | '#' | '/' | '^' | '>' | '!' | '-' | '&' | '.' | '$' | '@' | '\'' | '"'
            ))
        && expr.chars().all(|c| {
            c.is_alphanumeric()
                || c == ' '
                || matches!(
                    c,
                    '_' | '.'
                        | '|'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | ','
                        | ':'
                        | '\''
                        | '"'
                        | '-'
                        | '+'
                        | '*'
                        | '/'
                        | '#'
                        | '^'
                        | '>'
                        | '<'
                        | '='
                        | '!'
                        | '~'
                        | '&'
                        | '$'
                        | '@'
                        | '%'
                )
        });
    ok.then_some(body_start + k + close.len())
}

/// A template placeholder without the spaces inside it (`{{ name }}` and `{{name}}` are
/// the same placeholder); other tokens as they are.
fn token_key(t: &str) -> Cow<'_, str> {
    if (t.starts_with("{{") || t.starts_with("{%")) && t.contains(char::is_whitespace) {
        Cow::Owned(t.chars().filter(|c| !c.is_whitespace()).collect())
    } else if let Some(k) = t.find("://") {
        // A URL's scheme and host are case-insensitive (`http://Server/` is
        // `http://server/`); its path is not.
        let end = t[k + 3..]
            .find(['/', '?', '#'])
            .map_or(t.len(), |e| k + 3 + e);
        if t[..end].chars().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(t[..end].to_ascii_lowercase() + &t[end..])
        } else {
            Cow::Borrowed(t)
        }
    } else {
        Cow::Borrowed(t)
    }
}

/// URLs: `scheme://…` up to whitespace, without trailing punctuation.
pub fn urls(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = s[from..].find("://") {
        let at = from + k;
        let start = after_last(&s[..at], |c| {
            !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        let end = s[at..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '<' | '>' | '“' | '”' | '»' | '«')
            })
            .map_or(s.len(), |e| at + e);
        let url = s[start..end]
            .trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '’', '`', '´']);
        if start < at && url.len() > at - start + 3 {
            out.push(start..start + url.len());
        }
        from = end.max(at + 3);
    }
    out
}

/// E-mail addresses: `local@domain.tld`.
pub fn emails(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (i, _) in s.match_indices('@') {
        let start = after_last(&s[..i], |c| {
            !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        });
        let rest = &s[i + 1..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-')))
            .unwrap_or(rest.len());
        let domain = rest[..len].trim_end_matches(['.', '-']);
        if start < i && domain.contains('.') && !domain.starts_with('.') {
            out.push(start..i + 1 + domain.len());
        }
    }
    out
}

/// XML/HTML tags: `<b>`, `</b>`, `<br/>`, `<a href="…">`, compared as written except for
/// the values of attributes that hold text (`title`, `alt`).
pub fn tags(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/') {
            i += 1;
            continue;
        }
        match s[i + 1..].find(['>', '<', '\n']).map(|k| k + 1) {
            Some(k) if b[i + k] == b'>' => {
                let inner = &s[i + 1..i + k];
                if is_tag(s, inner) {
                    out.push(i..i + k + 1);
                }
                i += k + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// HTML elements whose tags are tags even without a partner (`<br>`, `<b>`).
const HTML: [&str; 40] = [
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "cite",
    "code",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

/// Whether `<inner>` in `s` is an XML/HTML tag rather than a metavariable of a usage
/// message (`<file>`, `<new-path>`): a closing tag, a self-closing one, one with
/// attributes, an HTML element, or an opening tag whose closing tag follows.
fn is_tag(s: &str, inner: &str) -> bool {
    let body = inner.trim_start_matches('/');
    let name: &str = body
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("");
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
    {
        return false;
    }
    let rest = body[name.len()..].trim();
    let attributes = rest.contains('=');
    if !rest.is_empty() && !attributes && rest != "/" {
        // `<package status and progress file>`: words, not attributes.
        return false;
    }
    inner.starts_with('/')
        || inner.ends_with('/')
        || attributes
        || HTML.contains(&name.to_ascii_lowercase().as_str())
        || s.contains(&format!("</{name}>"))
}

/// The accelerator markers of a unit: `&` or `_` before a letter (`&File`, `_Open`), not
/// in `&&` or an entity (`&amp;`); with `strict` (the source), not a `_` inside a word
/// (`file_name`). Returns the marker and the byte position of each.
fn accelerators(s: &str, strict: bool) -> Vec<(char, usize)> {
    // (Most texts have no marker character at all; both are ASCII: a byte search.)
    if memchr::memchr2(b'&', b'_', s.as_bytes()).is_none() {
        return Vec::new();
    }
    accelerators_scan(s, strict)
}

/// The char-level scan of [`accelerators`].
fn accelerators_scan(s: &str, strict: bool) -> Vec<(char, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if c != '&' && c != '_' {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|x| x.1);
        if !next.is_some_and(char::is_alphanumeric) || prev == Some(c) {
            continue;
        }
        if c == '&' {
            // An entity: `&name;` or `&#123;`; an XML name may hold `-`, `.`, `_` and
            // `:` (`&d-i;`, `&debian.release;` of a DocBook manual).
            let rest = &s[i + 1..];
            let word = rest
                .find(|ch: char| {
                    !ch.is_alphanumeric() && !matches!(ch, '#' | '-' | '.' | '_' | ':')
                })
                .unwrap_or(rest.len());
            if rest[word..].starts_with(';') {
                continue;
            }
        } else if strict {
            // `_` inside an identifier (`file_name`, `__init__`); a translation may put
            // its accelerator inside a word (`Ö_ffnen`), so the target is not strict.
            if prev.is_some_and(|p| p.is_alphanumeric() || p == '_') {
                continue;
            }
            let rest = &s[i + 1..];
            let word_end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            if rest[..word_end].contains('_') {
                continue;
            }
        }
        out.push((c, i));
    }
    out
}

fn accelerator(source: &str, target: &str, out: &mut Vec<Raw>) {
    // Only a source with exactly one accelerator is compared.
    let s = accelerators(source, true);
    let [(marker, _)] = s.as_slice() else {
        return;
    };
    let t = accelerators(target, false);
    let same: Vec<&(char, usize)> = t
        .iter()
        .filter(|(c, at)| c == marker && !(*c == '_' && copied_identifier(source, target, *at)))
        .collect();
    match same.len() {
        1 => {}
        0 => out.push(Raw {
            text: marker.to_string(),
            ..Raw::new(
                CheckKind::Accelerator,
                Severity::Warning,
                format!("the accelerator `{marker}` of the source is missing"),
            )
        }),
        _ => out.push(Raw {
            span: Some(same[1].1..same[1].1 + 1),
            text: marker.to_string(),
            ..Raw::new(
                CheckKind::Accelerator,
                Severity::Warning,
                format!("{} accelerators `{marker}`, the source has one", same.len()),
            )
        }),
    }
}

/// Whether the `_` at byte `at` of `target` is inside an identifier of several underscores
/// that the source has as it is (`__imp_sym`, `child_displacement_x`): code copied from the
/// source, not an accelerator.
fn copied_identifier(source: &str, target: &str, at: usize) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let start = target[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| ident(c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = target[at..]
        .find(|c: char| !ident(c))
        .map_or(target.len(), |i| at + i);
    let word = &target[start..end];
    word.matches('_').count() >= 2 && source.contains(word)
}

/// The end punctuation of a text as a class: `.` (also `。`), `?` (`？`, `؟`), `!`, `:`,
/// `…` (also `...`), `;`, `,`, or none; closing quotes and brackets after it are skipped.
fn end_class(s: &str) -> (Option<&'static str>, usize) {
    let t = s.trim_end();
    let t2 = t.trim_end_matches(['"', '\'', '”', '’', '»', '«', '“', ')', ']', '>']);
    let end = t2.len();
    let class = if t2.ends_with("...") || t2.ends_with('…') {
        Some("…")
    } else if t2.ends_with(['.', '。']) {
        Some(".")
    } else if t2.ends_with(['?', '？', '؟']) {
        Some("?")
    } else if t2.ends_with(['!', '！']) {
        Some("!")
    } else if t2.ends_with([':', '：']) {
        Some(":")
    } else if t2.ends_with([';', '؛']) {
        Some(";")
    } else if t2.ends_with([',', '،', '、']) {
        Some(",")
    } else {
        None
    };
    (class, end)
}

fn end_punctuation(source: &str, target: &str, out: &mut Vec<Raw>) {
    let (s, _) = end_class(source);
    let (t, end) = end_class(target);
    if s == t {
        return;
    }
    // A statement ended with `!` in one language and `.` in the other is a matter of
    // style, as is an ellipsis for a full stop.
    if matches!((s, t), (Some("!" | "." | "…"), Some("!" | "." | "…"))) {
        return;
    }
    // A full stop added where the source has no end punctuation is the target language's
    // habit (descriptions, titles), not a change of meaning.
    if s.is_none() && t == Some(".") {
        return;
    }
    let start = target[..end].char_indices().last().map_or(end, |(i, _)| i);
    let name = |c: Option<&str>| c.map_or("none".to_string(), |c| format!("`{c}`"));
    out.push(Raw {
        span: Some(if t.is_some() { start..end } else { end..end }),
        text: t.unwrap_or("").to_string(),
        suggestion: s.map(str::to_string),
        ..Raw::new(
            CheckKind::EndPunctuation,
            Severity::Warning,
            format!(
                "end punctuation differs: {} in the source, {} here",
                name(s),
                name(t)
            ),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte pre-filters of the double-space and accelerator checks never hide what
    /// their scans find: on combinations of spaces, markers and letters, and on every
    /// line of real text (the shared corpus, installed catalogues, which have accelerators
    /// and aligned columns).
    #[test]
    fn prefilters_never_hide_a_finding() {
        let alphabet = [
            " ", "  ", "\n", "&", "_", "&&", "&amp;", "a", "Ö", "\t", ".", "x_y",
        ];
        let mut texts: Vec<String> = Vec::new();
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    texts.push(format!("{a}File{b}x{c}"));
                }
            }
        }
        let combinations = texts.len();
        let Some(real) = super::super::text::real_texts(20) else {
            return;
        };
        texts.extend(real);
        let (mut spaces, mut markers) = (0, 0);
        for t in &texts {
            let d = double_spaces_scan(t);
            assert_eq!(double_spaces(t), d, "{t:?}");
            spaces += usize::from(!d.is_empty());
            for strict in [true, false] {
                let a = accelerators_scan(t, strict);
                assert_eq!(accelerators(t, strict), a, "{t:?}");
                markers += usize::from(!a.is_empty());
            }
        }
        assert!(texts.len() > combinations + 1000 && spaces > 100 && markers > 100);
    }

    fn texts(s: &str, r: Vec<Range<usize>>) -> Vec<&str> {
        r.into_iter().map(|r| &s[r]).collect()
    }

    fn run(source: &str, target: &str) -> Vec<(CheckKind, String)> {
        let mut out = Vec::new();
        check(source, target, Plural::default(), |_| true, &mut out);
        out.into_iter().map(|r| (r.check, r.message)).collect()
    }

    /// A no-break space (two bytes) right before a URL or an address, as in bzip2's manual.
    #[test]
    fn urls_and_addresses_after_a_wide_character() {
        let s = "\n\u{a0}  ftp://ftp.digital.com/pub/SRC-124.ps.gz\u{a0}jseward@acm.org, \u{3000}x@y.org";
        assert_eq!(
            texts(s, urls(s)),
            ["ftp://ftp.digital.com/pub/SRC-124.ps.gz"]
        );
        assert_eq!(texts(s, emails(s)), ["jseward@acm.org", "x@y.org"]);
    }

    #[test]
    fn placeholders_are_found() {
        let s = "%s of %1$d files, 50% done, %5.2f%%, %(name)s and %lu";
        assert_eq!(
            texts(s, printf(s)),
            ["%s", "%1$d", "%5.2f", "%(name)s", "%lu"]
        );
        let s = "try in %minutes% minutes, %ld%% done, %user_name%, 10% or 20%";
        assert_eq!(texts(s, printf(s)), ["%minutes%", "%ld", "%user_name%"]);
        let s = "{0} and {name} and {} and {{ and {0:>5} and {not a placeholder}";
        assert_eq!(texts(s, braces(s)), ["{0}", "{name}", "{}", "{0:>5}"]);
        let s = "Hi {{ user.name|upper }}, {{count}} {% trans %}new{% endtrans %} {{{raw}}} {{ }}";
        assert_eq!(
            texts(s, braces(s)),
            [
                "{{ user.name|upper }}",
                "{{count}}",
                "{% trans %}",
                "{% endtrans %}",
                "{{{raw}}}"
            ]
        );
        let s = "see https://example.org/a?b=1. or mail press@example.com.";
        assert_eq!(texts(s, urls(s)), ["https://example.org/a?b=1"]);
        assert_eq!(texts(s, emails(s)), ["press@example.com"]);
        let s = "`https://example.com/licenses.html'";
        assert_eq!(texts(s, urls(s)), ["https://example.com/licenses.html"]);
        let s = "a <b>bold</b> <a href=\"x\">link</a><br/> and 3 < 4";
        assert_eq!(
            texts(s, tags(s)),
            ["<b>", "</b>", "<a href=\"x\">", "</a>", "<br/>"]
        );
    }

    /// An empty element written with or without its self-closing slash is the same element:
    /// a note when the target closes it (`<br/>` reads alike in HTML and XML), a warning when
    /// the target drops the slash (not well-formed in XML), never the error of a changed tag;
    /// another element or other attributes still are.
    #[test]
    fn an_empty_element_closed_the_other_way_is_graded_by_how_it_reads_in_xml() {
        let graded = |s: &str, t: &str| {
            let mut out = Vec::new();
            check(s, t, Plural::default(), |_| true, &mut out);
            out.into_iter()
                .filter(|r| r.check == CheckKind::XmlTags)
                .map(|r| r.severity)
                .collect::<Vec<_>>()
        };
        let s = "Line one<br>line two";
        assert_eq!(graded(s, "Zeile eins<br/>Zeile zwei"), [Severity::Info]);
        assert_eq!(graded(s, "Zeile eins<br />Zeile zwei"), [Severity::Info]);
        let s = "Line one<br/>line two";
        assert_eq!(graded(s, "Zeile eins<br>Zeile zwei"), [Severity::Warning]);
        assert_eq!(graded(s, "Zeile eins<hr/>Zeile zwei"), [Severity::Error]);
        let s = "<img src=\"a.png\"/> A";
        assert_eq!(graded(s, "<img src=\"b.png\"> B"), [Severity::Error]);
        assert_eq!(graded(s, "<img src=\"a.png\"> B"), [Severity::Warning]);
    }

    #[test]
    fn each_pofilter_check_reports_its_own_difference() {
        let cases: [(&str, &str, CheckKind); 11] = [
            ("Copy %s to %s.", "Kopiere %s nach %d.", CheckKind::Printf),
            ("Hello {name}.", "Hallo {Name}.", CheckKind::BraceFormat),
            (
                "See https://example.org/help.",
                "Siehe https://example.com/help.",
                CheckKind::Url,
            ),
            (
                "Write to help@example.org.",
                "Schreiben Sie an hilfe@example.org.",
                CheckKind::Email,
            ),
            ("Press <b>OK</b>.", "Drücken Sie <b>OK.", CheckKind::XmlTags),
            ("&File", "Datei", CheckKind::Accelerator),
            ("  Indented", "Eingerückt", CheckKind::LeadingWhitespace),
            ("Name: ", "Name:", CheckKind::TrailingWhitespace),
            ("One. Two.", "Eins.  Zwei.", CheckKind::DoubleSpace),
            (
                "<file> was <b>removed</b>",
                "<Datei> wurde <b>entfernt",
                CheckKind::XmlTags,
            ),
            (
                "Delete the file?",
                "Datei löschen.",
                CheckKind::EndPunctuation,
            ),
        ];
        for (s, t, kind) in cases {
            let found = run(s, t);
            assert_eq!(
                found.iter().map(|f| f.0).collect::<Vec<_>>(),
                [kind],
                "{s} / {t}: {found:?}"
            );
            assert!(run(s, s).is_empty(), "{s}: {:?}", run(s, s));
        }
    }

    #[test]
    fn a_date_format_is_the_translations_to_order() {
        assert!(run("%b %d, %Y", "%d.%m.%Y").is_empty());
        assert!(run("%Y-%m-%d %H:%M", "%d/%m/%Y %Hh%M").is_empty());
        // A printf format, or a literal percent sign before the letter, is still compared.
        assert!(!run("%d files", "%m fichiers").is_empty());
        assert!(!run("100%% Budget: %d", "100%% Budget : %s").is_empty());
        // A text about date formats is no format.
        assert!(!run(
            "  %C   century; like %Y\n  %d   day of month (e.g., 01)",
            "  %C   век; как %Y\n  %s   день месяца (напр., 01)"
        )
        .is_empty());
        // binutils' own directives are no date.
        assert!(!run(
            "%H: reloc against `%s': error %d",
            "%H: reubicación: error %d"
        )
        .is_empty());
    }

    #[test]
    fn an_example_domain_localised_is_a_note() {
        assert!(example_domain_localised(
            "http://www.example.com/",
            "http://www.ejemplo.com/"
        ));
        assert!(example_domain_localised(
            "https://example.org/page?a=1",
            "https://exemple.org/page?a=1"
        ));
        // Another path, another top-level domain, a real site: no example localised.
        assert!(!example_domain_localised(
            "http://www.example.com/a",
            "http://www.ejemplo.com/b"
        ));
        assert!(!example_domain_localised(
            "http://www.example.com/",
            "http://www.ejemplo.es/"
        ));
        assert!(!example_domain_localised(
            "https://www.python.org/",
            "https://www.pithon.org/"
        ));
    }

    #[test]
    fn fields_numbered_by_the_translation_are_the_sources() {
        for (s, t) in [
            ("Unsupported state: {}", "Estado no admitido: {0}"),
            ("{} of {}", "{1} von {0}"),
            ("Size {:>8}", "Größe {0:>8}"),
        ] {
            assert!(run(s, t).is_empty(), "{s} / {t}: {:?}", run(s, t));
        }
        // A number beyond the source's fields, a field written twice, a changed format
        // spec, and a mix of automatic and numbered fields (Python refuses it) are still
        // reported.
        for (s, t) in [
            ("Unsupported state: {}", "Estado no admitido: {1}"),
            ("Could not parse: {}", "Konnte {0} nicht lesen: {0}"),
            ("Size {:>8}", "Größe {0:<8}"),
            ("{} of {}", "{} von {1}"),
        ] {
            assert!(!run(s, t).is_empty(), "{s} / {t}");
        }
    }

    #[test]
    fn template_placeholders_are_compared() {
        // A Twig placeholder mangled, lost or renamed is an error; spaces inside the
        // braces are no difference.
        for t in [
            "Hallo {{ nom }}, Sie haben {{ count }} Nachrichten.",
            "Hallo {{ name }, Sie haben {{ count }} Nachrichten.",
            "Hallo name, Sie haben {{ count }} Nachrichten.",
        ] {
            let found = run("Hello {{ name }}, you have {{ count }} messages.", t);
            assert!(
                found.iter().any(|f| f.0 == CheckKind::BraceFormat),
                "{t}: {found:?}"
            );
        }
        let found = run(
            "Hello {{ name }}, you have {{ count }} messages.",
            "Hallo {{name}}, Sie haben {{ count }} Nachrichten.",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn differences_that_print_the_same_are_warnings() {
        let severity = |s: &str, t: &str| {
            let mut out = Vec::new();
            check(s, t, Plural::default(), |_| true, &mut out);
            out.iter()
                .map(|r| (r.check, r.severity))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            severity("bits %#llx undefined", "bits 0x%llx indéfinis"),
            [(CheckKind::Printf, Severity::Warning)]
        );
        assert_eq!(
            severity("%s files", "%d Dateien"),
            [(CheckKind::Printf, Severity::Error)]
        );
        assert_eq!(
            severity("%1$s of %2$s", "%2$s von %1$s"),
            Vec::<(CheckKind, Severity)>::new()
        );
        assert_eq!(
            severity("brace on \\x{HEXNUMBER}", "Klammer bei \\x{HEXZAHL}"),
            [(CheckKind::BraceFormat, Severity::Warning)]
        );
        assert_eq!(
            severity("Hello {name}", "Hallo {Name}"),
            [(CheckKind::BraceFormat, Severity::Error)]
        );
        assert_eq!(
            severity("Mail you@example.com", "Schreiben Sie an ihre@example.de"),
            [(CheckKind::Email, Severity::Info)]
        );
        assert_eq!(
            severity("Mail you@example.com.", "Schreiben Sie."),
            [(CheckKind::Email, Severity::Warning)]
        );
        assert_eq!(
            severity(
                "Mail apt@packages.debian.org",
                "Mail an apt@packagesdebian.org"
            ),
            [(CheckKind::Email, Severity::Error)]
        );
        for (s, t, expected) in [
            (
                "See http://www.gnu.org/gethelp/",
                "Voir https://www.gnu.org/gethelp/",
                Severity::Info,
            ),
            (
                "See https://www.gnu.org/gethelp/",
                "Voir https://www.gnu.org/help/gethelp.fr.html",
                Severity::Info,
            ),
            (
                "See https://www.gnu.org/gethelp/",
                "Voir https://www-gnu.org/gethelp/",
                Severity::Error,
            ),
            (
                "See https://www.gnu.org/gethelp/",
                "Voir https://www.gnu.org/gethlep/",
                Severity::Error,
            ),
            (
                "See https://www.gnu.org/gethelp/",
                "Voir https://example.org/gethelp/",
                Severity::Error,
            ),
            // The placeholders of an example URL (the Debian Administrator's Handbook,
            // French) are translated; its punctuation stays.
            (
                "It should look like smb://user:password@server/printer.",
                "Elle ressemble à smb://utilisateur:motdepasse@serveur/imprimante.",
                Severity::Info,
            ),
            (
                "Copy http://server/file.html here.",
                "Copiez http://server/file-html ici.",
                Severity::Error,
            ),
        ] {
            assert_eq!(severity(s, t), [(CheckKind::Url, expected)], "{t}");
        }
        // Scheme and host are case-insensitive (the Handbook's German `http://Server/`).
        for (s, t) in [
            (
                "Open http://server/nagios4/ now.",
                "Öffnen Sie http://Server/nagios4/ jetzt.",
            ),
            ("See HTTPS://Www.Gnu.org/x", "Siehe https://www.gnu.org/x"),
        ] {
            assert!(severity(s, t).is_empty(), "{t}");
        }
        // The path is not.
        assert_eq!(
            severity("See https://gnu.org/Help", "Siehe https://gnu.org/help"),
            [(CheckKind::Url, Severity::Error)]
        );
    }

    /// dpkg's manual pages (dpkg 1.21.23, `man/po/de.po`) put two spaces after each
    /// sentence of the source; the German drops them. A double space slipped in between two
    /// words of that translation is still one added.
    #[test]
    fn double_spaces_after_a_sentence_and_between_words_are_counted_apart() {
        let src = "These multiline fields contain a list of files with a checksum and size for each one.  These fields have the same syntax and differ only in the checksum algorithm used: MD5 for B<Checksums-Md5>, SHA-1 for B<Checksums-Sha1> and SHA-256 for B<Checksums-Sha256>.";
        let tgt = "Diese mehrzeiligen Felder enthalten eine Liste von Dateien mit einer Prüfsumme und Größe für jede. Diese Felder haben die gleiche Syntax und unterscheiden sich nur im verwandten Prüfsummenalgorithmus: MD5 für B<Checksums-Md5>, SHA-1 für B<Checksums-Sha1> und SHA-256 für B<Checksums-Sha256>.";
        assert!(run(src, tgt).is_empty());
        let slip = tgt.replacen("eine Liste", "eine  Liste", 1);
        let found = run(src, &slip);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, CheckKind::DoubleSpace);
        // Two spaces after the translation's own full stop, where the source has them
        // after its own, are the same typing.
        let kept = tgt.replacen("jede. ", "jede.  ", 1);
        assert!(run(src, &kept).is_empty());
        // git's Spanish catalogue: sentence spacing before a placeholder.
        assert!(run(
            "CONFLICT (rename/add): Rename %s->%s in %s.  Added %s in %s",
            "CONFLICTO (renombrar/agregar): Renombrar %s->%s en %s.  %s agregado en %s"
        )
        .is_empty());
    }

    #[test]
    fn accelerators_and_literals_are_told_apart() {
        assert!(run("&File", "&Datei").is_empty());
        assert!(run("_Open", "Ö_ffnen").is_empty());
        assert!(run("Tom &amp; Jerry && more", "Tom &amp; Jerry && mehr").is_empty());
        assert!(run("file_name is set", "Dateiname ist gesetzt").is_empty());
        assert!(run("50 % of all", "50 % aller").is_empty());
        assert!(run("Stop!", "Halt.").is_empty());
        // Metavariables of usage messages are translated; they are no tags.
        assert!(run(
            "git log <ref> <new-path>",
            "git log <Referenz> <neuer-Pfad>"
        )
        .is_empty());
        assert!(run("Done", "Fertig.").is_empty());
        assert!(run("A  B", "A B").is_empty());
    }
}
