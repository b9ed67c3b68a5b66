//! What a check run produces: [`Finding`]s with their [`CheckKind`] and [`Severity`], the
//! [`Report`] of a run and its [`Summary`], and the `[check]` configuration.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize, Serializer};

/// The checks `tarjuman check` runs, by their names in output and configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// A misspelt or truncated word.
    Typo,
    /// A source segment with no counterpart in the target (or an empty target).
    Dropped,
    /// A target segment with no counterpart in the source.
    Added,
    /// Two source segments rendered as one target segment, or one as two.
    Merged,
    /// A target segment still in the source language, or identical to the source.
    Untranslated,
    /// A target segment in a third language.
    WrongLanguage,
    /// Numbers, dates, times, percentages or amounts missing or changed.
    Number,
    /// Glossary terms rendered wrongly or with a variant.
    Glossary,
    /// Whitespace before punctuation, inside times or abbreviations, doubled spaces.
    Spacing,
    /// A word written twice in a row.
    RepeatedWord,
    /// Unbalanced quotes or brackets.
    Punctuation,
    /// A line that is no sentence and is continued on the following lines.
    Fragment,
    /// A target much longer or shorter than its source.
    Length,
    /// A document that mixes regional spellings (British and American).
    SpellingVariant,
    /// printf placeholders (`%s`, `%1$d`) missing or changed.
    Printf,
    /// Brace placeholders (`{0}`, `{name}`) missing or changed.
    BraceFormat,
    /// Leading whitespace of a unit changed.
    LeadingWhitespace,
    /// Trailing whitespace of a unit changed.
    TrailingWhitespace,
    /// Double spaces inside a unit added or removed.
    DoubleSpace,
    /// End punctuation of a unit changed.
    EndPunctuation,
    /// URLs missing or changed.
    Url,
    /// E-mail addresses missing or changed.
    Email,
    /// XML/HTML tags missing or changed.
    XmlTags,
    /// Accelerator markers (`&File`, `_File`) missing or doubled.
    Accelerator,
    /// A line of the input that could not be read (the rest is checked).
    Malformed,
}

impl CheckKind {
    /// Every check.
    pub const ALL: [CheckKind; 25] = [
        CheckKind::Typo,
        CheckKind::Dropped,
        CheckKind::Added,
        CheckKind::Merged,
        CheckKind::Untranslated,
        CheckKind::WrongLanguage,
        CheckKind::Number,
        CheckKind::Glossary,
        CheckKind::Spacing,
        CheckKind::RepeatedWord,
        CheckKind::Punctuation,
        CheckKind::Fragment,
        CheckKind::Length,
        CheckKind::SpellingVariant,
        CheckKind::Printf,
        CheckKind::BraceFormat,
        CheckKind::LeadingWhitespace,
        CheckKind::TrailingWhitespace,
        CheckKind::DoubleSpace,
        CheckKind::EndPunctuation,
        CheckKind::Url,
        CheckKind::Email,
        CheckKind::XmlTags,
        CheckKind::Accelerator,
        CheckKind::Malformed,
    ];

    /// The check's name as it appears in output and configuration.
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Typo => "typo",
            CheckKind::Dropped => "dropped",
            CheckKind::Added => "added",
            CheckKind::Merged => "merged",
            CheckKind::Untranslated => "untranslated",
            CheckKind::WrongLanguage => "wrong-language",
            CheckKind::Number => "number",
            CheckKind::Glossary => "glossary",
            CheckKind::Spacing => "spacing",
            CheckKind::RepeatedWord => "repeated-word",
            CheckKind::Punctuation => "punctuation",
            CheckKind::Fragment => "fragment",
            CheckKind::Length => "length",
            CheckKind::SpellingVariant => "spelling-variant",
            CheckKind::Printf => "printf",
            CheckKind::BraceFormat => "brace-format",
            CheckKind::LeadingWhitespace => "leading-whitespace",
            CheckKind::TrailingWhitespace => "trailing-whitespace",
            CheckKind::DoubleSpace => "double-space",
            CheckKind::EndPunctuation => "end-punctuation",
            CheckKind::Url => "url",
            CheckKind::Email => "email",
            CheckKind::XmlTags => "xml-tags",
            CheckKind::Accelerator => "accelerator",
            CheckKind::Malformed => "malformed",
        }
    }

    /// The check named `name` (as in output and configuration).
    pub fn from_name(name: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|c| c.name() == name)
    }

    /// What the check looks for, in one line (`check --list-checks`).
    pub fn description(self) -> &'static str {
        match self {
            CheckKind::Typo => "misspelt, truncated or garbled words (Hunspell dictionary)",
            CheckKind::Dropped => "source sentences or units with no counterpart in the target",
            CheckKind::Added => "target sentences or units with no counterpart in the source",
            CheckKind::Merged => "sentences merged or split in translation (info)",
            CheckKind::Untranslated => "target text still in the source language",
            CheckKind::WrongLanguage => "target text in a third language",
            CheckKind::Number => "numbers, dates, times and separators missing or changed",
            CheckKind::Glossary => "glossary terms rendered wrongly (with --glossary)",
            CheckKind::Spacing => "whitespace before punctuation, doubled or missing spaces",
            CheckKind::RepeatedWord => "a word written twice in a row",
            CheckKind::Punctuation => "unbalanced brackets and quotation marks",
            CheckKind::Fragment => "sentences torn over several lines",
            CheckKind::Length => "targets much longer or shorter than their source",
            CheckKind::SpellingVariant => "a text that mixes regional spellings (info)",
            CheckKind::Printf => "printf placeholders (%s, %1$d) missing or changed",
            CheckKind::BraceFormat => "brace placeholders ({0}, {name}) missing or changed",
            CheckKind::LeadingWhitespace => "leading whitespace of a unit changed",
            CheckKind::TrailingWhitespace => "trailing whitespace of a unit changed",
            CheckKind::DoubleSpace => "double spaces inside a unit added or removed",
            CheckKind::EndPunctuation => "end punctuation of a unit changed",
            CheckKind::Url => "URLs missing or changed",
            CheckKind::Email => "e-mail addresses missing or changed",
            CheckKind::XmlTags => "XML/HTML tags missing or changed",
            CheckKind::Accelerator => "accelerator keys (&File, _File) missing or doubled",
            CheckKind::Malformed => "input lines that cannot be read (JSONL)",
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How serious a finding is: the same scale as pipeline notes.
/// How serious a finding is: the same scale as pipeline notes.
pub use crate::doc::Severity;

/// One problem found in a translation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Which check found it.
    pub check: CheckKind,
    /// How serious it is (after configuration).
    pub severity: Severity,
    /// 1-based line in the target, `None` where the problem has no place there (a dropped
    /// source segment).
    pub target_line: Option<usize>,
    /// 1-based line in the source, `None` in target-only mode or for added target text.
    pub source_line: Option<usize>,
    /// `[start, end)` byte offsets of the offending text in the target line.
    #[serde(serialize_with = "span_as_pair")]
    pub target_span: Option<Range<usize>>,
    /// The offending text (source text for dropped segments).
    pub text: String,
    /// What is wrong.
    pub message: String,
    /// A proposed correction, if there is one.
    pub suggestion: Option<String>,
}

fn span_as_pair<S: Serializer>(span: &Option<Range<usize>>, s: S) -> Result<S::Ok, S::Error> {
    match span {
        Some(r) => [r.start, r.end].serialize(s),
        None => s.serialize_none(),
    }
}

impl Finding {
    /// The human-readable form `FILE:LINE:COL: severity[check] message (suggestion: …)`.
    /// Findings without a target line are placed at the source file and line.
    pub fn human(&self, target_origin: &str, source_origin: Option<&str>) -> String {
        let (file, line, col) = match (self.target_line, self.source_line) {
            (Some(l), _) => (
                target_origin,
                l,
                self.target_span.as_ref().map_or(1, |s| s.start + 1),
            ),
            (None, Some(l)) => (source_origin.unwrap_or(target_origin), l, 1),
            (None, None) => (target_origin, 1, 1),
        };
        let mut out = format!(
            "{file}:{line}:{col}: {}[{}] {}",
            self.severity, self.check, self.message
        );
        if let Some(s) = &self.suggestion {
            out.push_str(&format!(" (suggestion: {s})"));
        }
        out
    }
}

/// Counts over a run's findings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Number of findings.
    pub findings: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Findings per check name.
    pub by_check: BTreeMap<String, usize>,
    /// Source segments (or units) checked; 0 in target-only mode.
    pub source_segments: usize,
    /// Target segments (or units) checked.
    pub target_segments: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of(findings: &[Finding], source_segments: usize, target_segments: usize) -> Summary {
        let mut s = Summary {
            findings: findings.len(),
            source_segments,
            target_segments,
            ..Summary::default()
        };
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            *s.by_check.entry(f.check.name().to_string()).or_default() += 1;
        }
        s
    }
}

/// The `[check]` table of the configuration.
///
/// ```toml
/// [check]
/// disable = ["length"]
/// [check.severity]
/// spacing = "error"
/// ```
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Checks that are not run.
    #[serde(default)]
    pub disable: Vec<CheckKind>,
    /// Severity overrides per check: every finding of that check gets this severity.
    #[serde(default)]
    pub severity: BTreeMap<CheckKind, Severity>,
}

/// The result of a check run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Findings sorted by target line (findings without one by source line).
    pub findings: Vec<Finding>,
    /// Source segments checked.
    pub source_segments: usize,
    /// Target segments checked.
    pub target_segments: usize,
}

impl Report {
    /// Counts over the findings.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.findings, self.source_segments, self.target_segments)
    }
}

/// Sorts findings by line (target, else source), column and check.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| {
        (
            f.target_line.or(f.source_line).unwrap_or(0),
            f.target_span.as_ref().map_or(0, |s| s.start),
            f.check,
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_json_shape() {
        let f = Finding {
            check: CheckKind::RepeatedWord,
            severity: Severity::Warning,
            target_line: Some(3),
            source_line: None,
            target_span: Some(4..11),
            text: "the the".into(),
            message: "word repeated".into(),
            suggestion: Some("the".into()),
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["check"], "repeated-word");
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["target_span"], serde_json::json!([4, 11]));
        assert!(v["source_line"].is_null());
        assert_eq!(
            f.human("t.txt", None),
            "t.txt:3:5: warning[repeated-word] word repeated (suggestion: the)"
        );
    }

    #[test]
    fn check_config_parses_names() {
        let c: CheckConfig = toml::from_str(
            "disable = [\"length\", \"wrong-language\"]\n[severity]\nspacing = \"error\"\n",
        )
        .unwrap();
        assert_eq!(c.disable, [CheckKind::Length, CheckKind::WrongLanguage]);
        assert_eq!(c.severity[&CheckKind::Spacing], Severity::Error);
        assert!(toml::from_str::<CheckConfig>("disable = [\"nonsense\"]").is_err());
    }
}
