//! Quality checks on translations (`tarjuman check`): on a source/target pair or on a target
//! alone.
//!
//! The checker reads documents through [`crate::doc`] (and pairs of units through [`tsv`]),
//! segments them with [`Segmenter`], aligns source and target segments ([`align`]) and runs
//! the checks of the submodules over the aligned beads and the target blocks. Every problem
//! becomes a [`Finding`] with a check name, a severity and a place in the target (1-based
//! line, byte span in that line), in the JSON form external tools parse.
//!
//! Glossaries come in through the [`TermSource`] trait, so that a glossary implementation can
//! plug in without this module knowing its file format.

pub mod align;
mod checker;
pub mod fragment;
pub mod hunspell;
mod lexicon;
pub mod lines;
pub mod numbers;
pub mod pairs;
pub mod report;
pub mod spacing;
pub mod spell;
pub mod stream;
pub(crate) mod text;
pub mod translated;
pub mod tsv;
pub mod units;

use std::ops::Range;

use crate::lang::Lang;

pub use align::{align, Bead};
pub(crate) use checker::Raw;
pub use checker::{line_of, Checker};
pub use report::{CheckConfig, CheckKind, Finding, Report, Severity, Summary};
pub use spell::{SpellChecker, SpellError};
pub use text::words;
pub use translated::BlockFinding;

/// A problem a [`TermSource`] found in a segment pair.
#[derive(Debug, Clone, PartialEq)]
pub struct TermIssue {
    /// Byte range of the offending text in the target segment, if it is there.
    pub span: Option<Range<usize>>,
    /// The offending text (or the source term that has no rendering).
    pub text: String,
    /// What is wrong.
    pub message: String,
    /// The glossary rendering to use.
    pub suggestion: Option<String>,
    /// `Error` for a wrong or missing rendering, `Warning` for an accepted variant.
    pub severity: Severity,
}

/// What the checker needs from a glossary: the renderings it accepts in the target (so that
/// the spell check does not flag them and can suggest them) and the term problems of one
/// source/target segment pair.
pub trait TermSource: Send + Sync {
    /// Every accepted target rendering (preferred forms and variants) for the pair.
    fn target_terms(&self, from: Option<Lang>, to: Option<Lang>) -> Vec<String>;
    /// Term problems in `target` as a rendering of `source`.
    fn check_pair(
        &self,
        from: Option<Lang>,
        to: Option<Lang>,
        source: &str,
        target: &str,
    ) -> Vec<TermIssue>;
}

/// Settings of a [`Checker`].
#[derive(Default)]
pub struct CheckOptions {
    /// Source language (`None`: detected).
    pub from: Option<Lang>,
    /// Target language (`None`: detected).
    pub to: Option<Lang>,
    /// Checks to skip and severities to change.
    pub config: CheckConfig,
    /// The spell checker for the target language, if a dictionary was found.
    pub spell: Option<SpellChecker>,
    /// Glossaries.
    pub terms: Vec<Box<dyn TermSource>>,
}
