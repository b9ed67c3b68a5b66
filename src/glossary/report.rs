//! What the glossary stage did, per segment ([`Outcome`], also attached as notes) and per
//! document ([`Report`]).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::doc::{Document, Note, Severity};

/// A term and its rendering (the source form, or the wrong form that was fixed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Use {
    /// The source form (for applied terms and violations) or the wrong form (for fixes).
    pub source: String,
    /// The rendering.
    pub target: String,
}

/// What the glossary stage found in one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Source terms whose rendering is in the translation.
    pub applied: Vec<Use>,
    /// Wrong forms replaced by the rendering.
    pub fixes: Vec<Use>,
    /// Source terms whose rendering is missing from the translation.
    pub violations: Vec<Use>,
    /// Terms whose placeholder the engine lost or mangled.
    pub lost: Vec<Use>,
    /// (rendering, form the translation had) for every rendering or wrong form seen.
    pub forms: Vec<(String, String)>,
}

impl Outcome {
    /// Adds `other`'s findings to these.
    pub fn merge(&mut self, other: Outcome) {
        self.applied.extend(other.applied);
        self.fixes.extend(other.fixes);
        self.violations.extend(other.violations);
        self.lost.extend(other.lost);
        self.forms.extend(other.forms);
    }

    /// The findings as segment notes.
    pub fn notes(&self) -> Vec<Note> {
        let mut notes = Vec::new();
        for u in &self.applied {
            notes.push(
                Note::new(
                    "glossary-applied",
                    Severity::Info,
                    format!("`{}` rendered as `{}`", u.source, u.target),
                )
                .with_text(&u.target),
            );
        }
        for u in &self.lost {
            notes.push(
                Note::new(
                    "glossary-placeholder-lost",
                    Severity::Warning,
                    format!(
                        "the engine lost the placeholder for `{}`; translated unprotected and checked instead",
                        u.source
                    ),
                )
                .with_text(&u.source),
            );
        }
        for u in &self.fixes {
            notes.push(
                Note::new(
                    "glossary-fixed",
                    Severity::Info,
                    format!("`{}` replaced by `{}`", u.source, u.target),
                )
                .with_text(&u.source),
            );
        }
        for u in &self.violations {
            notes.push(
                Note::new(
                    "glossary-violation",
                    Severity::Warning,
                    format!(
                        "`{}` is in the source but its rendering `{}` is not in the translation",
                        u.source, u.target
                    ),
                )
                .with_text(&u.source),
            );
        }
        notes
    }
}

/// A finding in a document, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Segment id.
    pub segment: usize,
    /// 1-based line of the segment in the input.
    pub line: usize,
    /// Source form (applied, violation, lost) or wrong form (fix).
    pub source: String,
    /// Rendering.
    pub target: String,
}

/// How often one term was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCount {
    /// The rendering.
    pub target: String,
    /// Occurrences.
    pub count: usize,
}

/// A name rendered in more than one way across the segments of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inconsistency {
    /// The rendering it should have.
    pub target: String,
    /// Each form seen, with how often.
    pub forms: Vec<(String, usize)>,
}

/// The glossary report of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The document (path or `-`).
    pub origin: String,
    /// Terms applied, by rendering.
    pub applied: Vec<TermCount>,
    /// Wrong forms replaced.
    pub fixes: Vec<Finding>,
    /// Source terms whose rendering is missing.
    pub violations: Vec<Finding>,
    /// Placeholders the engine lost.
    pub placeholders_lost: Vec<Finding>,
    /// Names rendered in more than one way across segments (before fixing).
    pub inconsistent: Vec<Inconsistency>,
}

impl Report {
    /// Builds the report of `doc` from per-segment outcomes `(segment id, outcome)`, and adds a
    /// `glossary-inconsistent` note to every segment that had a form other than the rendering
    /// of a name rendered inconsistently.
    pub fn build(doc: &mut Document, outcomes: &[(usize, Outcome)]) -> Report {
        let mut builder = ReportBuilder::new(&doc.origin);
        builder.add(doc, outcomes, 0);
        let (report, found) = builder.finish();
        if !found.is_empty() {
            let mut notes: HashMap<usize, Vec<Note>> = HashMap::new();
            for (seg, _, note) in found {
                notes.entry(seg).or_default().push(note);
            }
            for s in doc.segments_mut() {
                if let Some(mut n) = notes.remove(&s.id) {
                    s.notes.append(&mut n);
                }
            }
        }
        report
    }

    /// Whether there are violations: source names whose rendering is missing from the
    /// translation (the findings that make `glossary apply` and `translate` exit with 1).
    pub fn has_findings(&self) -> bool {
        !self.violations.is_empty()
    }
}

/// A glossary report gathered piece by piece, for a document read in chunks: the findings
/// of each piece as it comes, the forms of every name counted over all pieces, and the names
/// rendered inconsistently decided at the end. What it keeps grows with the findings, not
/// with the document.
#[derive(Debug, Default)]
pub struct ReportBuilder {
    report: Report,
    applied: BTreeMap<String, usize>,
    forms: BTreeMap<String, BTreeMap<String, usize>>,
    /// Per segment with forms other than a rendering: (segment id, line, rendering, the
    /// other forms in the order seen).
    odd: Vec<(usize, usize, String, Vec<String>)>,
}

impl ReportBuilder {
    /// An empty report of the document named `origin`.
    pub fn new(origin: &str) -> Self {
        ReportBuilder {
            report: Report {
                origin: origin.to_string(),
                ..Report::default()
            },
            ..ReportBuilder::default()
        }
    }

    /// Adds the outcomes `(segment id, outcome)` of `doc` (a document, or a chunk of one whose
    /// lines are those of the whole input); the segment ids of the report are shifted by
    /// `first_segment`, the number of segments of the pieces before.
    pub fn add(&mut self, doc: &Document, outcomes: &[(usize, Outcome)], first_segment: usize) {
        let lines = segment_lines(doc);
        let line_of = |seg: usize| lines.get(seg).copied().unwrap_or(0);
        let finding = |seg: usize, u: &Use| Finding {
            segment: first_segment + seg,
            line: line_of(seg),
            source: u.source.clone(),
            target: u.target.clone(),
        };
        let report = &mut self.report;
        for (seg, o) in outcomes {
            for u in &o.applied {
                *self.applied.entry(u.target.clone()).or_default() += 1;
            }
            report
                .fixes
                .extend(o.fixes.iter().map(|u| finding(*seg, u)));
            report
                .violations
                .extend(o.violations.iter().map(|u| finding(*seg, u)));
            report
                .placeholders_lost
                .extend(o.lost.iter().map(|u| finding(*seg, u)));
            // The odd forms of this segment, per name, in report order.
            let mut odd: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for (target, form) in &o.forms {
                *self
                    .forms
                    .entry(target.clone())
                    .or_default()
                    .entry(form.clone())
                    .or_default() += 1;
                if target != form {
                    odd.entry(target.as_str()).or_default().push(form.clone());
                }
            }
            for (target, forms) in odd {
                self.odd.push((
                    *seg + first_segment,
                    line_of(*seg),
                    target.to_string(),
                    forms,
                ));
            }
        }
    }

    /// The report, and a `glossary-inconsistent` note `(segment id, line, note)` for every
    /// segment that had a form other than the rendering of a name rendered in several ways.
    pub fn finish(self) -> (Report, Vec<(usize, usize, Note)>) {
        let mut report = self.report;
        report.applied = self
            .applied
            .into_iter()
            .map(|(target, count)| TermCount { target, count })
            .collect();
        for (target, seen) in self.forms {
            if seen.len() > 1 {
                let mut list: Vec<(String, usize)> = seen.into_iter().collect();
                list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                report.inconsistent.push(Inconsistency {
                    target,
                    forms: list,
                });
            }
        }
        let by_target: HashMap<&str, &Inconsistency> = report
            .inconsistent
            .iter()
            .map(|inc| (inc.target.as_str(), inc))
            .collect();
        let mut notes = Vec::new();
        for (seg, line, target, odd) in &self.odd {
            let Some(inc) = by_target.get(target.as_str()) else {
                continue;
            };
            let all: Vec<String> = inc.forms.iter().map(|(f, n)| format!("{f} ×{n}")).collect();
            let note = Note::new(
                "glossary-inconsistent",
                Severity::Warning,
                format!(
                    "`{}` is rendered in several ways in this document ({}); here `{}`",
                    inc.target,
                    all.join(", "),
                    odd.join("`, `")
                ),
            )
            .with_text(&odd[0]);
            notes.push((*seg, *line, note));
        }
        (report, notes)
    }
}

/// The 1-based input line of every segment of `doc`, in reading order (index = position in
/// [`Document::segments`]; equal to the segment id once the segments are numbered), each
/// block's counted in one pass ([`crate::segment::segment_lines`]).
pub fn segment_lines(doc: &Document) -> Vec<usize> {
    doc.blocks
        .iter()
        .flat_map(crate::segment::segment_lines)
        .collect()
}
