//! The glossary as a term source for the QA checker (`tarjuman check --glossary`): renderings
//! the spell check accepts, and wrong forms or missing renderings in a segment pair.

use std::collections::HashSet;
use std::sync::Arc;

use super::{Glossary, PairGlossary};
use crate::lang::Lang;
use crate::qa::{Severity, TermIssue, TermSource};

impl Glossary {
    /// The compiled glossaries for a check: the pair when both languages are known, every pair
    /// into `to` when only the target language is, none otherwise.
    fn for_check(&self, from: Option<Lang>, to: Option<Lang>) -> Vec<Arc<PairGlossary>> {
        match (from, to) {
            (Some(f), Some(t)) => self.for_pair(f, t).ok().flatten().into_iter().collect(),
            (None, Some(t)) => self.for_target(t).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl TermSource for Glossary {
    fn target_terms(&self, from: Option<Lang>, to: Option<Lang>) -> Vec<String> {
        self.entries()
            .iter()
            .filter(|e| to.is_none_or(|t| e.tgt_lang == t) && from.is_none_or(|f| e.src_lang == f))
            .map(|e| e.target.clone())
            .collect()
    }

    fn check_pair(
        &self,
        from: Option<Lang>,
        to: Option<Lang>,
        source: &str,
        target: &str,
    ) -> Vec<TermIssue> {
        let mut issues = Vec::new();
        for g in self.for_check(from, to) {
            // Wrong forms in the translation (known variants, source spellings copied over).
            let mut wrong_entries = HashSet::new();
            let mut rendered = HashSet::new();
            for h in g.find_targets(target) {
                let Some(entry) = g.entries.get(h.entry) else {
                    continue;
                };
                if !h.wrong {
                    rendered.insert(h.entry);
                    continue;
                }
                wrong_entries.insert(h.entry);
                let wrong = &target[h.range.start..h.stem_end];
                issues.push(TermIssue {
                    span: Some(h.range.start..h.stem_end),
                    text: wrong.to_string(),
                    message: format!(
                        "`{wrong}` is not the glossary rendering of this name; write `{}`",
                        entry.target
                    ),
                    suggestion: Some(entry.target.clone()),
                    severity: Severity::Error,
                });
            }
            // Source terms whose rendering is nowhere in the translation.
            let mut seen = HashSet::new();
            for h in g.find_sources(source) {
                if !seen.insert(h.entry)
                    || rendered.contains(&h.entry)
                    || wrong_entries.contains(&h.entry)
                {
                    continue;
                }
                let Some(entry) = g.entries.get(h.entry) else {
                    continue;
                };
                let term = &source[h.range.clone()];
                issues.push(TermIssue {
                    span: None,
                    text: term.to_string(),
                    message: format!(
                        "`{term}` in the source has no `{}` in the translation",
                        entry.target
                    ),
                    suggestion: Some(entry.target.clone()),
                    severity: Severity::Error,
                });
            }
        }
        issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::load::parse_delimited;

    fn lang(c: &str) -> Option<Lang> {
        Lang::from_code(c).ok()
    }

    #[test]
    fn wrong_forms_and_missing_renderings() {
        let tsv = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n\
                   de\ten\tRachmon\tRakhmon\tRahmon|Rakhmonov\tsensitive\t\n\
                   de\ten\tTokajew\tTokayev\tTokaev\tsensitive\t\n\
                   de\ten\tDuschanbe\tDushanbe\t\tsensitive\t\n";
        let entries = parse_delimited("g.tsv", tsv, '\t').expect("valid glossary");
        let g = Glossary::from_entries(entries);
        let issues = g.check_pair(
            lang("de"),
            lang("en"),
            "Rachmon empfing Tokajew in Duschanbe.",
            "Rahmon received Tokayev in the capital.",
        );
        let texts: Vec<&str> = issues.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, vec!["Rahmon", "Duschanbe"], "{issues:?}");
        assert_eq!(issues[0].span, Some(0..6));
        assert_eq!(issues[0].suggestion.as_deref(), Some("Rakhmon"));
        assert_eq!(issues[1].span, None);
        assert!(g
            .target_terms(lang("de"), lang("en"))
            .contains(&"Tokayev".to_string()));
        // A clean pair has no issue.
        assert!(g
            .check_pair(
                lang("de"),
                lang("en"),
                "Tokajews Regierung",
                "Tokayev's government"
            )
            .is_empty());
    }
}
